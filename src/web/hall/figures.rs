//! The supervisors' figures of the hall (`/api/staff/hall/figures`, and as CSV), for hall days
//! `from..=to` (default: today).

use crate::hall::figures;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::staff::guard::{AsSupervisor, QueryOf};
use crate::web::{with_pooled, AppState};
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// First hall day, YYYY-MM-DD (default today).
    #[param(value_type = Option<String>)]
    pub from: Option<NaiveDate>,
    /// Last hall day (default `from`).
    #[param(value_type = Option<String>)]
    pub to: Option<NaiveDate>,
}

async fn load(
    state: web::Data<AppState>,
    range: QueryOf<Range>,
) -> Result<Vec<figures::Row>, ApiError> {
    let range = crate::web::staff::guard::query(range)?;
    let s = state.clone();
    with_pooled(&state.pool, move |conn| {
        let now = crate::hall::now();
        let from = range.from.unwrap_or_else(|| s.config.hall.hall_day(now));
        let to = range.to.unwrap_or(from);
        if to < from || (to - from).num_days() > 366 {
            return Err(ApiError::Unprocessable {
                code: "invalid_range",
                message: "日期范围应从早到晚，且不超过一年".into(),
            });
        }
        Ok(figures::rows(conn, &s.config.hall, from, to, now)?)
    })
    .await
}

#[utoipa::path(tag = "hall", params(Range), responses((status = 200, body = Vec<crate::hall::figures::Row>), (status = 403, body = ErrorBody)))]
#[get("/api/staff/hall/figures")]
pub async fn json(
    state: web::Data<AppState>,
    _who: AsSupervisor,
    range: QueryOf<Range>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(load(state, range).await?))
}

#[utoipa::path(tag = "hall", params(Range), responses((status = 200, description = "text/csv", content_type = "text/csv"), (status = 403, body = ErrorBody)))]
#[get("/api/staff/hall/figures.csv")]
pub async fn csv(
    state: web::Data<AppState>,
    _who: AsSupervisor,
    range: QueryOf<Range>,
) -> Result<HttpResponse, ApiError> {
    let rows = load(state, range).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"hall-figures.csv\"",
        ))
        .body(figures::csv(&rows)))
}
