//! The supervisors' search of the audit log. A search by citizen is itself a look at personal
//! data, so it is audited too.

use super::guard::AsSupervisor;
use super::guard::{self, QueryOf};
use super::{blocking, now, window_error};
use crate::audit::{search as find, Entry, Filter};
use crate::domain::CitizenId;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use crate::window::WindowError;
use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// The citizen's ID number.
    subject_ssn: Option<String>,
    /// `staff:alice`, or a prefix ending in ':' (`staff:`, `kiosk:`).
    actor: Option<String>,
    /// `record.view`, or a prefix ending in '.' (`certificate.`).
    action: Option<String>,
    /// From this UTC time (inclusive), e.g. 2026-11-27T00:00:00.
    from: Option<chrono::NaiveDateTime>,
    /// Until this UTC time (exclusive).
    until: Option<chrono::NaiveDateTime>,
    /// Page backwards: entries before this sequence number.
    before_seq: Option<i64>,
    /// At most this many (1–500, default 100).
    limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub entries: Vec<Entry>,
}

fn short(text: Option<String>, what: &str) -> Result<Option<String>, ApiError> {
    match text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > 100 => Err(window_error(WindowError::BadInput(format!(
            "{what} is at most 100 characters"
        )))),
        other => Ok(other),
    }
}

/// Audit entries matching every given filter, newest first.
#[utoipa::path(
    tag = "staff",
    params(AuditQuery),
    responses(
        (status = 200, body = AuditPage),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
#[get("/api/staff/audit")]
pub async fn search(
    state: web::Data<AppState>,
    who: AsSupervisor,
    query: QueryOf<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = guard::query(query)?;
    let subject = match short(q.subject_ssn, "subject_ssn")? {
        Some(text) => Some(
            CitizenId::parse(&text)
                .map_err(|e| window_error(e.into()))?
                .into_string(),
        ),
        None => None,
    };
    let filter = Filter {
        subject_ssn: subject.clone(),
        actor: short(q.actor, "actor")?,
        action: short(q.action, "action")?,
        from: q.from,
        until: q.until,
        before_seq: q.before_seq,
        limit: q.limit.unwrap_or(100),
    };
    let staff = who.session.staff;
    let entries = blocking(&state, move |conn| {
        let entries = find(conn, &filter).map_err(|e| ApiError::Unavailable(e.to_string()))?;
        if let Some(ssn) = &subject {
            crate::window::audit_staff(
                conn,
                &staff,
                "audit.search",
                Some(ssn),
                None,
                "ok",
                None,
                now(),
            )
            .map_err(window_error)?;
        }
        Ok(entries)
    })
    .await?;
    Ok(HttpResponse::Ok().json(AuditPage { entries }))
}
