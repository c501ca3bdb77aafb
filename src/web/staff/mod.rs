//! The window's HTTP API under /api/staff/ (issue 6). Handlers are thin: the guard argument
//! ([`guard`]) authorizes, the body is validated into domain types, one function of
//! `crate::staff` or `crate::window` runs on a blocking thread, and its error is mapped here.

mod accounts;
mod actions;
mod audit_search;
mod cases;
mod devices;
pub mod guard;
mod imports;
mod lookup;
mod print_queue;
mod session;
mod terminals;

use super::error::ApiError;
use super::AppState;
use crate::staff::StaffError;
use crate::window::WindowError;
use actix_web::web;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        session::login,
        session::logout,
        session::current,
        session::change_password,
        lookup::lookup,
        actions::issue_certificate,
        actions::print_certificate,
        actions::revoke_certificate,
        actions::print_job,
        actions::card_action,
        actions::certify_eligibility,
        audit_search::search,
        audit_search::export_csv,
        accounts::list,
        accounts::create,
        accounts::set_role,
        accounts::set_disabled,
        accounts::unlock,
        devices::list,
        devices::change,
        terminals::list,
        terminals::enrol_code,
        terminals::revoke,
        accounts::reset_password,
        imports::import,
        print_queue::list,
        print_queue::retry,
        print_queue::cancel,
        print_queue::redirect,
        cases::list,
        cases::figures,
        cases::export,
        cases::case,
        cases::change,
    ),
    components(schemas(
        crate::staff::Staff,
        crate::staff::Role,
        session::LoginRequest,
        session::SessionInfo,
        session::PasswordChange,
        print_queue::RedirectBody,
        print_queue::ListedJob,
        lookup::LookupRequest,
        crate::window::purpose::PurposeCode,
        crate::window::lookup::LookupAnswer,
        crate::window::lookup::CertificateSummary,
        crate::window::lookup::Candidate,
        crate::window::eligibility::Certification,
        crate::window::eligibility::Certified,
        crate::window::eligibility::Method,
        crate::window::certificates::IssuedAtWindow,
        crate::window::certificates::Printed,
        crate::window::certificates::Revoked,
        crate::print::queue::JobState,
        crate::window::card_status::CardAction,
        crate::window::card_status::CardChange,
        actions::IssueBody,
        actions::PrintBody,
        actions::RevokeBody,
        actions::CardBody,
        actions::EligibilityBody,
        audit_search::AuditPage,
        audit_search::AuditRow,
        crate::audit::Entry,
        accounts::NewAccount,
        accounts::RoleBody,
        accounts::DisabledBody,
        devices::DeviceList,
        devices::DeviceChange,
        crate::center::terminals::Enrolment,
        crate::center::enrolment::CodeRequest,
        crate::center::enrolment::NewCode,
        devices::Applied,
        crate::devices::Device,
        accounts::PasswordReset,
        crate::import::upload::UploadReport,
        crate::import::upload::RejectLine,
        crate::print::queue::Listed,
        crate::checks::cases::CaseSummary,
        crate::checks::cases::CaseDetail,
        crate::checks::cases::CaseState,
        crate::checks::cases::RuleFigures,
        crate::checks::cases::Sort,
        crate::checks::cases::FundSafetyNotice,
        crate::checks::Evidence,
        crate::checks::Rule,
        cases::CaseChange,
    ))
)]
pub struct StaffApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(session::login)
        .service(session::logout)
        .service(session::current)
        .service(session::change_password)
        .service(lookup::lookup)
        .service(actions::issue_certificate)
        .service(actions::print_certificate)
        .service(actions::revoke_certificate)
        .service(actions::print_job)
        .service(actions::card_action)
        .service(actions::certify_eligibility)
        // export.csv before any pattern route of the same prefix.
        .service(audit_search::export_csv)
        .service(audit_search::search)
        .service(accounts::list)
        .service(accounts::create)
        .service(accounts::set_role)
        .service(accounts::set_disabled)
        .service(accounts::unlock)
        .service(devices::list)
        .service(devices::change)
        .service(terminals::list)
        .service(terminals::enrol_code)
        .service(terminals::revoke)
        .service(accounts::reset_password)
        .service(imports::import)
        .service(print_queue::list)
        .service(print_queue::retry)
        .service(print_queue::cancel)
        .service(print_queue::redirect)
        // The literal paths before {id}, which would take them.
        .service(cases::list)
        .service(cases::figures)
        .service(cases::export)
        .service(cases::case)
        .service(cases::change);
}

pub(crate) fn staff_error(e: StaffError) -> ApiError {
    let message = e.to_string();
    match e {
        StaffError::BadUsername
        | StaffError::BadDisplayName
        | StaffError::BadWindow
        | StaffError::BadRole(_) => ApiError::Unprocessable {
            code: "invalid_account",
            message,
        },
        StaffError::WeakPassword { .. } | StaffError::LongPassword => ApiError::Unprocessable {
            code: "weak_password",
            message,
        },
        StaffError::SamePassword => ApiError::Unprocessable {
            code: "same_password",
            message,
        },
        StaffError::Taken(_) => ApiError::Conflict {
            code: "username_taken",
            message,
        },
        StaffError::LastAdmin(_) => ApiError::Conflict {
            code: "last_admin",
            message,
        },
        StaffError::Unknown(_) => ApiError::NotFound(message),
        StaffError::BadCredentials => ApiError::Unauthorized {
            code: "bad_credentials",
            message,
        },
        StaffError::Locked { .. } => ApiError::TooManyRequests {
            code: "account_locked",
            message,
        },
        StaffError::RateLimited { .. } => ApiError::TooManyRequests {
            code: "rate_limited",
            message,
        },
        StaffError::WrongCurrentPassword => ApiError::Forbidden {
            code: "wrong_password",
            message,
        },
        StaffError::Hash(detail) => ApiError::Internal(detail),
        StaffError::Db(d) => ApiError::Unavailable(d.to_string()),
    }
}

pub(crate) fn window_error(e: WindowError) -> ApiError {
    let message = e.to_string();
    match e {
        WindowError::InvalidSsn(e) => ApiError::Invalid {
            code: "invalid_ssn",
            message,
            message_zh: e.zh(),
        },
        WindowError::BadInput(_) => ApiError::Unprocessable {
            code: "invalid_input",
            message,
        },
        WindowError::NotFound(_) => ApiError::NotFound(message),
        WindowError::Conflict(_) => ApiError::Conflict {
            code: "conflict",
            message,
        },
        WindowError::KeyReused => ApiError::Conflict {
            code: "idempotency_key_reused",
            message,
        },
        WindowError::PrintLimit(_) => ApiError::Conflict {
            code: "print_limit_reached",
            message,
        },
        WindowError::Reader(_) => ApiError::Conflict {
            code: "reader_unavailable",
            message,
        },
        WindowError::Card(_) => ApiError::Unprocessable {
            code: "card_unreadable",
            message,
        },
        WindowError::Certificate(c) => ApiError::Internal(c.to_string()),
        WindowError::Db(d) => ApiError::Unavailable(d.to_string()),
    }
}

/// Runs `f` with a pooled connection on a blocking thread (diesel, argon2 and PC/SC block).
pub(crate) async fn blocking<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::db::DbConn) -> Result<T, ApiError> + Send + 'static,
{
    crate::web::with_pooled(&state.pool, f).await
}

pub(crate) fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
