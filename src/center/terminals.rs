//! The enrolled terminals and their certificates, as the center knows them. The TLS layer
//! proves that a request's certificate was signed by our CA; this table says whether that
//! certificate is still one of ours and its terminal not revoked — checked on every request,
//! so a revocation takes effect on the terminal's next call. Blocking (diesel).

use super::ca::{DeviceCa, Issued};
use crate::audit::{self, NewEntry};
use crate::db::schema::{terminal_certificates, terminals};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TerminalKind {
    Kiosk,
    Window,
}

impl TerminalKind {
    pub fn parse(text: &str) -> Result<TerminalKind, String> {
        match text.trim() {
            "kiosk" => Ok(TerminalKind::Kiosk),
            "window" => Ok(TerminalKind::Window),
            other => Err(format!(
                "terminal kind {other:?}: use \"kiosk\" or \"window\""
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TerminalKind::Kiosk => "kiosk",
            TerminalKind::Window => "window",
        }
    }
}

/// A terminal whose certificate was accepted for this request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminal {
    pub name: String,
    pub kind: TerminalKind,
    pub window_label: String,
    pub printer: Option<String>,
}

/// Why a certificate signed by our CA still gets nothing. The terminal is told only that it is
/// not (or no longer) enrolled; the log says which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("certificate not issued by this center (or replaced by a newer enrolment)")]
    UnknownCertificate,
    #[error("certificate expired")]
    Expired,
    #[error("terminal revoked")]
    Revoked,
}

#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error("no terminal named {0:?} is enrolled")]
    Unknown(String),
    #[error("terminal {0:?} is already revoked")]
    AlreadyRevoked(String),
    #[error(transparent)]
    Ca(#[from] super::ca::CaError),
    #[error("database: {0}")]
    Store(#[from] diesel::result::Error),
    #[error("audit log: {0}")]
    Audit(#[from] audit::AuditError),
}

pub(super) fn record_certificate(
    conn: &mut DbConn,
    terminal: &str,
    issued: &Issued,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(terminal_certificates::table)
        .values((
            terminal_certificates::fingerprint.eq(&issued.fingerprint),
            terminal_certificates::terminal.eq(terminal),
            terminal_certificates::serial.eq(&issued.serial),
            terminal_certificates::issued_at.eq(now),
            terminal_certificates::not_after.eq(issued.not_after),
        ))
        .execute(conn)
}

pub(super) fn forget_certificates(conn: &mut DbConn, terminal: &str) -> QueryResult<usize> {
    diesel::delete(
        terminal_certificates::table.filter(terminal_certificates::terminal.eq(terminal)),
    )
    .execute(conn)
}

type Row = (
    String,
    String,
    String,
    Option<String>,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

/// The terminal presenting the certificate with SHA-256 `fingerprint`, if it may act now.
pub fn authenticate(
    conn: &mut DbConn,
    fingerprint: &str,
    now: NaiveDateTime,
) -> Result<Result<Terminal, Refused>, diesel::result::Error> {
    let row: Option<Row> = terminal_certificates::table
        .inner_join(terminals::table.on(terminals::name.eq(terminal_certificates::terminal)))
        .filter(terminal_certificates::fingerprint.eq(fingerprint))
        .select((
            terminals::name,
            terminals::kind,
            terminals::window_label,
            terminals::printer,
            terminals::revoked_at,
            terminal_certificates::not_after,
        ))
        .first(conn)
        .optional()?;
    let Some((name, kind, window_label, printer, revoked_at, not_after)) = row else {
        return Ok(Err(Refused::UnknownCertificate));
    };
    if revoked_at.is_some() {
        return Ok(Err(Refused::Revoked));
    }
    if not_after <= now {
        return Ok(Err(Refused::Expired));
    }
    let Ok(kind) = TerminalKind::parse(&kind) else {
        return Ok(Err(Refused::UnknownCertificate));
    };
    Ok(Ok(Terminal {
        name,
        kind,
        window_label,
        printer,
    }))
}

/// A new certificate for a terminal that proved itself with its current one (renewal before
/// expiry). Audited as `terminal.renew`.
pub fn renew(
    conn: &mut DbConn,
    ca: &DeviceCa,
    terminal: &Terminal,
    request_pem: &str,
    validity: chrono::Duration,
    now: NaiveDateTime,
) -> Result<Issued, TerminalError> {
    audit::atomically(conn, |conn| {
        let issued = ca.sign_device(request_pem, &terminal.name, validity)?;
        record_certificate(conn, &terminal.name, &issued, now)?;
        audit::append(
            conn,
            &NewEntry {
                actor: format!("terminal:{}", terminal.name),
                action: "terminal.renew".into(),
                subject_ssn: None,
                purpose: None,
                result: "ok".into(),
                detail: Some(format!(
                    "certificate {} until {}",
                    issued.serial, issued.not_after
                )),
            },
            now,
        )?;
        Ok(issued)
    })
}

/// Revokes `name`: from its next request on it gets nothing. Audited as `terminal.revoke`.
pub fn revoke(
    conn: &mut DbConn,
    name: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<(), TerminalError> {
    audit::atomically(conn, |conn| {
        let revoked_at: Option<Option<NaiveDateTime>> = terminals::table
            .find(name)
            .select(terminals::revoked_at)
            .first(conn)
            .optional()?;
        match revoked_at {
            None => return Err(TerminalError::Unknown(name.to_string())),
            Some(Some(_)) => return Err(TerminalError::AlreadyRevoked(name.to_string())),
            Some(None) => {}
        }
        diesel::update(terminals::table.find(name))
            .set((
                terminals::revoked_at.eq(now),
                terminals::revoked_by.eq(actor),
            ))
            .execute(conn)?;
        audit::append(
            conn,
            &NewEntry {
                actor: actor.to_string(),
                action: "terminal.revoke".into(),
                subject_ssn: None,
                purpose: None,
                result: "ok".into(),
                detail: Some(name.to_string()),
            },
            now,
        )?;
        Ok(())
    })
}

/// The enrolled, unrevoked window terminal of window `label` (a clerk's 窗口号).
pub fn window_terminal(conn: &mut DbConn, label: &str) -> QueryResult<Option<String>> {
    terminals::table
        .filter(terminals::kind.eq(TerminalKind::Window.code()))
        .filter(terminals::window_label.eq(label))
        .filter(terminals::revoked_at.is_null())
        .select(terminals::name)
        .order(terminals::enrolled_at.desc())
        .first(conn)
        .optional()
}

/// One enrolled terminal as the staff page and the CLI list it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Enrolment {
    pub name: String,
    pub kind: String,
    pub window_label: String,
    pub printer: Option<String>,
    #[schema(value_type = String)]
    pub enrolled_at: NaiveDateTime,
    #[schema(value_type = Option<String>)]
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<String>,
    /// The latest certificate's expiry.
    #[schema(value_type = Option<String>)]
    pub certificate_until: Option<NaiveDateTime>,
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<Enrolment>> {
    type Listed = (
        String,
        String,
        String,
        Option<String>,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<String>,
    );
    let rows: Vec<Listed> = terminals::table
        .select((
            terminals::name,
            terminals::kind,
            terminals::window_label,
            terminals::printer,
            terminals::enrolled_at,
            terminals::revoked_at,
            terminals::revoked_by,
        ))
        .order(terminals::name)
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (name, kind, window_label, printer, enrolled_at, revoked_at, revoked_by) in rows {
        let certificate_until: Option<NaiveDateTime> = terminal_certificates::table
            .filter(terminal_certificates::terminal.eq(&name))
            .select(diesel::dsl::max(terminal_certificates::not_after))
            .first(conn)?;
        out.push(Enrolment {
            name,
            kind,
            window_label,
            printer,
            enrolled_at,
            revoked_at,
            revoked_by,
            certificate_until,
        });
    }
    Ok(out)
}
