//! The kiosk's data calls (`/api/kiosk/record`, certificates…), passed to the center with the
//! session's center token: the terminal keeps nothing of the answer. Before a certificate is
//! issued the card proves itself again. A center that does not answer shows 暂停服务.

use super::gate::KioskSession;
use crate::terminal::kiosk::admission;
use crate::web::error::ApiError;
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};

/// Largest body the screen may send (an issue request is a few hundred bytes).
const MAX_BODY: usize = 64 * 1024;

fn center_down() -> ApiError {
    ApiError::Unavailable("the center does not answer".into())
}

pub async fn forward(
    req: HttpRequest,
    session: KioskSession,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if body.len() > MAX_BODY {
        return Err(ApiError::BadRequest {
            code: "body_too_large",
            message: "the request is too large".into(),
        });
    }
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let method = req.method().clone();
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let kiosk = session.kiosk.clone();
    let citizen = session.citizen.clone();
    let issuing = method == Method::POST && req.path() == "/api/kiosk/certificates";
    let link = kiosk.link.clone();
    let answer = web::block(move || {
        if issuing {
            let proven = admission::reprove(&link, &citizen.reader, &citizen.center_token);
            link.saw(&proven);
            proven?;
        }
        let forwarded = link.client().forward(
            method.as_str(),
            &path_and_query,
            &citizen.center_token,
            content_type.as_deref(),
            &body,
        );
        link.saw(&forwarded);
        forwarded
    })
    .await
    .map_err(|_| center_down())?;
    let answer = match answer {
        Ok(a) => a,
        Err(crate::terminal::client::CenterError::Unreachable(e)) => {
            tracing::warn!("kiosk call not answered by the center: {e}");
            return Err(center_down());
        }
        Err(e) => {
            tracing::warn!("kiosk call refused: {e}");
            // The card no longer proves itself: the session ends.
            session.kiosk.end_session();
            return Err(ApiError::Forbidden {
                code: "card_proof_failed",
                message: "the card did not prove itself again: take it out and insert it again"
                    .into(),
            });
        }
    };
    if answer.status == 401 {
        // The center ended the session (a card reported lost meanwhile, or the center restarted):
        // ask it again, which shows the precise reason.
        let kiosk = session.kiosk.clone();
        let citizen = session.citizen.clone();
        let _ = web::block(move || kiosk.card_blocked(&citizen)).await;
    }
    let status = actix_web::http::StatusCode::from_u16(answer.status)
        .unwrap_or(actix_web::http::StatusCode::BAD_GATEWAY);
    let mut response = HttpResponse::build(status);
    if !answer.content_type.is_empty() {
        response.content_type(answer.content_type);
    }
    Ok(response
        .insert_header(("Cache-Control", "no-store"))
        .body(answer.body))
}
