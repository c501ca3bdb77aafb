//! The service hall's HTTP surface (issue 15). Public on the center's port: the catalogue
//! (`/api/catalogue`), a ticket's queue page by its unguessable reference (`/api/queue/{ref}`),
//! the hall display's board, event stream and voice (`/api/hall/*`). Staff: the window's queue
//! panel (`/api/staff/hall/*`). Kiosk (terminal port, behind the card session): the menu and
//! bound tickets (`/api/kiosk/hall/*`).

mod catalogue;
mod display;
mod figures;
mod kiosk;
mod public_ticket;
mod rating;
mod window;

use crate::hall::catalogue::Catalogue;
use crate::hall::HallError;
use crate::web::error::ApiError;
use crate::web::AppState;
use actix_web::web;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        catalogue::catalogue,
        public_ticket::ticket,
        display::board,
        display::events,
        display::voice,
        kiosk::menu,
        kiosk::take,
        window::panel,
        window::call,
        window::act,
        window::transfer,
        window::reactivate,
        window::desk_ticket,
        window::record,
        rating::rate,
        rating::cases,
        rating::close,
        rating::appeal,
        rating::decide,
        figures::json,
        figures::csv,
    ),
    components(schemas(
        crate::hall::catalogue::Catalogue,
        crate::hall::catalogue::Hall,
        crate::hall::catalogue::Item,
        crate::hall::catalogue::Material,
        crate::hall::catalogue::MaterialSource,
        crate::hall::catalogue::Channel,
        crate::hall::ticket::Issued,
        crate::hall::ticket::PublicTicket,
        crate::hall::board::Board,
        crate::hall::board::Call,
        crate::hall::board::Waiting,
        crate::hall::calling::Action,
        kiosk::Menu,
        kiosk::TicketRequest,
        kiosk::KioskTicket,
        window::Panel,
        window::Current,
        window::WaitingTicket,
        window::CallBody,
        window::ActBody,
        window::ItemChoice,
        window::TransferBody,
        window::DeskTicket,
        crate::hall::rating::NewRating,
        crate::hall::rating::Rated,
        crate::hall::follow_up::Case,
        rating::CloseBody,
        rating::AppealBody,
        rating::DecisionBody,
        crate::hall::figures::Row,
    )),
    tags((name = "hall", description = "The service hall: catalogue, queue tickets, calling, the hall display"))
)]
pub struct HallApi;

/// The public and staff routes of the center's HTTP port.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(catalogue::catalogue)
        .service(public_ticket::ticket)
        .service(rating::rate)
        .service(rating::cases)
        .service(rating::close)
        .service(rating::appeal)
        .service(rating::decide)
        // The literal .csv path before any pattern could take it.
        .service(figures::csv)
        .service(figures::json)
        .service(display::board)
        .service(display::events)
        .service(display::voice)
        .service(window::panel)
        .service(window::call)
        .service(window::desk_ticket)
        .service(window::record)
        .service(window::transfer)
        .service(window::reactivate)
        .service(window::act);
}

/// The kiosk's routes on the terminal port (reached through the kiosk terminal's proxy).
pub fn configure_kiosk(cfg: &mut web::ServiceConfig) {
    cfg.service(kiosk::menu).service(kiosk::take);
}

pub(crate) fn hall_error(e: HallError) -> ApiError {
    let message = e.to_string();
    match e {
        HallError::Catalogue(_) => ApiError::Unprocessable {
            code: "catalogue_refused",
            message,
        },
        HallError::UnknownItem(_) => ApiError::Unprocessable {
            code: "unknown_item",
            message,
        },
        HallError::NotOffered(_) => ApiError::Unprocessable {
            code: "not_offered",
            message,
        },
        HallError::ConsentMissing(_) => ApiError::Unprocessable {
            code: "consent_required",
            message,
        },
        HallError::AlreadyHolding { .. } => ApiError::Conflict {
            code: "ticket_held",
            message,
        },
        HallError::NoSuchTicket => ApiError::NotFound(message),
        HallError::WrongState(_) => ApiError::Conflict {
            code: "ticket_state",
            message,
        },
        HallError::NotYours(_) => ApiError::Conflict {
            code: "ticket_elsewhere",
            message,
        },
        HallError::TooSoon(_) => ApiError::Conflict {
            code: "too_soon",
            message,
        },
        HallError::Refused(_) => ApiError::Conflict {
            code: "hall_refused",
            message,
        },
        HallError::Db(d) => ApiError::Unavailable(d.to_string()),
        HallError::Print(p) => ApiError::Unavailable(p.to_string()),
        HallError::Pdf(_) | HallError::Voice(_) | HallError::Stored(_) => {
            ApiError::Internal(message)
        }
    }
}

/// The catalogue in force.
pub(crate) fn current(
    conn: &mut crate::db::DbConn,
    state: &AppState,
) -> Result<Catalogue, ApiError> {
    crate::hall::catalogue::store::current(conn, &state.config.hall.windows).map_err(hall_error)
}
