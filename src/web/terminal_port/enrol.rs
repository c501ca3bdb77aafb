//! Enrolment (no certificate yet) and renewal (with the current one).

use super::TerminalPeer;
use crate::audit::{self, NewEntry};
use crate::center::attempts::Verdict;
use crate::center::enrolment::{self, EnrolError};
use crate::protocol::{EnrolReply, EnrolRequest, RenewReply, RenewRequest};
use crate::web::error::ApiError;
use crate::web::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};

fn rfc3339(t: chrono::NaiveDateTime) -> String {
    t.and_utc().to_rfc3339()
}

fn refusal(e: EnrolError) -> ApiError {
    match e {
        EnrolError::UnknownCode | EnrolError::UsedCode | EnrolError::ExpiredCode(_) => {
            ApiError::Forbidden {
                code: "enrolment_code_refused",
                message: e.to_string(),
            }
        }
        EnrolError::Malformed(_) | EnrolError::BadTerminal(_) => ApiError::Unprocessable {
            code: "enrolment_invalid",
            message: e.to_string(),
        },
        EnrolError::Ca(
            crate::center::ca::CaError::BadRequest(_) | crate::center::ca::CaError::RequestTooLarge,
        ) => ApiError::Unprocessable {
            code: "certificate_request_invalid",
            message: e.to_string(),
        },
        other => ApiError::Unavailable(other.to_string()),
    }
}

/// `POST /terminal/v1/enrol`: a one-time code and a certificate request buy a device
/// certificate. Wrong codes count against the address (429 past the limit, audited once).
#[post("/terminal/v1/enrol")]
pub async fn enrol(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<EnrolRequest>,
) -> Result<HttpResponse, ApiError> {
    let peer = req
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into());
    let center = state.center.clone();
    if center.enrol_failures.blocked(peer) {
        return Err(ApiError::TooManyRequests {
            code: "enrolment_rate_limited",
            message: "too many wrong enrolment codes from this address: wait, then try again"
                .into(),
        });
    }
    let body = body.into_inner();
    let secret = body.code.trim().replace('-', "").to_ascii_uppercase();
    let validity = center.certificate_validity();
    let from = peer.to_string();
    let outcome = crate::web::with_pooled(&state.pool, move |conn| {
        let now = chrono::Utc::now().naive_utc();
        let result = enrolment::enrol(conn, &center.ca, &secret, &body.csr, validity, &from, now);
        if let Err(e) = &result {
            let code_refused = matches!(
                e,
                EnrolError::UnknownCode | EnrolError::UsedCode | EnrolError::ExpiredCode(_)
            );
            let verdict = if code_refused {
                center.enrol_failures.failed(peer)
            } else {
                Verdict::Counted
            };
            if verdict != Verdict::Blocked {
                audit::append(
                    conn,
                    &NewEntry {
                        actor: format!("address:{from}"),
                        action: "terminal.enrol".into(),
                        subject_ssn: None,
                        purpose: None,
                        result: if verdict == Verdict::JustBlocked {
                            "rate_limited".into()
                        } else {
                            "denied".into()
                        },
                        detail: Some(e.to_string()),
                    },
                    now,
                )
                .map_err(|e| ApiError::Unavailable(e.to_string()))?;
            }
            tracing::warn!(peer = %from, "terminal enrolment refused: {e}");
        }
        Ok(result.map(|enrolled| (enrolled, center.ca.certificate_pem().to_string())))
    })
    .await?;
    let (enrolled, ca) = outcome.map_err(refusal)?;
    tracing::info!(terminal = %enrolled.terminal.name, "terminal enrolled");
    Ok(HttpResponse::Ok().json(EnrolReply {
        name: enrolled.terminal.name,
        kind: enrolled.terminal.kind.code().into(),
        window_label: enrolled.terminal.window_label,
        certificate: enrolled.certificate.pem,
        ca,
        not_after: rfc3339(enrolled.certificate.not_after),
    }))
}

/// `POST /terminal/v1/renew`: a new certificate for the terminal presenting its current one.
#[post("/terminal/v1/renew")]
pub async fn renew(
    peer: TerminalPeer,
    body: web::Json<RenewRequest>,
) -> Result<HttpResponse, ApiError> {
    let center = peer.state.center.clone();
    let terminal = peer.terminal.clone();
    let validity = center.certificate_validity();
    let issued = crate::web::with_pooled(&peer.state.pool, move |conn| {
        crate::center::terminals::renew(
            conn,
            &center.ca,
            &terminal,
            &body.csr,
            validity,
            chrono::Utc::now().naive_utc(),
        )
        .map_err(|e| match e {
            crate::center::terminals::TerminalError::Ca(
                crate::center::ca::CaError::BadRequest(_)
                | crate::center::ca::CaError::RequestTooLarge,
            ) => ApiError::Unprocessable {
                code: "certificate_request_invalid",
                message: e.to_string(),
            },
            other => ApiError::Unavailable(other.to_string()),
        })
    })
    .await?;
    tracing::info!(terminal = %peer.terminal.name, until = %issued.not_after, "terminal certificate renewed");
    Ok(HttpResponse::Ok().json(RenewReply {
        certificate: issued.pem,
        not_after: rfc3339(issued.not_after),
    }))
}
