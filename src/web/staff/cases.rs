//! The supervisor's fund-safety worklist (issue 12): pending cases by rule, amount or age, a case
//! with its evidence, the decisions on it, the figures per rule and the CSV for the paying
//! system. Supervisors and admins only; a case page and the export show citizens' data, so each
//! is audited like a lookup.

use super::guard::{self, AsSupervisor, JsonBody, QueryOf};
use super::{blocking, now, window_error};
use crate::checks::cases::{self, CaseDetail, CaseState, CaseSummary, Change, RuleFigures, Sort};
use crate::checks::{ChecksError, Rule};
use crate::domain::Fen;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;

fn checks_error(e: ChecksError) -> ApiError {
    let message = e.to_string();
    match e {
        ChecksError::NoCase(_) => ApiError::NotFound(message),
        ChecksError::Refused(_) => ApiError::Conflict {
            code: "case_state",
            message,
        },
        ChecksError::BadInput(_) | ChecksError::UnknownBatch(_) => ApiError::Unprocessable {
            code: "invalid_input",
            message,
        },
        ChecksError::Db(d) => ApiError::Unavailable(d.to_string()),
        ChecksError::Corrupt(_) => ApiError::Internal(message),
    }
}

fn invalid(message: String) -> ApiError {
    ApiError::Unprocessable {
        code: "invalid_input",
        message,
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CasesQuery {
    /// open, under_review, confirmed or cleared; none = the pending ones (open, under review).
    state: Option<String>,
    /// A rule code, e.g. paid_after_death.
    rule: Option<String>,
    /// amount (largest first, the default), age (oldest first) or rule.
    sort: Option<Sort>,
    /// At most this many (1–1000, default 200).
    limit: Option<i64>,
}

/// The worklist.
#[utoipa::path(
    tag = "staff",
    params(CasesQuery),
    responses((status = 200, body = [CaseSummary]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/api/staff/cases")]
pub async fn list(
    state: web::Data<AppState>,
    _who: AsSupervisor,
    query: QueryOf<CasesQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = guard::query(query)?;
    let listing = cases::Listing {
        state: match q.state.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(CaseState::parse(s).ok_or_else(|| {
                invalid(format!(
                    "state must be open, under_review, confirmed or cleared; got {s:?}"
                ))
            })?),
        },
        rule: match q.rule.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(r) => Some(Rule::parse(r).ok_or_else(|| invalid(format!("unknown rule {r:?}")))?),
        },
        sort: q.sort.unwrap_or(Sort::Amount),
        limit: q.limit.unwrap_or(200),
    };
    let found = blocking(&state, move |conn| {
        cases::list(conn, &listing).map_err(checks_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Cases, amount at risk, confirmed, to recover and recovered, per rule.
#[utoipa::path(
    tag = "staff",
    responses((status = 200, body = [RuleFigures]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/api/staff/cases/figures")]
pub async fn figures(
    state: web::Data<AppState>,
    _who: AsSupervisor,
) -> Result<HttpResponse, ApiError> {
    let figures = blocking(&state, |conn| cases::figures(conn).map_err(checks_error)).await?;
    Ok(HttpResponse::Ok().json(figures))
}

/// The confirmed cases as CSV for the paying system (audited as `case.export`).
#[utoipa::path(
    tag = "staff",
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/api/staff/cases/export.csv")]
pub async fn export(
    state: web::Data<AppState>,
    who: AsSupervisor,
) -> Result<HttpResponse, ApiError> {
    let staff = who.session.staff;
    let csv = blocking(&state, move |conn| {
        let csv = cases::export_csv(conn).map_err(checks_error)?;
        crate::window::audit_staff(
            conn,
            &staff,
            "case.export",
            None,
            None,
            "ok",
            Some(format!(
                "{} confirmed cases",
                csv.lines().count().saturating_sub(1)
            )),
            now(),
        )
        .map_err(window_error)?;
        Ok(csv)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"fund-safety-confirmed.csv\"",
        ))
        .body(csv))
}

/// One case with its evidence rows (audited as `case.view`).
#[utoipa::path(
    tag = "staff",
    params(("id" = i64, Path, description = "case number")),
    responses((status = 200, body = CaseDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/api/staff/cases/{id}")]
pub async fn case(
    state: web::Data<AppState>,
    who: AsSupervisor,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let staff = who.session.staff;
    let detail = blocking(&state, move |conn| {
        let detail = cases::case(conn, id).map_err(checks_error)?;
        crate::window::audit_staff(
            conn,
            &staff,
            "case.view",
            Some(&detail.summary.ssn),
            None,
            "ok",
            Some(format!("case {id}")),
            now(),
        )
        .map_err(window_error)?;
        Ok(detail)
    })
    .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// A decision: `review` (open → under review, 暂停发放 requested; `note` says what was asked),
/// `confirm` (under review → confirmed; `amount` to recover in yuan and `note` the basis),
/// `clear` (open or under review → cleared; `note` the reason), `recovered` (a confirmed case:
/// `amount` recovered so far).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseChange {
    pub action: String,
    pub note: Option<String>,
    /// Yuan, e.g. "1234.50".
    pub amount: Option<String>,
}

fn change_of(body: CaseChange) -> Result<Change, ApiError> {
    let note = || body.note.clone().unwrap_or_default();
    let amount = || -> Result<Fen, ApiError> {
        let text = body
            .amount
            .as_deref()
            .ok_or_else(|| invalid("amount (yuan) is required".into()))?;
        Fen::parse_yuan(text).map_err(|e| invalid(format!("amount: {e}")))
    };
    match body.action.as_str() {
        "review" => Ok(Change::Review { note: note() }),
        "confirm" => Ok(Change::Confirm {
            recover: amount()?,
            basis: note(),
        }),
        "clear" => Ok(Change::Clear { reason: note() }),
        "recovered" => Ok(Change::Recovered { amount: amount()? }),
        other => Err(invalid(format!(
            "action must be review, confirm, clear or recovered; got {other:?}"
        ))),
    }
}

/// Changes a case's state (audited as `case.review`, `case.confirm`, `case.clear`,
/// `case.recovered` with the supervisor's name) and answers the case as it now is.
#[utoipa::path(
    tag = "staff",
    params(("id" = i64, Path, description = "case number")),
    request_body = CaseChange,
    responses(
        (status = 200, body = CaseDetail),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "case_state: not possible in the case's state", body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
#[post("/api/staff/cases/{id}/state")]
pub async fn change(
    state: web::Data<AppState>,
    who: AsSupervisor,
    id: web::Path<i64>,
    body: JsonBody<CaseChange>,
) -> Result<HttpResponse, ApiError> {
    let change = change_of(guard::body(body)?)?;
    let id = id.into_inner();
    let actor = crate::staff::actor(&who.session.staff.username);
    let detail = blocking(&state, move |conn| {
        cases::change(conn, id, &change, &actor, now()).map_err(checks_error)?;
        cases::case(conn, id).map_err(checks_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(detail))
}
