//! The service window's use cases (issue 6): a clerk's lookup of a walk-in citizen (always with
//! a purpose, always audited), and the actions taken for them — certificates issued and printed
//! on their behalf, card loss reports, the annual pension eligibility certification, and a
//! supervisor's revocation. Each action runs in one transaction with its audit entry, and is
//! idempotent (a client key, or the natural key of what it records).
//!
//! Every function taking a `DbConn` blocks.

pub mod card_at_window;
pub mod card_status;
pub mod certificates;
pub mod eligibility;
pub mod idempotency;
pub mod lookup;
pub mod purpose;

pub use purpose::Purpose;

use crate::audit::{self, AuditError, NewEntry};
use crate::certificate::CertificateError;
use crate::db::{DbConn, DbError};
use crate::domain::CitizenIdError;
use crate::staff::Staff;
use chrono::NaiveDateTime;

#[derive(Debug, thiserror::Error)]
pub enum WindowError {
    #[error("{0}")]
    InvalidSsn(#[from] CitizenIdError),
    #[error("{0}")]
    BadInput(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(
        "the idempotency key was already used for another request; send a new key for a new action"
    )]
    KeyReused,
    #[error("the monthly print limit of {0} certificates for this citizen is reached")]
    PrintLimit(u32),
    #[error("the card reader is not available: {0}")]
    Reader(String),
    #[error("the card could not be read: {0}")]
    Card(String),
    #[error(transparent)]
    Certificate(CertificateError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for WindowError {
    fn from(e: diesel::result::Error) -> Self {
        WindowError::Db(DbError::Query(e))
    }
}

impl From<AuditError> for WindowError {
    fn from(e: AuditError) -> Self {
        match e {
            AuditError::Db(d) => WindowError::Db(d),
        }
    }
}

impl From<CertificateError> for WindowError {
    fn from(e: CertificateError) -> Self {
        match e {
            CertificateError::UnknownPerson(_) | CertificateError::UnknownSerial(_) => {
                WindowError::NotFound(e.to_string())
            }
            CertificateError::NoBenefits(_)
            | CertificateError::Revoked(_)
            | CertificateError::AlreadyReissued { .. } => WindowError::Conflict(e.to_string()),
            CertificateError::Db(d) => WindowError::Db(DbError::Query(d)),
            e => WindowError::Certificate(e),
        }
    }
}

/// Appends what a staff member did to whose data.
// Each argument is one field of the entry; a struct would only rename them at every call.
#[allow(clippy::too_many_arguments)]
pub(crate) fn audit_staff(
    conn: &mut DbConn,
    who: &Staff,
    action: &str,
    subject_ssn: Option<&str>,
    purpose: Option<&str>,
    result: &str,
    detail: Option<String>,
    now: NaiveDateTime,
) -> Result<(), WindowError> {
    audit::append(
        conn,
        &NewEntry {
            actor: crate::staff::actor(&who.username),
            action: action.into(),
            subject_ssn: subject_ssn.map(str::to_string),
            purpose: purpose.map(str::to_string),
            result: result.into(),
            detail,
        },
        now,
    )?;
    Ok(())
}
