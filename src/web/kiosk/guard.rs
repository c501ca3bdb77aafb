//! The gate of the kiosk's data calls on the center's terminal port, as an extractor so no
//! handler can forget it: an enrolled terminal ([`TerminalPeer`]) presenting the token of a
//! session the center opened for that terminal after a card proof (401 otherwise, which sends
//! the screen back to the start). Every call is scoped to that session's one citizen.

use crate::center::admission::card_status;
use crate::center::sessions::Citizen;
use crate::protocol::Refusal;
use crate::web::error::ApiError;
use crate::web::terminal_port::TerminalPeer;
use crate::web::AppState;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

/// A request carrying the token of a live session of the calling terminal.
pub struct KioskSession {
    pub state: web::Data<AppState>,
    pub citizen: Citizen,
}

fn ended() -> ApiError {
    ApiError::Unauthorized {
        code: "kiosk_session_ended",
        message: "the kiosk session has ended (card removed, idle, or another card): insert the card again".into(),
    }
}

impl FromRequest for KioskSession {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let peer = TerminalPeer::from_request(req, payload);
        let token = crate::web::terminal_port::bearer(req);
        Box::pin(async move {
            let peer = peer.await?;
            let token = token.ok_or(ApiError::Unauthorized {
                code: "kiosk_session_required",
                message: "insert your card: this call needs the kiosk session's token".into(),
            })?;
            let citizen = peer
                .state
                .center
                .sessions
                .authorize_data(&peer.terminal.name, &token)
                .map_err(|why| match why {
                    crate::center::sessions::Unverified::NoSession => ended(),
                    crate::center::sessions::Unverified::PinRequired => ApiError::Forbidden {
                        code: "pin_required",
                        message: "enter the card's PIN first".into(),
                    },
                })?;
            Ok(KioskSession {
                state: peer.state,
                citizen,
            })
        })
    }
}

impl KioskSession {
    /// Runs `work` on a blocking thread with a connection; store failures become 503. The card
    /// is checked first: a card reported lost at a window meanwhile ends its session at once.
    pub async fn with_conn<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut crate::db::DbConn, &Citizen) -> Result<T, ApiError> + Send + 'static,
    {
        let citizen = self.citizen.clone();
        let state = self.state.clone();
        crate::web::with_pooled(&self.state.pool, move |conn| {
            let holder = &citizen.holder;
            match card_status(conn, &holder.card_no, holder.ssn.as_str()) {
                Ok(()) => work(conn, &citizen),
                Err(Refusal::StoreUnavailable) => {
                    Err(ApiError::Unavailable("card status check failed".into()))
                }
                Err(refusal) => {
                    tracing::info!(ssn = %holder.ssn.masked(), ?refusal, "kiosk: card blocked during its session");
                    state.center.sessions.end_all(&citizen.terminal);
                    Err(ApiError::Unauthorized {
                        code: "kiosk_card_blocked",
                        message: "this card can no longer be used here: please go to a window".into(),
                    })
                }
            }
        })
        .await
    }
}
