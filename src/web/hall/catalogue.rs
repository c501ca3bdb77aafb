//! `GET /api/catalogue`: the catalogue in force, public (列出政务服务事项目录清单，并向社会公布).

use crate::web::error::{ApiError, ErrorBody};
use crate::web::{with_pooled, AppState};
use actix_web::{get, web, HttpResponse};

#[utoipa::path(tag = "hall", responses((status = 200, body = crate::hall::catalogue::Catalogue), (status = 503, body = ErrorBody)))]
#[get("/api/catalogue")]
pub async fn catalogue(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let s = state.clone();
    let catalogue = with_pooled(&state.pool, move |conn| super::current(conn, &s)).await?;
    Ok(HttpResponse::Ok().json(catalogue))
}
