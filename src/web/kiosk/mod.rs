//! The kiosk API (`/api/kiosk/*`). The kiosk's browser calls it on its terminal
//! (`sskiosk terminal`), which answers the event stream and session calls itself
//! (`terminal::web`) and passes the data calls here, to the center's terminal port: the
//! citizen's own data for the session the center opened after a card proof ([`KioskSession`]).

mod certificates;
mod guard;
mod record;
mod views;

use actix_web::web;
use utoipa::OpenApi;

pub use guard::KioskSession;

/// A store failure inside a kiosk handler: the store is in trouble, not the request (503).
fn store(e: impl std::fmt::Display) -> crate::web::error::ApiError {
    crate::web::error::ApiError::Unavailable(e.to_string())
}

#[derive(OpenApi)]
#[openapi(
    paths(
        crate::terminal::web::events,
        crate::terminal::web::state,
        crate::terminal::web::keep_alive,
        crate::terminal::web::end,
        crate::terminal::web::restart,
        crate::terminal::web::enter,
        record::overview,
        record::contributions,
        record::benefits,
        record::employment,
        record::card,
        record::access_log,
        certificates::options,
        certificates::issue,
        certificates::preview,
        certificates::print_certificate,
        certificates::print_job
    ),
    components(schemas(
        crate::terminal::kiosk::floor::View,
        crate::terminal::kiosk::floor::Screen,
        crate::terminal::kiosk::floor::EndReason,
        crate::protocol::Refusal,
        views::Overview,
        views::CardView,
        views::InsuranceView,
        views::GapView,
        views::BenefitView,
        views::Payment,
        views::BenefitList,
        views::YearGrid,
        views::MonthCell,
        views::EmploymentView,
        views::EmploymentList,
        views::AccessEntry,
        views::AccessLog,
        views::CertificateOptions,
        views::Choice,
        views::IssueRequest,
        views::IssuedView,
        crate::print::queue::JobState,
        crate::terminal::web::Restarted,
        crate::terminal::web::PinEntry,
        crate::terminal::web::PinAnswer
    )),
    tags((name = "kiosk", description = "The citizen's self-service kiosk: served by the kiosk terminal to its own browser (local clients only); the data calls are passed to the center's terminal port")),
    modifiers(&TokenScheme)
)]
pub struct KioskApi;

/// Declares the `kiosk_token` bearer scheme the data calls name.
struct TokenScheme;

impl utoipa::Modify for TokenScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "kiosk_token",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(record::overview)
        .service(record::contributions)
        .service(record::benefits)
        .service(record::employment)
        .service(record::card)
        .service(record::access_log)
        .service(certificates::options)
        .service(certificates::issue)
        .service(certificates::preview)
        .service(certificates::print_certificate)
        .service(certificates::print_job);
}
