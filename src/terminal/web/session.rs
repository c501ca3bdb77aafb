//! The session's own calls: the current snapshot, "continue" (the citizen is still there),
//! "end" (logout) and "start again" after an idle end with the card still in.

use super::gate::{KioskClient, KioskSession};
use crate::terminal::kiosk::floor::View;
use crate::web::error::{ApiError, ErrorBody};
use actix_web::{get, post, HttpResponse};
use serde::Serialize;

/// The current snapshot, without the session's token: the token is handed to the screen in the
/// event stream only (review D6), so a request that can read plain JSON here learns nothing
/// it could use.
#[utoipa::path(tag = "kiosk", responses((status = 200, body = View), (status = 403, body = ErrorBody)))]
#[get("/api/kiosk/state")]
pub async fn state(client: KioskClient) -> HttpResponse {
    let mut view = client.0.view();
    view.token = None;
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(view)
}

/// "Continue": restarts the idle countdown, here and on the center; answers the new snapshot.
#[utoipa::path(tag = "kiosk", responses((status = 200, body = View), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[post("/api/kiosk/continue")]
pub async fn keep_alive(session: KioskSession) -> HttpResponse {
    let link = session.kiosk.link.clone();
    let token = session.citizen.center_token.clone();
    let touched = actix_web::web::block(move || {
        let r: Result<(), _> = link.client().post(
            crate::protocol::path::TOUCH,
            Some(&token),
            &serde_json::json!({}),
        );
        link.saw(&r);
        r
    })
    .await;
    if let Ok(Err(e)) = touched {
        tracing::info!("continue: the center did not touch the session: {e}");
    }
    HttpResponse::Ok().json(session.kiosk.view())
}

/// Logout: the token dies at once; the card stays in the reader until taken.
#[utoipa::path(tag = "kiosk", responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[post("/api/kiosk/end")]
pub async fn end(session: KioskSession) -> HttpResponse {
    session.kiosk.end_session();
    HttpResponse::NoContent().finish()
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Restarted {
    pub restarted: bool,
}

/// "Start again" after an idle end or logout, for the one card still in the reader: a new
/// session (and token) arrives in the event stream. 409 when there is no such card.
#[utoipa::path(tag = "kiosk", responses((status = 200, body = Restarted), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[post("/api/kiosk/restart")]
pub async fn restart(client: KioskClient) -> Result<HttpResponse, ApiError> {
    let kiosk = client.0;
    let candidate = kiosk.restart_candidate();
    let restarted = match candidate {
        // A new session needs a new card proof: the center is asked again.
        Some((reader, holder)) => actix_web::web::block(move || kiosk.readmit(&reader, &holder))
            .await
            .unwrap_or(false),
        None => false,
    };
    if restarted {
        Ok(HttpResponse::Ok().json(Restarted { restarted: true }))
    } else {
        Err(ApiError::Conflict {
            code: "kiosk_nothing_to_restart",
            message: "no card is waiting in the reader: insert your card".into(),
        })
    }
}
