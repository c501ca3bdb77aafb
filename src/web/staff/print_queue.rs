//! The print queue for supervisors and admins: recent jobs with the printer's reasons, and
//! putting a failed job back in the queue once the printer is fixed. Supervisors may do it
//! (not only admins) because a stuck printer is an everyday matter of the office floor.

use super::guard::{self, AsSupervisor, QueryOf};
use super::{blocking, now, window_error};
use crate::print::queue::{self, Listed, Retry};
use crate::print::PrintError;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;

/// Jobs listed at most.
const LISTED: i64 = 200;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct JobsQuery {
    /// queued, sending, done or failed; none = every state.
    pub state: Option<String>,
}

fn print_error(e: PrintError) -> ApiError {
    match e {
        PrintError::UnknownJob(_) => ApiError::NotFound(e.to_string()),
        PrintError::Db(_) | PrintError::Pool(_) => ApiError::Unavailable(e.to_string()),
        e => ApiError::Internal(e.to_string()),
    }
}

/// The newest print jobs (at most 200), optionally in one state.
#[utoipa::path(
    tag = "staff",
    params(JobsQuery),
    responses((status = 200, body = [ListedJob]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/api/staff/print-jobs")]
pub async fn list(
    state: web::Data<AppState>,
    _who: AsSupervisor,
    query: QueryOf<JobsQuery>,
) -> Result<HttpResponse, ApiError> {
    let wanted = guard::query(query)?.state.filter(|s| !s.is_empty());
    if let Some(s) = &wanted {
        if ![
            queue::QUEUED,
            queue::SENDING,
            queue::DONE,
            queue::FAILED,
            queue::CANCELLED,
        ]
        .contains(&s.as_str())
        {
            return Err(ApiError::Unprocessable {
                code: "invalid_input",
                message: format!("state must be queued, sending, done or failed; got {s:?}"),
            });
        }
    }
    let jobs = blocking(&state, move |conn| {
        let jobs = queue::recent(conn, wanted.as_deref(), LISTED).map_err(print_error)?;
        let sources = sources(conn)?;
        Ok(jobs
            .into_iter()
            .map(|job| ListedJob {
                source_zh: sources.get(&job.id).cloned(),
                job,
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(jobs))
}

/// A job with where it came from (a kiosk terminal, a window clerk), for the queue's tab.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ListedJob {
    #[serde(flatten)]
    pub job: Listed,
    /// "自助终端 kiosk-3", "工作人员 clara"; none when the trail does not say.
    pub source_zh: Option<String>,
}

/// Who asked for each recent print, from the `certificate.print` entries of the trail (their
/// detail reads "SERIAL job ID"): the queue table keeps no terminal column of its own.
fn sources(
    conn: &mut crate::db::DbConn,
) -> Result<std::collections::HashMap<i64, String>, ApiError> {
    let entries = crate::audit::search(
        conn,
        &crate::audit::Filter {
            action: Some("certificate.print".into()),
            limit: 500,
            ..Default::default()
        },
    )
    .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(entries
        .into_iter()
        .filter_map(|e| {
            let detail = e.detail?;
            let id = detail
                .split(" job ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse()
                .ok()?;
            Some((id, crate::audit::labels::actor_zh(&e.actor)))
        })
        .collect())
}

/// Puts a failed job back in the queue, due now, its attempts counted again from one (audited as
/// `print.retry`). A job that is not failed is left alone: 409 `not_failed`.
#[utoipa::path(
    tag = "staff",
    params(("id" = i64, Path, description = "print job id")),
    responses(
        (status = 200, body = Listed),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)
    )
)]
#[post("/api/staff/print-jobs/{id}/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    who: AsSupervisor,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let staff = who.session.staff;
    let retried = blocking(&state, move |conn| {
        let retried = queue::retry(conn, id, now()).map_err(print_error)?;
        let (job, result) = match &retried {
            Retry::Requeued(job) => (job, "ok"),
            Retry::NotFailed(job) => (job, "unchanged"),
        };
        crate::window::audit_staff(
            conn,
            &staff,
            "print.retry",
            Some(&job.ssn),
            None,
            result,
            Some(format!(
                "job {} ({}) on {}",
                job.id, job.serial, job.printer
            )),
            now(),
        )
        .map_err(window_error)?;
        Ok(retried)
    })
    .await?;
    match retried {
        Retry::Requeued(job) => Ok(HttpResponse::Ok().json(job)),
        Retry::NotFailed(job) => Err(ApiError::Conflict {
            code: "not_failed",
            message: format!(
                "print job {} is {}, not failed; only a failed job can be retried",
                job.id, job.state
            ),
        }),
    }
}

/// Cancels a job that has not reached a printer (queued or failed): it is never printed
/// (audited as `print.cancel`). 409 `print_job_state` when it is sending, done or cancelled.
#[utoipa::path(
    tag = "staff",
    params(("id" = i64, Path, description = "print job id")),
    responses(
        (status = 200, body = Listed),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)
    )
)]
#[post("/api/staff/print-jobs/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    who: AsSupervisor,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let staff = who.session.staff;
    let job = blocking(&state, move |conn| {
        let changed = queue::cancel(conn, id, now()).map_err(print_error)?;
        audited(conn, &staff, "print.cancel", id, changed, String::new())
    })
    .await?;
    Ok(HttpResponse::Ok().json(job))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedirectBody {
    /// ipp://HOST:PORT/PATH of another printer of the hall (print.allowed_printer_hosts).
    pub printer: String,
}

/// Sends a waiting job (queued or failed) to another printer (audited as `print.redirect`).
#[utoipa::path(
    tag = "staff",
    params(("id" = i64, Path, description = "print job id")),
    request_body = RedirectBody,
    responses(
        (status = 200, body = Listed),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
#[post("/api/staff/print-jobs/{id}/redirect")]
pub async fn redirect(
    state: web::Data<AppState>,
    who: AsSupervisor,
    id: web::Path<i64>,
    body: guard::JsonBody<RedirectBody>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let printer = guard::body(body)?.printer.trim().to_string();
    let hosts =
        crate::print::allowed_hosts::PrinterHosts::new(&state.config.print.allowed_printer_hosts);
    if !hosts.permits(&printer) {
        return Err(ApiError::Unprocessable {
            code: "printer_not_allowed",
            message: format!(
                "{printer:?} is not a printer of this hall (print.allowed_printer_hosts)"
            ),
        });
    }
    let staff = who.session.staff;
    let job = blocking(&state, move |conn| {
        let changed = queue::redirect(conn, id, &printer, now()).map_err(print_error)?;
        audited(
            conn,
            &staff,
            "print.redirect",
            id,
            changed,
            format!(" to {printer}"),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(job))
}

/// Audits a cancel or redirect (also when nothing changed) and answers with the job.
fn audited(
    conn: &mut crate::db::DbConn,
    staff: &crate::staff::Staff,
    action: &str,
    id: i64,
    changed: Option<Listed>,
    what: String,
) -> Result<Listed, ApiError> {
    let Some(job) = changed else {
        let job = queue::recent(conn, None, LISTED)
            .map_err(print_error)?
            .into_iter()
            .find(|j| j.id == id);
        let state = job.map(|j| j.state).unwrap_or_else(|| "unknown".into());
        return Err(ApiError::Conflict {
            code: "print_job_state",
            message: format!("print job {id} is {state}: only a queued or failed job can change"),
        });
    };
    crate::window::audit_staff(
        conn,
        staff,
        action,
        Some(&job.ssn),
        None,
        "ok",
        Some(format!("job {} ({}){what}", job.id, job.serial)),
        now(),
    )
    .map_err(window_error)?;
    Ok(job)
}
