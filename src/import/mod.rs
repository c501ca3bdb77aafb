//! Subsystem import: `sskiosk import <kind> FILE --source NAME [--strict]`.
//!
//! A file is streamed row by row: each row is validated into a typed row or a [`Reject`]; good
//! rows are upserted on their natural key in chunks, all inside one transaction together with the
//! batch record, so a crash or kill leaves the store as it was before the batch. Rejects go to
//! `FILE.rejects.csv`. Within a file, a later row with the same key replaces an earlier one.

mod batch;
mod benefits;
mod bulk;
mod cards;
mod contributions;
mod deaths;
mod employment;
mod enrolments;
mod fields;
mod persons;
mod rejects;
mod run;
mod touched;
pub mod upload;

pub use batch::Batch;
pub use fields::Reject;
pub use run::{audit_summary, import_file, ImportError, ImportOutcome, ImportRequest};

use crate::db::DbConn;
use diesel::QueryResult;
use fields::{FieldResult, Fields};

/// The subsystem exports, as named on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    Persons,
    Cards,
    Enrolments,
    Contributions,
    Benefits,
    Employment,
    /// Death records of public security, civil affairs and health (issue 12).
    Deaths,
}

impl ImportKind {
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Persons => persons::Persons::NAME,
            ImportKind::Cards => cards::Cards::NAME,
            ImportKind::Enrolments => enrolments::Enrolments::NAME,
            ImportKind::Contributions => contributions::Contributions::NAME,
            ImportKind::Benefits => benefits::Benefits::NAME,
            ImportKind::Employment => employment::Employment::NAME,
            ImportKind::Deaths => deaths::Deaths::NAME,
        }
    }

    /// The columns a file of this kind must have (in any order).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Persons => persons::Persons::COLUMNS,
            ImportKind::Cards => cards::Cards::COLUMNS,
            ImportKind::Enrolments => enrolments::Enrolments::COLUMNS,
            ImportKind::Contributions => contributions::Contributions::COLUMNS,
            ImportKind::Benefits => benefits::Benefits::COLUMNS,
            ImportKind::Employment => employment::Employment::COLUMNS,
            ImportKind::Deaths => deaths::Deaths::COLUMNS,
        }
    }
}

/// One subsystem export format: its columns, how a row is validated, and how rows are stored.
pub(crate) trait Subsystem {
    const NAME: &'static str;
    /// The table the rows go to.
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    /// Columns of `COLUMNS` a file may leave out (added to a format later; older files still
    /// import, each kind says how an absent column reads).
    const OPTIONAL: &'static [&'static str] = &[];
    /// The natural key's columns (the table's primary key).
    const KEY: &'static [&'static str];
    /// Whether rows refer to a person who must already be in the store.
    const NEEDS_PERSON: bool = true;
    /// Send: rows are validated on a parser thread and written on the connection's thread.
    type Row: Send;
    /// The natural key: rows with equal keys describe the same fact.
    type Key<'a>: Eq + std::hash::Hash
    where
        Self: 'a;

    fn parse(fields: &Fields, batch_id: i64) -> FieldResult<Self::Row>;
    fn ssn(row: &Self::Row) -> &str;
    fn key(row: &Self::Row) -> Self::Key<'_>;
    fn upsert(conn: &mut DbConn, rows: &[Self::Row]) -> QueryResult<usize>;
}
