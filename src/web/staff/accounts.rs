//! Staff management (admins: create, role, disable, password reset) and unlocking
//! (supervisors).

use super::guard::{self, JsonBody};
use super::guard::{AsAdmin, AsSupervisor};
use super::{blocking, now, staff_error};
use crate::staff::account::{self, NewStaff};
use crate::staff::{actor, Role, Staff};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub window_no: Option<String>,
    pub role: Role,
    /// The first password, temporary: the person must change it at first sign-in before
    /// anything else works.
    pub password: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    pub role: Role,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisabledBody {
    pub disabled: bool,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// A temporary password (the usual policy), to be given to the person, who must change it
    /// at their next sign-in.
    pub password: String,
}

/// Every staff account.
#[utoipa::path(tag = "staff", responses((status = 200, body = [Staff]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/api/staff/accounts")]
pub async fn list(state: web::Data<AppState>, _who: AsAdmin) -> Result<HttpResponse, ApiError> {
    let all = blocking(&state, |conn| account::list(conn).map_err(staff_error)).await?;
    Ok(HttpResponse::Ok().json(all))
}

/// Creates an account (audited as `staff.create`).
#[utoipa::path(
    tag = "staff",
    request_body = NewAccount,
    responses((status = 201, body = Staff), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/api/staff/accounts")]
pub async fn create(
    state: web::Data<AppState>,
    who: AsAdmin,
    body: JsonBody<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let b = guard::body(body)?;
    let new = NewStaff {
        username: b.username,
        display_name: b.display_name,
        window_no: b.window_no.filter(|w| !w.trim().is_empty()),
        role: b.role,
        password: b.password,
        // An admin chose it, so it is known to two people: temporary.
        must_change_password: true,
    };
    let min = state.config.staff.password_min_length;
    let by = actor(&who.staff().username);
    let created = blocking(&state, move |conn| {
        account::create(conn, &new, min, &by, now()).map_err(staff_error)
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Changes an account's role (audited as `staff.role`).
#[utoipa::path(
    tag = "staff",
    request_body = RoleBody,
    params(("username" = String, Path, description = "account")),
    responses((status = 200, body = Staff), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the last enabled admin would be gone (last_admin)", body = ErrorBody))
)]
#[post("/api/staff/accounts/{username}/role")]
pub async fn set_role(
    state: web::Data<AppState>,
    who: AsAdmin,
    username: web::Path<String>,
    body: JsonBody<RoleBody>,
) -> Result<HttpResponse, ApiError> {
    let by = actor(&who.staff().username);
    let (username, role) = (username.into_inner(), guard::body(body)?.role);
    let changed = blocking(&state, move |conn| {
        account::set_role(conn, &username, role, &by, now()).map_err(staff_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(changed))
}

/// Disables (ending its sessions) or re-enables an account.
#[utoipa::path(
    tag = "staff",
    request_body = DisabledBody,
    params(("username" = String, Path, description = "account")),
    responses((status = 200, body = Staff), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "the last enabled admin would be gone (last_admin)", body = ErrorBody))
)]
#[post("/api/staff/accounts/{username}/disabled")]
pub async fn set_disabled(
    state: web::Data<AppState>,
    who: AsAdmin,
    username: web::Path<String>,
    body: JsonBody<DisabledBody>,
) -> Result<HttpResponse, ApiError> {
    let by = actor(&who.staff().username);
    let (username, disabled) = (username.into_inner(), guard::body(body)?.disabled);
    let changed = blocking(&state, move |conn| {
        account::set_disabled(conn, &username, disabled, &by, now()).map_err(staff_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(changed))
}

/// Gives an account a temporary password (admin): every session of the account ends, a lockout
/// is lifted, and the person must change the password at the next sign-in. Audited as
/// `staff.password_reset`.
#[utoipa::path(
    tag = "staff",
    request_body = PasswordReset,
    params(("username" = String, Path, description = "account")),
    responses(
        (status = 200, body = Staff),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "weak_password", body = ErrorBody)
    )
)]
#[post("/api/staff/accounts/{username}/password")]
pub async fn reset_password(
    state: web::Data<AppState>,
    who: AsAdmin,
    username: web::Path<String>,
    body: JsonBody<PasswordReset>,
) -> Result<HttpResponse, ApiError> {
    let by = actor(&who.staff().username);
    let (username, temporary) = (username.into_inner(), guard::body(body)?.password);
    let min = state.config.staff.password_min_length;
    let reset = blocking(&state, move |conn| {
        account::reset_password(conn, &username, &temporary, min, &by, now()).map_err(staff_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(reset))
}

/// Lifts a lockout after repeated wrong passwords (supervisor).
#[utoipa::path(
    tag = "staff",
    params(("username" = String, Path, description = "account")),
    responses((status = 200, body = Staff), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[post("/api/staff/accounts/{username}/unlock")]
pub async fn unlock(
    state: web::Data<AppState>,
    who: AsSupervisor,
    username: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let by = actor(&who.staff().username);
    let username = username.into_inner();
    let unlocked = blocking(&state, move |conn| {
        account::unlock(conn, &username, &by, now()).map_err(staff_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(unlocked))
}
