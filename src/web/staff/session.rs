//! Signing in and out, the current session, and changing one's own password: the three things
//! an account with a temporary password may do (they take [`SignedIn`], not a role).

use super::guard::{self, JsonBody};
use super::guard::{SignedIn, COOKIE};
use super::{blocking, now, staff_error};
use crate::staff::login::{login as sign_in, LoginRules};
use crate::staff::{account, session as sessions, Staff};
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
    /// The password is temporary (set by an admin): until `POST /api/staff/password` changes
    /// it, every other endpoint answers 403 `password_change_required`.
    pub must_change_password: bool,
    /// The bureau's time zone ([bureau] time_zone): the page shows every time in it.
    pub time_zone: String,
}

impl SessionInfo {
    fn new(staff: Staff, csrf_token: String, expires_at: Option<chrono::NaiveDateTime>) -> Self {
        SessionInfo {
            time_zone: crate::domain::bureau_time::zone().name().to_string(),
            must_change_password: staff.must_change_password,
            staff,
            csrf_token,
            expires_at,
        }
    }
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
    let address = peer(&req);
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
        .json(SessionInfo::new(staff, opened.csrf_token, None)))
}

/// Ends this session.
#[utoipa::path(tag = "staff", responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[post("/api/staff/logout")]
pub async fn logout(state: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, ApiError> {
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
pub async fn current(who: SignedIn) -> Result<HttpResponse, ApiError> {
    let session = who.session;
    Ok(HttpResponse::Ok().json(SessionInfo::new(
        session.staff,
        session.csrf_token,
        Some(session.expires_at),
    )))
}

/// Changes one's own password (which must differ from the current one); every other session of
/// the account ends, and a temporary password's restriction is lifted.
#[utoipa::path(
    tag = "staff",
    request_body = PasswordChange,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 403, description = "wrong current password (wrong_password) or CSRF (csrf_failed)", body = ErrorBody),
        (status = 422, description = "weak_password or same_password", body = ErrorBody),
        (status = 429, description = "wrong current passwords locked the account (account_locked), or the address is rate-limited (rate_limited)", body = ErrorBody)
    )
)]
#[post("/api/staff/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    body: JsonBody<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let session = who.session;
    let min_length = state.config.staff.password_min_length;
    let rules = LoginRules::from_config(&state.config.staff);
    let address = peer(&req);
    blocking(&state, move |conn| {
        let change = account::PasswordChange {
            current: &body.current_password,
            new: &body.new_password,
            min_length,
            keep: &session.token_hash,
            address: &address,
        };
        account::change_own_password(conn, &session.staff, &change, &rules, now())
            .map_err(staff_error)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The peer address, not a forwarding header a client could forge (docs/staff.md).
fn peer(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
