//! Window actions on a citizen's behalf. Each is idempotent: issue and print by the client's
//! `idempotency_key`, the others by the state they set.

use super::guard::{self, JsonBody};
use super::guard::{AsClerk, AsSupervisor};
use super::{blocking, now, window_error};
use crate::certificate::Subject;
use crate::domain::{BenefitKind, CitizenId, Insurance, Month};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use crate::window::card_status::{self, CardAction, CardChange};
use crate::window::certificates::{
    self, IssueRequest, IssuedAtWindow, PrintTarget, Printed, Revoked,
};
use crate::window::eligibility::{self, Certified, Method};
use crate::window::WindowError;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    pub ssn: String,
    /// `contribution` (参保缴费证明) or `benefit` (待遇领取证明).
    pub kind: String,
    /// Insurance codes (contribution) or benefit codes (benefit); empty = all on record.
    #[serde(default)]
    pub items: Vec<String>,
    /// First month, YYYY-MM.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Send it to the window's printer.
    #[serde(default)]
    pub print: bool,
    /// Print even though the citizen reached the monthly limit (the kiosk sent them here), for
    /// this reason (1–200 characters; audited as print.limit_override).
    pub limit_override_reason: Option<String>,
    /// A fresh random key per click of the button (8–64 letters, digits, '-', '_').
    pub idempotency_key: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrintBody {
    pub idempotency_key: String,
    /// As in IssueBody: the limit overridden for this reason (audited).
    pub limit_override_reason: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeBody {
    pub reason: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardBody {
    pub action: CardAction,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EligibilityBody {
    pub ssn: String,
    pub year: i32,
    pub method: Method,
}

fn bad(message: String) -> ApiError {
    window_error(WindowError::BadInput(message))
}

fn subject(kind: &str, items: &[String]) -> Result<Subject, ApiError> {
    match kind {
        "contribution" => Ok(Subject::Contributions(
            items
                .iter()
                .map(|c| Insurance::parse(c).map_err(|e| bad(e.to_string())))
                .collect::<Result<_, _>>()?,
        )),
        "benefit" => Ok(Subject::Benefits(
            items
                .iter()
                .map(|c| BenefitKind::parse(c).map_err(|e| bad(e.to_string())))
                .collect::<Result<_, _>>()?,
        )),
        _ => Err(bad("kind must be contribution or benefit".into())),
    }
}

fn month(text: &Option<String>) -> Result<Option<Month>, ApiError> {
    text.as_deref()
        .map(|m| Month::parse(m).map_err(|e| bad(e.to_string())))
        .transpose()
}

fn ssn(text: &str) -> Result<CitizenId, ApiError> {
    CitizenId::parse(text).map_err(|e| window_error(e.into()))
}

fn target(state: &AppState, limit_override: Option<String>) -> PrintTarget {
    let window = &state.config.window.printer_uri;
    let configured = if window.is_empty() {
        &state.config.print.printer_uri
    } else {
        window
    };
    PrintTarget {
        printer_uri: state.device.printer(configured),
        monthly_limit: state.config.print.monthly_limit_per_citizen,
        limit_override,
    }
}

/// Issues a certificate for the citizen and, with `print`, queues it on the window's printer.
/// The same `idempotency_key` again returns the first answer (200) instead of a new one (201).
#[utoipa::path(
    tag = "staff",
    request_body = IssueBody,
    responses(
        (status = 201, body = IssuedAtWindow),
        (status = 200, description = "repeated key: the first answer", body = IssuedAtWindow),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "print_limit_reached, idempotency_key_reused, conflict", body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
#[post("/api/staff/certificates")]
pub async fn issue_certificate(
    state: web::Data<AppState>,
    who: AsClerk,
    body: JsonBody<IssueBody>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let request = IssueRequest {
        ssn: ssn(&body.ssn)?,
        subject: subject(&body.kind, &body.items)?,
        from: month(&body.from)?,
        to: month(&body.to)?,
        print: body.print,
        idempotency_key: body.idempotency_key,
    };
    let target = target(&state, body.limit_override_reason);
    let service = state.certificates.clone();
    let staff = who.session.staff;
    let (issued, repeated) = blocking(&state, move |conn| {
        certificates::issue(conn, &service, &staff, &request, &target, now()).map_err(window_error)
    })
    .await?;
    Ok(if repeated {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    }
    .json(issued))
}

/// Prints an issued certificate again on the window's printer.
#[utoipa::path(
    tag = "staff",
    request_body = PrintBody,
    params(("serial" = String, Path, description = "certificate serial")),
    responses(
        (status = 201, body = Printed), (status = 200, body = Printed),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)
    )
)]
#[post("/api/staff/certificates/{serial}/print")]
pub async fn print_certificate(
    state: web::Data<AppState>,
    who: AsClerk,
    serial: web::Path<String>,
    body: JsonBody<PrintBody>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let target = target(&state, body.limit_override_reason);
    let service = state.certificates.clone();
    let staff = who.session.staff;
    let serial = serial.into_inner();
    let key = body.idempotency_key;
    let (printed, repeated) = blocking(&state, move |conn| {
        certificates::reprint(conn, &service, &staff, &serial, &key, &target, now())
            .map_err(window_error)
    })
    .await?;
    Ok(if repeated {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    }
    .json(printed))
}

/// Revokes a certificate with a reason (supervisor). Revoking a revoked one changes nothing.
#[utoipa::path(
    tag = "staff",
    request_body = RevokeBody,
    params(("serial" = String, Path, description = "certificate serial")),
    responses(
        (status = 200, body = Revoked),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
#[post("/api/staff/certificates/{serial}/revoke")]
pub async fn revoke_certificate(
    state: web::Data<AppState>,
    who: AsSupervisor,
    serial: web::Path<String>,
    body: JsonBody<RevokeBody>,
) -> Result<HttpResponse, ApiError> {
    let service = state.certificates.clone();
    let staff = who.session.staff;
    let serial = serial.into_inner();
    let reason = guard::body(body)?.reason;
    let revoked: Revoked = blocking(&state, move |conn| {
        certificates::revoke(conn, &service, &staff, &serial, &reason, now()).map_err(window_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(revoked))
}

/// The state of a print job (queued, sending, done, failed) and the printer's last reason.
#[utoipa::path(
    tag = "staff",
    params(("id" = i64, Path, description = "print job id")),
    responses((status = 200, body = crate::print::queue::JobState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/api/staff/print-jobs/{id}")]
pub async fn print_job(
    state: web::Data<AppState>,
    who: AsClerk,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let staff = who.session.staff;
    let job = blocking(&state, move |conn| {
        certificates::job_state_seen_by(conn, &staff, id, now()).map_err(window_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(job))
}

/// Temporary loss report (temp_loss), its release, or permanent loss (lost) of a card.
#[utoipa::path(
    tag = "staff",
    request_body = CardBody,
    params(("card_no" = String, Path, description = "card number")),
    responses(
        (status = 200, body = CardChange),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
#[post("/api/staff/cards/{card_no}/status")]
pub async fn card_action(
    state: web::Data<AppState>,
    who: AsClerk,
    card_no: web::Path<String>,
    body: JsonBody<CardBody>,
) -> Result<HttpResponse, ApiError> {
    let staff = who.session.staff;
    let card_no = card_no.into_inner();
    let action = guard::body(body)?.action;
    let change: CardChange = blocking(&state, move |conn| {
        card_status::change(conn, &staff, &card_no, action, now()).map_err(window_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(change))
}

/// Records the annual pension eligibility certification (领取待遇资格认证) of a year.
#[utoipa::path(
    tag = "staff",
    request_body = EligibilityBody,
    responses(
        (status = 201, body = Certified),
        (status = 200, description = "the year was already certified", body = Certified),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
#[post("/api/staff/eligibility")]
pub async fn certify_eligibility(
    state: web::Data<AppState>,
    who: AsClerk,
    body: JsonBody<EligibilityBody>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let id = ssn(&body.ssn)?;
    let staff = who.session.staff;
    let certified: Certified = blocking(&state, move |conn| {
        eligibility::certify(conn, &staff, &id, body.year, body.method, now()).map_err(window_error)
    })
    .await?;
    Ok(if certified.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(certified))
}
