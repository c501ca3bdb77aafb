//! The kiosk's part of the hall, on the terminal port behind the card session: the menu of
//! items (kiosk-capable ones are done on the screen, the others take a ticket) and a ticket bound
//! to the session's citizen, printed on the kiosk's printer.

use super::hall_error;
use crate::hall::catalogue::{Catalogue, Channel};
use crate::hall::{ticket, ticket_pdf};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::kiosk::KioskSession;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;

/// The catalogue, and the consent text a bound ticket needs.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Menu {
    pub catalogue: Catalogue,
    pub consent_text: String,
}

#[utoipa::path(tag = "kiosk", security(("kiosk_token" = [])), responses((status = 200, body = Menu), (status = 401, body = ErrorBody)))]
#[get("/api/kiosk/hall/menu")]
pub async fn menu(session: KioskSession) -> Result<HttpResponse, ApiError> {
    let state = session.state.clone();
    let menu = session
        .with_conn(move |conn, _| {
            Ok(Menu {
                catalogue: super::current(conn, &state)?,
                consent_text: state.config.hall.consent_text.clone(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(menu))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketRequest {
    /// The item's 实施编码.
    pub item: String,
    /// The citizen agreed on screen to the consent text of the menu.
    pub consent: bool,
    #[serde(default)]
    pub green_channel: bool,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct KioskTicket {
    pub ticket: ticket::Issued,
    /// The print job of the paper ticket, or none when the kiosk's printer is not ready: the
    /// screen shows the number and the ticket's page instead.
    pub print_job: Option<i64>,
}

/// A ticket bound to the session's citizen (one open ticket per item), printed on this kiosk.
#[utoipa::path(tag = "kiosk", request_body = TicketRequest, security(("kiosk_token" = [])), responses((status = 201, body = KioskTicket), (status = 401, body = ErrorBody), (status = 409, description = "ticket_held", body = ErrorBody), (status = 422, description = "consent_required, unknown_item, not_offered", body = ErrorBody)))]
#[post("/api/kiosk/hall/tickets")]
pub async fn take(
    session: KioskSession,
    body: web::Json<TicketRequest>,
) -> Result<HttpResponse, ApiError> {
    let state = session.state.clone();
    let body = body.into_inner();
    let answer = session
        .with_conn(move |conn, citizen| {
            let config = &state.config;
            let catalogue = super::current(conn, &state)?;
            if let Some(item) = catalogue.item(&body.item) {
                // The screen offers a ticket for window items only; say so if asked otherwise.
                if !item.offers(Channel::Window) {
                    return Err(hall_error(crate::hall::HallError::NotOffered(
                        item.name_zh.clone(),
                    )));
                }
            }
            let actor = format!("kiosk:{}", citizen.terminal);
            let request = ticket::Request {
                item_code: &body.item,
                citizen: Some(&citizen.holder.ssn),
                consent: body.consent,
                green_channel: body.green_channel,
                issued_by: &actor,
            };
            let now = crate::hall::now();
            let issued =
                ticket::issue(conn, &config.hall, &catalogue, &request, now).map_err(hall_error)?;
            let print_job = print(conn, config, &citizen.terminal, &catalogue, &issued, now)?;
            Ok(KioskTicket {
                ticket: issued,
                print_job,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(answer))
}

/// Queues the paper ticket on the terminal's printer, unless it is known not to be ready.
fn print(
    conn: &mut crate::db::DbConn,
    config: &crate::config::Config,
    terminal: &str,
    catalogue: &Catalogue,
    issued: &ticket::Issued,
    now: chrono::NaiveDateTime,
) -> Result<Option<i64>, ApiError> {
    let store = |e: diesel::result::Error| ApiError::Unavailable(e.to_string());
    let ready = crate::devices::registry::printer_state(conn, terminal).map_err(store)?;
    if !(ready.is_empty() || ready == "ready") {
        return Ok(None);
    }
    let default = ticket_pdf::default_printer(config);
    let printer = crate::devices::registry::printer_of(conn, terminal, default).map_err(store)?;
    let job = ticket_pdf::print(conn, config, &printer, &catalogue.hall.name, issued, now)
        .map_err(hall_error)?;
    Ok(Some(job))
}
