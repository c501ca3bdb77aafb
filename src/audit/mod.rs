//! The audit trail: an append-only log of every look at a citizen's data and every action taken,
//! hash-chained so that an edited, removed or inserted entry is found by [`verify_chain`].
//!
//! Entry n stores `hash_n = SHA-256(hash_{n-1} ‖ canonical(entry_n))`; the first entry chains
//! from 64 zeros. Appenders serialise on the single row of `audit_head` (the first statement of
//! their transaction updates it), which works the same on SQLite (write lock) and PostgreSQL
//! (row lock, any number of nodes), and gives gap-free sequence numbers in commit order.

mod append;
mod chain;
pub mod labels;
mod search;
pub mod throttle;
mod verify;

pub use append::{append, atomically, lock_head, NewEntry};
pub use search::{search, Entry, Filter};
pub use throttle::{Admission, Throttle};
pub use verify::{verify_chain, ChainReport};

use crate::db::DbError;

/// The hash the first entry chains from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for AuditError {
    fn from(e: diesel::result::Error) -> Self {
        AuditError::Db(DbError::Query(e))
    }
}
