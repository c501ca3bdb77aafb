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
    responses((status = 200, body = [Listed]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
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
        queue::recent(conn, wanted.as_deref(), LISTED).map_err(print_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(jobs))
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
