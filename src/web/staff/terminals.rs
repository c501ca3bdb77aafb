//! Enrolling and revoking terminals from 设备管理 (admins, issue 10; docs/terminals.md): a
//! one-time code for a named kiosk or window PC, the list of enrolled terminals, revocation.

use super::guard::{self, AsAdmin, JsonBody};
use super::{blocking, now};
use crate::center::enrolment::{self, CodeRequest, EnrolError, NewCode};
use crate::center::terminals::{self, Enrolment, TerminalError};
use crate::staff::actor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use actix_web::{get, post, web, HttpResponse};

fn enrol_error(e: EnrolError) -> ApiError {
    match e {
        EnrolError::BadTerminal(_) | EnrolError::Malformed(_) => ApiError::Unprocessable {
            code: "invalid_terminal",
            message: e.to_string(),
        },
        other => ApiError::Unavailable(other.to_string()),
    }
}

/// The enrolled terminals (revoked ones too, with who revoked them).
#[utoipa::path(tag = "staff", responses((status = 200, body = [Enrolment]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/api/staff/terminals")]
pub async fn list(state: web::Data<AppState>, _who: AsAdmin) -> Result<HttpResponse, ApiError> {
    let list = blocking(&state, |conn| {
        terminals::list(conn).map_err(|e| ApiError::Unavailable(e.to_string()))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(list))
}

/// A one-time enrolment code for a terminal, shown once (audited `terminal.enrol_code`).
#[utoipa::path(tag = "staff", request_body = CodeRequest, responses((status = 201, body = NewCode), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/api/staff/terminals")]
pub async fn enrol_code(
    state: web::Data<AppState>,
    who: AsAdmin,
    body: JsonBody<CodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = guard::body(body)?;
    let by = actor(&who.staff().username);
    let center = state.center.clone();
    let ttl = chrono::Duration::minutes(i64::from(center.settings.enrol_code_minutes.max(1)));
    let code = blocking(&state, move |conn| {
        enrolment::create_code(conn, &center.ca, &request, &by, ttl, now()).map_err(enrol_error)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(code))
}

/// Revokes a terminal: from its next request on it gets nothing (audited `terminal.revoke`).
#[utoipa::path(tag = "staff", params(("name" = String, Path, description = "the terminal's name")), responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/api/staff/terminals/{name}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    who: AsAdmin,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let by = actor(&who.staff().username);
    let name = name.into_inner();
    let center = state.center.clone();
    let revoked = name.clone();
    blocking(&state, move |conn| {
        terminals::revoke(conn, &name, &by, now()).map_err(|e| match e {
            TerminalError::Unknown(_) => ApiError::NotFound(e.to_string()),
            TerminalError::AlreadyRevoked(_) => ApiError::Conflict {
                code: "terminal_revoked",
                message: e.to_string(),
            },
            other => ApiError::Unavailable(other.to_string()),
        })
    })
    .await?;
    center.sessions.end_all(&revoked);
    center.window_cards.left(&revoked);
    Ok(HttpResponse::NoContent().finish())
}
