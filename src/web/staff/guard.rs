//! Authorization in one place. A handler names the lowest role it admits by the type of one
//! argument — [`AsClerk`], [`AsSupervisor`] or [`AsAdmin`] — and this extractor, run before the
//! body is read, decides, in this order:
//!
//! | request                                   | answer                     |
//! |-------------------------------------------|----------------------------|
//! | no cookie, unknown/expired/forged token    | 401 `not_signed_in`        |
//! | state change without the session's CSRF   | 403 `csrf_failed`          |
//! | account with a temporary password         | 403 `password_change_required` |
//! | role below the handler's                  | 403 `role_required` (audited) |
//! | otherwise                                 | the handler runs           |
//!
//! The three handlers a person with a temporary password needs — their session, signing out,
//! changing the password — take [`SignedIn`] instead, which stops after the CSRF check. Every
//! other handler is closed to such an account without having to know about it.

use crate::staff::session::{resume, same_token, Session};
use crate::staff::{session::Expiry, Role};
use crate::web::error::ApiError;
use crate::web::hardening::Appends;
use crate::web::AppState;
use actix_web::http::Method;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;

/// The session cookie's name.
pub const COOKIE: &str = "sskiosk_staff";
/// The header carrying the CSRF token on state changes.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// A signed-in staff member whose role is at least `LEVEL` (0 clerk, 1 supervisor, 2 admin)
/// and whose password is their own.
pub struct Authorized<const LEVEL: u8> {
    pub session: Session,
}

pub type AsClerk = Authorized<0>;
pub type AsSupervisor = Authorized<1>;
pub type AsAdmin = Authorized<2>;

/// A signed-in staff member of any role, admitted even while the account must change its
/// password. Only `GET /api/staff/session`, `POST /api/staff/logout` and
/// `POST /api/staff/password` take it; tests/staff_password.rs checks that nothing else does.
pub struct SignedIn {
    pub session: Session,
}

impl<const LEVEL: u8> Authorized<LEVEL> {
    pub fn staff(&self) -> &crate::staff::Staff {
        &self.session.staff
    }

    fn needed() -> Role {
        match LEVEL {
            0 => Role::Clerk,
            1 => Role::Supervisor,
            _ => Role::Admin,
        }
    }
}

fn not_signed_in(message: &str) -> ApiError {
    ApiError::Unauthorized {
        code: "not_signed_in",
        message: message.into(),
    }
}

/// What a request presents, taken from it before the async part (which cannot borrow it).
struct Presented {
    state: Option<web::Data<AppState>>,
    token: Option<String>,
    csrf: Option<String>,
    changes_state: bool,
    /// "METHOD /path", for the audit entry of a refusal.
    path: String,
}

impl Presented {
    fn of(req: &HttpRequest) -> Presented {
        Presented {
            state: req.app_data::<web::Data<AppState>>().cloned(),
            token: req.cookie(COOKIE).map(|c| c.value().to_string()),
            csrf: req
                .headers()
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            changes_state: !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS),
            path: format!("{} {}", req.method(), req.path()),
        }
    }

    /// The first two checks: a live session (401), and its CSRF token on a change (403).
    async fn session(self) -> Result<(Session, web::Data<AppState>, String), ApiError> {
        let state = self
            .state
            .ok_or_else(|| ApiError::Internal("no AppState".into()))?;
        let token = self.token.ok_or_else(|| not_signed_in("sign in first"))?;
        let expiry = Expiry::from_config(&state.config.staff);
        let now = super::now();
        let session = super::blocking(&state, move |conn| {
            resume(conn, &token, expiry, now).map_err(super::staff_error)
        })
        .await?
        .ok_or_else(|| not_signed_in("the session has ended or is not valid; sign in again"))?;
        if self.changes_state
            && !self
                .csrf
                .is_some_and(|c| same_token(&c, &session.csrf_token))
        {
            return Err(ApiError::Forbidden {
                code: "csrf_failed",
                message: format!(
                    "this change needs the session's {CSRF_HEADER} header; reload the page"
                ),
            });
        }
        Ok((session, state, self.path))
    }
}

impl FromRequest for SignedIn {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let presented = Presented::of(req);
        Box::pin(async move {
            let (session, _, _) = presented.session().await?;
            Ok(SignedIn { session })
        })
    }
}

impl<const LEVEL: u8> FromRequest for Authorized<LEVEL> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let presented = Presented::of(req);
        let appends = req.app_data::<web::Data<Appends>>().cloned();
        Box::pin(async move {
            let (session, state, path) = presented.session().await?;
            // Before the role: a temporary password opens nothing, whatever the role. Not
            // audited as a denial — it is the page's ordinary state until the change, not a
            // probe of someone else's rights.
            if session.staff.must_change_password {
                return Err(ApiError::Forbidden {
                    code: "password_change_required",
                    message: "change your password first".into(),
                });
            }
            let needed = Self::needed();
            if !session.staff.role().includes(needed) {
                // One entry per account, call and window: a probe is recorded, a loop is not
                // (review D7).
                let key = format!("{} {path}", session.staff.username);
                if appends.as_ref().is_none_or(|a| a.denied(&key)) {
                    let who = session.staff.clone();
                    super::blocking(&state, move |conn| {
                        crate::window::audit_staff(
                            conn,
                            &who,
                            "staff.denied",
                            None,
                            None,
                            "denied",
                            Some(path),
                            super::now(),
                        )
                        .map_err(super::window_error)
                    })
                    .await?;
                }
                return Err(ApiError::Forbidden {
                    code: "role_required",
                    message: format!("this needs the {} role", needed.code()),
                });
            }
            Ok(Authorized { session })
        })
    }
}

/// A JSON body whose refusal waits for the guard: actix runs a handler's extractors together
/// and answers the first error, so a plain `web::Json` would tell an anonymous caller or a
/// too-low role "bad JSON" before 401/403. Handlers take this and call [`body`] after the guard.
pub type JsonBody<T> = Result<web::Json<T>, actix_web::Error>;

/// The same for a query string.
pub type QueryOf<T> = Result<web::Query<T>, actix_web::Error>;

fn bad_request(code: &'static str, e: actix_web::Error) -> ApiError {
    ApiError::BadRequest {
        code,
        message: e.to_string(),
    }
}

pub fn body<T>(extracted: JsonBody<T>) -> Result<T, ApiError> {
    extracted
        .map(web::Json::into_inner)
        .map_err(|e| match e.as_error::<ApiError>() {
            Some(ApiError::RequestTimeout) => ApiError::RequestTimeout,
            _ => bad_request("invalid_json", e),
        })
}

pub fn query<T>(extracted: QueryOf<T>) -> Result<T, ApiError> {
    extracted
        .map(web::Query::into_inner)
        .map_err(|e| bad_request("invalid_query", e))
}
