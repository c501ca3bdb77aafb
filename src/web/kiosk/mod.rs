//! The kiosk API (`/api/kiosk/*`, issue 5): the event stream of reader and card state, and the
//! citizen's own data for the session opened by their card. Only the kiosk's own browser may
//! call it ([`KioskClient`]); every data call needs the live session's token ([`KioskSession`]).

mod certificates;
mod events;
mod guard;
mod record;
mod session;
mod views;

use actix_web::web;
use utoipa::OpenApi;

pub use guard::{KioskClient, KioskSession};

/// A store failure inside a kiosk handler: the store is in trouble, not the request (503).
fn store(e: impl std::fmt::Display) -> crate::web::error::ApiError {
    crate::web::error::ApiError::Unavailable(e.to_string())
}

#[derive(OpenApi)]
#[openapi(
    paths(
        events::events,
        session::state,
        session::keep_alive,
        session::end,
        session::restart,
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
        crate::kiosk::floor::View,
        crate::kiosk::floor::Screen,
        crate::kiosk::floor::EndReason,
        crate::kiosk::admission::Refusal,
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
        session::Restarted
    )),
    tags((name = "kiosk", description = "The citizen's self-service kiosk (local clients only)")),
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
    cfg.service(events::events)
        .service(session::state)
        .service(session::keep_alive)
        .service(session::end)
        .service(session::restart)
        .service(record::overview)
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
