//! The walk-in lookup.

use super::guard::AsClerk;
use super::guard::{self, JsonBody};
use super::{blocking, now, window_error};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use crate::window::card_at_window::card_at_window;
use crate::window::lookup::{lookup as look_up, By, LookupAnswer};
use crate::window::purpose::{Purpose, PurposeCode};
use crate::window::WindowError;
use actix_web::{post, web, HttpResponse};
use serde::Deserialize;

/// Name the citizen one way: `ssn`, or `name` + `birth_date`, or `card: true` (the card in the
/// window's reader). The purpose is required; `other` needs `purpose_text`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupRequest {
    pub purpose: PurposeCode,
    pub purpose_text: Option<String>,
    pub ssn: Option<String>,
    pub name: Option<String>,
    #[schema(value_type = Option<String>, example = "1985-06-15")]
    pub birth_date: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub card: bool,
}

fn by(body: &LookupRequest) -> Result<Option<By>, WindowError> {
    match (&body.ssn, &body.name, body.birth_date, body.card) {
        (Some(ssn), None, None, false) => {
            if ssn.len() > 64 {
                return Err(WindowError::BadInput(
                    "an ID number has 18 characters".into(),
                ));
            }
            Ok(Some(By::Ssn(ssn.clone())))
        }
        (None, Some(name), birth_date, false) => Ok(Some(By::NameAndBirth {
            name: name.clone(),
            birth_date,
        })),
        (None, None, None, true) => Ok(None),
        _ => Err(WindowError::BadInput(
            "give exactly one of: ssn; name (with birth_date when known); card: true".into(),
        )),
    }
}

/// Looks a citizen up for a stated purpose (audited as `record.view`); shows the unified
/// record, their certificates and eligibility certifications, or the candidates of a name.
#[utoipa::path(
    tag = "staff",
    request_body = LookupRequest,
    responses(
        (status = 200, body = LookupAnswer),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_ssn (wrong check character…), invalid_input, card_unreadable", body = ErrorBody)
    )
)]
#[post("/api/staff/lookup")]
pub async fn lookup(
    state: web::Data<AppState>,
    who: AsClerk,
    body: JsonBody<LookupRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let purpose = Purpose::new(body.purpose, body.purpose_text.as_deref()).map_err(window_error)?;
    let by = by(&body).map_err(window_error)?;
    let staff = who.session.staff;
    let center = state.center.clone();
    let rules = state.config.unemployment.clone();
    let answer = blocking(&state, move |conn| {
        let by = match by {
            Some(by) => by,
            None => By::Known {
                id: card_at_window(conn, &center, &staff).map_err(window_error)?,
                how: "by card",
            },
        };
        look_up(conn, &staff, by, &purpose, &rules, now()).map_err(window_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(answer))
}
