//! 好差评 over HTTP: the citizen rates a finished ticket from its own page (the QR on the paper
//! ticket: the reference is the only key, so no name is asked and none is stored); supervisors
//! work the follow-up cases of bad ratings, and the rated clerk may appeal.

use super::hall_error;
use crate::hall::follow_up::{self, Case};
use crate::hall::rating::{self, NewRating};
use crate::hall::ticket as tickets;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::staff::guard::{self, AsClerk, AsSupervisor, JsonBody};
use crate::web::{with_pooled, AppState};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;

#[utoipa::path(tag = "hall", params(("reference" = String, Path)), request_body = NewRating, responses((status = 201, body = crate::hall::rating::Rated), (status = 404, body = ErrorBody), (status = 409, description = "ticket_state: 该办件已评价 / 尚未办结; hall_refused: out of the rating period, bad level or reason", body = ErrorBody)))]
#[post("/api/queue/{reference}/rating")]
pub async fn rate(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    body: web::Json<NewRating>,
) -> Result<HttpResponse, ApiError> {
    let s = state.clone();
    let body = body.into_inner();
    let rated = with_pooled(&state.pool, move |conn| {
        let ticket = tickets::by_reference(conn, &reference).map_err(hall_error)?;
        rating::rate(
            conn,
            &s.config.hall,
            &ticket,
            &body,
            "qr",
            crate::hall::now(),
        )
        .map_err(hall_error)
    })
    .await?;
    Ok(HttpResponse::Created().json(rated))
}

#[utoipa::path(tag = "hall", responses((status = 200, body = Vec<Case>), (status = 403, body = ErrorBody)))]
#[get("/api/staff/hall/cases")]
pub async fn cases(
    state: web::Data<AppState>,
    _who: AsSupervisor,
) -> Result<HttpResponse, ApiError> {
    let s = state.clone();
    let list = with_pooled(&state.pool, move |conn| {
        follow_up::list(conn, &s.config.hall, crate::hall::now()).map_err(hall_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// 回访情况.
    pub callback_note: String,
    /// 整改措施.
    pub fix_note: String,
}

#[utoipa::path(tag = "hall", params(("id" = i64, Path)), request_body = CloseBody, responses((status = 200, body = Case), (status = 409, body = ErrorBody)))]
#[post("/api/staff/hall/cases/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    who: AsSupervisor,
    id: web::Path<i64>,
    body: JsonBody<CloseBody>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let actor = crate::staff::actor(&who.staff().username);
    let (s, id) = (state.clone(), id.into_inner());
    let case = with_pooled(&state.pool, move |conn| {
        let now = crate::hall::now();
        follow_up::close(
            conn,
            &s.config.hall,
            id,
            &body.callback_note,
            &body.fix_note,
            &actor,
            now,
        )
        .map_err(hall_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(case))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealBody {
    pub note: String,
}

/// 申诉: the clerk whose service was rated asks a supervisor to review the rating.
#[utoipa::path(tag = "hall", params(("id" = i64, Path)), request_body = AppealBody, responses((status = 200, body = Case), (status = 409, body = ErrorBody)))]
#[post("/api/staff/hall/cases/{id}/appeal")]
pub async fn appeal(
    state: web::Data<AppState>,
    who: AsClerk,
    id: web::Path<i64>,
    body: JsonBody<AppealBody>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let clerk = who.staff().username.clone();
    let (s, id) = (state.clone(), id.into_inner());
    let case = with_pooled(&state.pool, move |conn| {
        follow_up::appeal(
            conn,
            &s.config.hall,
            id,
            &clerk,
            &body.note,
            crate::hall::now(),
        )
        .map_err(hall_error)
    })
    .await?;
    // The clerk learns the decision, not the case's other details.
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({"id": case.id, "appeal_state": case.appeal_state})))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub upheld: bool,
}

#[utoipa::path(tag = "hall", params(("id" = i64, Path)), request_body = DecisionBody, responses((status = 200, body = Case), (status = 409, body = ErrorBody)))]
#[post("/api/staff/hall/cases/{id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    who: AsSupervisor,
    id: web::Path<i64>,
    body: JsonBody<DecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let actor = crate::staff::actor(&who.staff().username);
    let (s, id) = (state.clone(), id.into_inner());
    let case = with_pooled(&state.pool, move |conn| {
        follow_up::decide(
            conn,
            &s.config.hall,
            id,
            body.upheld,
            &actor,
            crate::hall::now(),
        )
        .map_err(hall_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(case))
}
