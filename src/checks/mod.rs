//! Fund-safety cross-checks (基金稽核, issue 12): rules that compare what the separate subsystems
//! know about one citizen and find payments that should have stopped. docs/cross-checks.md has
//! the rules as built and their legal basis.
//!
//! A run streams the store citizen block by citizen block ([`scan`]), applies every rule to each
//! citizen's facts ([`rules`], pure), and writes the hits as cases in one transaction at the end
//! ([`cases::record_hits`]): a run killed midway has written nothing, and the next run covers
//! the same citizens again. A case is keyed by rule, citizen and anchor (the facts it is about),
//! so the same facts never open a second case.

pub mod cases;
mod evidence;
pub mod facts;
pub mod nightly;
pub mod rules;
mod run;
mod scan;

pub use evidence::Evidence;
pub use rules::{Hit, Rule};
pub use run::{run_checks, RunSummary, Scope};

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ChecksError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// A stored value no importer could have written.
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("there is no import batch {0}")]
    UnknownBatch(i64),
    #[error("no case {0}")]
    NoCase(i64),
    /// A change the case's state does not allow.
    #[error("{0}")]
    Refused(String),
    /// A missing or overlong reason, basis or amount.
    #[error("{0}")]
    BadInput(String),
}

impl From<diesel::result::Error> for ChecksError {
    fn from(e: diesel::result::Error) -> Self {
        ChecksError::Db(DbError::Query(e))
    }
}

impl From<crate::audit::AuditError> for ChecksError {
    fn from(e: crate::audit::AuditError) -> Self {
        match e {
            crate::audit::AuditError::Db(d) => ChecksError::Db(d),
        }
    }
}
