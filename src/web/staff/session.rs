//! Signing in and out, the current session, and changing one's own password.

use super::guard::{self, JsonBody};
use super::guard::{AsClerk, COOKIE};
use super::{blocking, now, staff_error};
use crate::staff::login::{login as sign_in, LoginRules};
use crate::staff::{account, password, session as sessions, Staff, StaffError};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Who is signed in, and the CSRF token to send in `X-CSRF-Token` on every change.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionInfo {
    pub staff: Staff,
    pub csrf_token: String,
    #[schema(value_type = Option<String>)]
    pub expires_at: Option<chrono::NaiveDateTime>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

fn cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build(COOKIE, value)
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(state.config.staff.secure_cookie)
        .finish()
}

/// Signs in with username and password; sets the HttpOnly session cookie.
#[utoipa::path(
    tag = "staff",
    request_body = LoginRequest,
    responses(
        (status = 200, body = SessionInfo),
        (status = 401, description = "wrong username or password (bad_credentials)", body = ErrorBody),
        (status = 429, description = "account locked (account_locked) or address rate-limited (rate_limited)", body = ErrorBody)
    )
)]
#[post("/api/staff/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    // The peer address, not a forwarding header a client could forge (docs/staff.md).
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let rules = LoginRules::from_config(&state.config.staff);
    let (staff, opened) = blocking(&state, move |conn| {
        sign_in(
            conn,
            &body.username,
            &body.password,
            &address,
            &rules,
            now(),
        )
        .map_err(staff_error)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .cookie(cookie(&state, opened.token))
        .json(SessionInfo {
            staff,
            csrf_token: opened.csrf_token,
            expires_at: None,
        }))
}

/// Ends this session.
#[utoipa::path(tag = "staff", responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[post("/api/staff/logout")]
pub async fn logout(state: web::Data<AppState>, who: AsClerk) -> Result<HttpResponse, ApiError> {
    let session = who.session;
    blocking(&state, move |conn| {
        sessions::close(conn, &session.token_hash).map_err(staff_error)?;
        crate::window::audit_staff(
            conn,
            &session.staff,
            "staff.logout",
            None,
            None,
            "ok",
            None,
            now(),
        )
        .map_err(super::window_error)
    })
    .await?;
    let mut gone = cookie(&state, String::new());
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}

/// The signed-in staff member and the session's CSRF token (e.g. after a page reload).
#[utoipa::path(tag = "staff", responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody)))]
#[get("/api/staff/session")]
pub async fn current(who: AsClerk) -> Result<HttpResponse, ApiError> {
    let session = who.session;
    Ok(HttpResponse::Ok().json(SessionInfo {
        staff: session.staff,
        csrf_token: session.csrf_token,
        expires_at: Some(session.expires_at),
    }))
}

/// Changes one's own password; every other session of the account ends.
#[utoipa::path(
    tag = "staff",
    request_body = PasswordChange,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/api/staff/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    who: AsClerk,
    body: JsonBody<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let session = who.session;
    let min = state.config.staff.password_min_length;
    blocking(&state, move |conn| {
        let stored = account::password_hash(conn, session.staff.id).map_err(staff_error)?;
        if !password::verify(&body.current_password, &stored) {
            return Err(staff_error(StaffError::WrongCurrentPassword));
        }
        let username = &session.staff.username;
        account::set_password(
            conn,
            username,
            &body.new_password,
            min,
            Some(&session.token_hash),
            &crate::staff::actor(username),
            now(),
        )
        .map_err(staff_error)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
