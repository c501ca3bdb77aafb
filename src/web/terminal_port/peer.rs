//! Who is at the other end of a terminal-port connection: the TLS layer hands over the
//! certificate the client presented (checked against our CA by rustls), and [`TerminalPeer`]
//! looks its fingerprint up in the store on every request, so a revocation counts at once.

use crate::center::terminals::{self, Terminal};
use crate::web::error::ApiError;
use crate::web::AppState;
use actix_web::dev::{Extensions, Payload};
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use std::any::Any;

/// The SHA-256 of the client's own certificate (the first of its chain), hex.
#[derive(Debug, Clone)]
pub struct PeerCertificate(pub String);

pub(super) fn on_connect(connection: &dyn Any, data: &mut Extensions) {
    use actix_tls::accept::rustls_0_23::TlsStream;
    let Some(tls) = connection.downcast_ref::<TlsStream<actix_web::rt::net::TcpStream>>() else {
        return;
    };
    // The peer's own certificate comes first (rustls), whatever chain it sent.
    if let Some(own) = tls.get_ref().1.peer_certificates().and_then(|c| c.first()) {
        data.insert(PeerCertificate(crate::center::ca::fingerprint(own)));
    }
}

/// An enrolled, unrevoked terminal presenting its current certificate.
pub struct TerminalPeer {
    pub terminal: Terminal,
    pub state: web::Data<AppState>,
}

impl FromRequest for TerminalPeer {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let certificate = req.conn_data::<PeerCertificate>().cloned();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let peer = req.peer_addr();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal("no app state".into()))?;
            let Some(PeerCertificate(fingerprint)) = certificate else {
                tracing::warn!(
                    ?peer,
                    "terminal port: a request without a client certificate"
                );
                return Err(ApiError::Unauthorized {
                    code: "terminal_certificate_required",
                    message:
                        "this port serves enrolled terminals: enrol with `sskiosk terminal enrol`"
                            .into(),
                });
            };
            let print = fingerprint.clone();
            let found = crate::web::with_pooled(&state.pool, move |conn| {
                terminals::authenticate(conn, &print, chrono::Utc::now().naive_utc())
                    .map_err(|e| ApiError::Unavailable(e.to_string()))
            })
            .await?;
            match found {
                Ok(terminal) => Ok(TerminalPeer { terminal, state }),
                Err(why) => {
                    tracing::warn!(?peer, certificate = %&fingerprint[..16], reason = %why, "terminal port: certificate refused");
                    Err(ApiError::Forbidden {
                        code: "terminal_not_enrolled",
                        message: "this terminal is not (or no longer) enrolled at this center"
                            .into(),
                    })
                }
            }
        })
    }
}
