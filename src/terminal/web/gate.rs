//! The two gates of the terminal's kiosk API, as extractors so no handler can forget them: the
//! client must be an allowed address (the kiosk's own browser; 403 otherwise), and a data call
//! must carry the live session's screen token (`Authorization: Bearer <token>`; 401 otherwise,
//! which sends the screen back to the start).

use crate::terminal::kiosk::{Citizen, Kiosk};
use crate::web::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::{ready, Ready};
use std::sync::Arc;

/// A request from the kiosk's own browser.
pub struct KioskClient(pub Arc<Kiosk>);

/// A request carrying the screen token of the open session.
pub struct KioskSession {
    pub kiosk: Arc<Kiosk>,
    pub citizen: Citizen,
}

fn client(req: &HttpRequest) -> Result<Arc<Kiosk>, ApiError> {
    let kiosk = req
        .app_data::<web::Data<Arc<Kiosk>>>()
        .map(|k| k.get_ref().clone())
        .ok_or_else(|| ApiError::NotFound("this terminal runs no kiosk".into()))?;
    let peer = req.peer_addr().map(|a| a.ip());
    if !peer.is_some_and(|ip| kiosk.clients.allows(ip)) {
        tracing::warn!(peer = ?peer, "kiosk API refused to a client not in kiosk.allowed_clients");
        return Err(ApiError::Forbidden {
            code: "kiosk_client_not_allowed",
            message: "the kiosk API answers only the kiosk's own screen (kiosk.allowed_clients)"
                .into(),
        });
    }
    Ok(kiosk)
}

fn session(req: &HttpRequest) -> Result<KioskSession, ApiError> {
    let kiosk = client(req)?;
    let token = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized {
            code: "kiosk_session_required",
            message: "insert your card: this call needs the kiosk session's token".into(),
        })?;
    // Polling a print job's progress is the screen, not the citizen: the idle countdown runs on
    // while a certificate prints (a printer that never finishes cannot hold a session open).
    let touch = !req.path().starts_with("/api/kiosk/print-jobs/");
    let citizen = kiosk.authorize_with(token, touch).map_err(|_| ApiError::Unauthorized {
        code: "kiosk_session_ended",
        message: "the kiosk session has ended (card removed, idle, or another card): insert the card again".into(),
    })?;
    Ok(KioskSession { kiosk, citizen })
}

impl FromRequest for KioskClient {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(client(req).map(KioskClient))
    }
}

impl FromRequest for KioskSession {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(session(req))
    }
}
