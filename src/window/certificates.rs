//! Certificates at the window: issue one for the citizen and print it on the window's printer,
//! print an existing one again, and (supervisors) revoke one with a reason. Issue and print are
//! one transaction with their audit entries and the idempotency key: either all of it happened
//! once, or nothing did.

use super::{audit_staff, idempotency, WindowError};
use crate::certificate::{store, CertificateService, Subject};
use crate::db::DbConn;
use crate::domain::{CitizenId, Month};
use crate::print::queue::{self, JobState};
use crate::print::PrintError;
use crate::staff::Staff;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Where and how much the window prints.
#[derive(Debug, Clone)]
pub struct PrintTarget {
    pub printer_uri: String,
    pub monthly_limit: u32,
    /// A clerk's reason to print past the monthly limit (so the window can serve the person the
    /// kiosk sent there); used only when the limit is reached, and then audited.
    pub limit_override: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IssuedAtWindow {
    pub serial: String,
    pub kind: String,
    pub verify_url: String,
    /// The print job (see GET /api/staff/print-jobs/{id}); none when printing was not asked.
    pub print_job: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Printed {
    pub serial: String,
    pub print_job: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Revoked {
    pub serial: String,
    /// False when it already was revoked (nothing changed).
    pub changed: bool,
}

/// What a clerk asks for.
pub struct IssueRequest {
    pub ssn: CitizenId,
    pub subject: Subject,
    pub from: Option<Month>,
    pub to: Option<Month>,
    pub print: bool,
    pub idempotency_key: String,
}

fn enqueue(
    conn: &mut DbConn,
    who: &Staff,
    serial: &str,
    ssn: &str,
    pdf: &[u8],
    target: &PrintTarget,
    now: NaiveDateTime,
) -> Result<i64, WindowError> {
    let mut limit = target.monthly_limit;
    if let Some(reason) = &target.limit_override {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(WindowError::BadInput(
                "a limit override needs a reason of 1 to 200 characters".into(),
            ));
        }
        let printed = queue::printed_this_month(conn, ssn, now).map_err(|e| match e {
            PrintError::Db(d) => WindowError::from(d),
            other => WindowError::Conflict(other.to_string()),
        })?;
        if limit > 0 && printed >= limit as i64 {
            audit_staff(
                conn,
                who,
                "print.limit_override",
                Some(ssn),
                Some("certificate"),
                "ok",
                Some(format!(
                    "{serial}: {printed} of {limit} printed; reason: {reason}"
                )),
                now,
            )?;
            limit = 0;
        }
    }
    queue::enqueue(conn, serial, ssn, &target.printer_uri, pdf, limit, now).map_err(|e| match e {
        PrintError::LimitReached { limit } => WindowError::PrintLimit(limit),
        PrintError::Db(d) => d.into(),
        other => WindowError::Conflict(other.to_string()),
    })
}

pub fn issue(
    conn: &mut DbConn,
    service: &CertificateService,
    who: &Staff,
    request: &IssueRequest,
    target: &PrintTarget,
    now: NaiveDateTime,
) -> Result<(IssuedAtWindow, bool), WindowError> {
    idempotency::once(
        conn,
        &request.idempotency_key,
        who.id,
        "certificate.issue",
        now,
        |conn| {
            let issued = service.issue(
                conn,
                &request.ssn,
                &request.subject,
                request.from,
                request.to,
            )?;
            let ssn = request.ssn.as_str();
            let kind = request.subject.kind().code().to_string();
            audit_staff(
                conn,
                who,
                "certificate.issue",
                Some(ssn),
                Some("certificate"),
                "ok",
                Some(format!("{} {kind}", issued.serial)),
                now,
            )?;
            let print_job = if request.print {
                let id = enqueue(conn, who, &issued.serial, ssn, &issued.pdf, target, now)?;
                audit_staff(
                    conn,
                    who,
                    "certificate.print",
                    Some(ssn),
                    Some("certificate"),
                    "ok",
                    Some(format!("{} job {id}", issued.serial)),
                    now,
                )?;
                Some(id)
            } else {
                None
            };
            Ok(IssuedAtWindow {
                serial: issued.serial,
                kind,
                verify_url: issued.url,
                print_job,
            })
        },
    )
}

/// Prints an issued certificate again (e.g. the printer jammed).
pub fn reprint(
    conn: &mut DbConn,
    service: &CertificateService,
    who: &Staff,
    serial: &str,
    idempotency_key: &str,
    target: &PrintTarget,
    now: NaiveDateTime,
) -> Result<(Printed, bool), WindowError> {
    idempotency::once(
        conn,
        idempotency_key,
        who.id,
        "certificate.print",
        now,
        |conn| {
            let (stored, pdf) = service.pdf_of(conn, serial)?;
            let id = enqueue(conn, who, &stored.serial, &stored.ssn, &pdf, target, now)?;
            audit_staff(
                conn,
                who,
                "certificate.print",
                Some(&stored.ssn),
                Some("certificate"),
                "ok",
                Some(format!("{} job {id} (again)", stored.serial)),
                now,
            )?;
            Ok(Printed {
                serial: stored.serial,
                print_job: id,
            })
        },
    )
}

pub fn revoke(
    conn: &mut DbConn,
    service: &CertificateService,
    who: &Staff,
    serial: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<Revoked, WindowError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(WindowError::BadInput(
            "a revocation needs a reason of 1 to 200 characters".into(),
        ));
    }
    use diesel::Connection;
    conn.transaction(|conn| {
        let stored = store::find(conn, serial)?
            .ok_or_else(|| WindowError::NotFound(format!("no certificate with serial {serial}")))?;
        let changed = service.revoke(conn, serial, reason)?;
        if changed {
            audit_staff(
                conn,
                who,
                "certificate.revoke",
                Some(&stored.ssn),
                None,
                "ok",
                Some(format!("{serial}: {reason}")),
                now,
            )?;
        }
        Ok(Revoked {
            serial: serial.to_string(),
            changed,
        })
    })
}

/// A print job's progress as a clerk sees it: the job names a citizen and a certificate, so the
/// look is audited (`print.view`, with the citizen as subject) like any other (review D12).
pub fn job_state_seen_by(
    conn: &mut DbConn,
    staff: &Staff,
    id: i64,
    now: NaiveDateTime,
) -> Result<JobState, WindowError> {
    let (state, ssn) = queue::state_of(conn, id).map_err(|e| match e {
        PrintError::UnknownJob(id) => WindowError::NotFound(format!("no print job {id}")),
        PrintError::Db(d) => d.into(),
        other => WindowError::Conflict(other.to_string()),
    })?;
    let detail = format!("job {} ({})", state.id, state.serial);
    audit_staff(
        conn,
        staff,
        "print.view",
        Some(&ssn),
        None,
        "ok",
        Some(detail),
        now,
    )?;
    Ok(state)
}
