//! `GET /api/queue/{ref}`: a ticket's place in its queue, for the holder's phone (the QR on the
//! paper ticket). The reference is 128 random bits; a ticket number or a guess is a 404.

use super::hall_error;
use crate::hall::ticket as tickets;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{with_pooled, AppState};
use actix_web::{get, web, HttpResponse};

#[utoipa::path(tag = "hall", params(("reference" = String, Path, description = "the ticket's public reference (from its QR code)")), responses((status = 200, body = crate::hall::ticket::PublicTicket), (status = 404, body = ErrorBody)))]
#[get("/api/queue/{reference}")]
pub async fn ticket(
    state: web::Data<AppState>,
    reference: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let s = state.clone();
    let answer = with_pooled(&state.pool, move |conn| {
        let found = tickets::by_reference(conn, &reference).map_err(hall_error)?;
        let catalogue = super::current(conn, &s)?;
        tickets::public(conn, &s.config.hall, &catalogue, &found, crate::hall::now())
            .map_err(hall_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(answer))
}
