//! The supervisors' search of the audit log. A search by citizen is itself a look at personal
//! data, so it is audited too.

use super::guard::AsSupervisor;
use super::guard::{self, QueryOf};
use super::{blocking, now, window_error};
use crate::audit::{labels, search as find, Entry, Filter};
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
    /// From the start of this day in the bureau's zone (YYYY-MM-DD), as the page's date field.
    from_date: Option<chrono::NaiveDate>,
    /// Through the end of this day in the bureau's zone (inclusive).
    until_date: Option<chrono::NaiveDate>,
    /// Page backwards: entries before this sequence number.
    before_seq: Option<i64>,
    /// At most this many (1–500, default 100).
    limit: Option<i64>,
}

/// An entry with its words for people (Chinese labels, the bureau's time).
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    #[serde(flatten)]
    pub entry: Entry,
    pub at_local: String,
    pub actor_zh: String,
    pub action_zh: String,
    pub purpose_zh: Option<String>,
}

impl From<Entry> for AuditRow {
    fn from(entry: Entry) -> Self {
        AuditRow {
            at_local: crate::domain::bureau_time::format_short(entry.at),
            actor_zh: labels::actor_zh(&entry.actor),
            action_zh: labels::action_zh(&entry.action).to_string(),
            purpose_zh: entry.purpose.as_deref().map(labels::purpose_zh),
            entry,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditRow>,
    /// Pass as `before_seq` for the next (older) page; absent at the end.
    pub next_before_seq: Option<i64>,
}

/// The first UTC instant of a local day (of the bureau's zone).
fn day_start_utc(day: chrono::NaiveDate) -> chrono::NaiveDateTime {
    use chrono::TimeZone;
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    crate::domain::bureau_time::zone()
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(midnight)
}

/// `clerk1` means the staff account `staff:clerk1`: the page's picker gives bare usernames.
fn actor_filter(actor: Option<String>) -> Option<String> {
    actor.map(|a| {
        if a.contains(':') || a == "public" {
            a
        } else {
            format!("staff:{a}")
        }
    })
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
    let (filter, subject) = filter_of(q, 100)?;
    let limit = filter.limit;
    let staff = who.session.staff;
    let entries = found(&state, staff, filter, subject, "audit.search").await?;
    let next_before_seq = (entries.len() as i64 >= limit.clamp(1, 500))
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(HttpResponse::Ok().json(AuditPage {
        entries: entries.into_iter().map(AuditRow::from).collect(),
        next_before_seq,
    }))
}

/// The same search as CSV (UTF-8 with BOM, so that spreadsheet programs read the Chinese), up
/// to 500 entries per file: page with `before_seq` for more. An export is audited as a search.
#[utoipa::path(
    tag = "staff",
    params(AuditQuery),
    responses(
        (status = 200, description = "text/csv", content_type = "text/csv"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
#[get("/api/staff/audit/export.csv")]
pub async fn export_csv(
    state: web::Data<AppState>,
    who: AsSupervisor,
    query: QueryOf<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = guard::query(query)?;
    let (filter, subject) = filter_of(q, 500)?;
    let staff = who.session.staff;
    let entries = found(&state, staff, filter, subject, "audit.export").await?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let csv_error = |e: csv::Error| ApiError::Internal(e.to_string());
    out.write_record([
        "序号",
        "时间（北京时间）",
        "操作人",
        "操作",
        "公民身份号码",
        "事由",
        "结果",
        "说明",
    ])
    .map_err(csv_error)?;
    for e in entries.into_iter().map(AuditRow::from) {
        out.write_record([
            e.entry.seq.to_string(),
            e.at_local,
            e.actor_zh,
            e.action_zh,
            e.entry.subject_ssn.unwrap_or_default(),
            e.purpose_zh.unwrap_or_default(),
            e.entry.result,
            e.entry.detail.unwrap_or_default(),
        ])
        .map_err(csv_error)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"audit.csv\""))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

fn filter_of(q: AuditQuery, default_limit: i64) -> Result<(Filter, Option<String>), ApiError> {
    let subject = match short(q.subject_ssn, "subject_ssn")? {
        Some(text) => Some(
            CitizenId::parse_loose(&text)
                .map_err(|e| window_error(e.into()))?
                .into_string(),
        ),
        None => None,
    };
    let from = q.from.or(q.from_date.map(day_start_utc));
    let until = q
        .until
        .or(q.until_date.and_then(|d| d.succ_opt()).map(day_start_utc));
    let filter = Filter {
        subject_ssn: subject.clone(),
        actor: actor_filter(short(q.actor, "actor")?),
        action: short(q.action, "action")?,
        from,
        until,
        before_seq: q.before_seq,
        limit: q.limit.unwrap_or(default_limit),
    };
    Ok((filter, subject))
}

/// Runs the search; a search by citizen is a look at personal data and is audited.
async fn found(
    state: &web::Data<AppState>,
    staff: crate::staff::Staff,
    filter: Filter,
    subject: Option<String>,
    action: &'static str,
) -> Result<Vec<Entry>, ApiError> {
    blocking(state, move |conn| {
        let entries = find(conn, &filter).map_err(|e| ApiError::Unavailable(e.to_string()))?;
        if let Some(ssn) = &subject {
            crate::window::audit_staff(conn, &staff, action, Some(ssn), None, "ok", None, now())
                .map_err(window_error)?;
        }
        Ok(entries)
    })
    .await
}
