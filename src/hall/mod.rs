//! The service hall (issue 15): the published catalogue of service items, queue tickets bound
//! to the card session (or to no one), calling at the windows, the hall display's calls and
//! their voice. Domain and store code only; the routes are in web/hall, the command in
//! cli/catalogue.rs. docs/service-hall.md is the operators' and clerks' guide.
//!
//! Convention: every change runs in `audit::append::atomically` (its first statement takes
//! SQLite's write lock, so a read-then-write cannot fail half-way) with its audit entry, and is
//! conditional on the state it read, so two nodes racing for one ticket change it once.

pub mod board;
pub mod calling;
pub mod catalogue;
pub mod config;
pub mod figures;
pub mod follow_up;
pub mod priority;
pub mod queue;
pub mod rating;
pub mod ticket;
pub mod ticket_pdf;
pub mod voice;
pub mod working_days;

pub use config::HallConfig;

use crate::audit::AuditError;

#[derive(Debug, thiserror::Error)]
pub enum HallError {
    #[error(transparent)]
    Catalogue(#[from] catalogue::parse::Refused),
    #[error("本厅没有编码为 {0} 的事项")]
    UnknownItem(String),
    #[error("事项“{0}”不在此渠道取号")]
    NotOffered(String),
    #[error("您已持有“{item}”的号 {number}，请等候叫号")]
    AlreadyHolding { item: String, number: String },
    #[error("取号前须同意：{0}")]
    ConsentMissing(String),
    #[error("没有这张号")]
    NoSuchTicket,
    /// A state change the ticket's state does not allow (e.g. finishing it twice).
    #[error("{0}")]
    WrongState(String),
    #[error("{0}")]
    NotYours(String),
    #[error("{0}")]
    TooSoon(String),
    #[error("{0}")]
    Refused(String),
    #[error("ticket PDF: {0}")]
    Pdf(String),
    #[error("print queue: {0}")]
    Print(#[from] crate::print::PrintError),
    #[error("voice: {0}")]
    Voice(String),
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("stored catalogue is unreadable: {0}")]
    Stored(String),
}

impl From<AuditError> for HallError {
    fn from(e: AuditError) -> Self {
        match e {
            AuditError::Db(crate::db::DbError::Query(q)) => HallError::Db(q),
            other => HallError::Stored(other.to_string()),
        }
    }
}

/// Now, in UTC (the store keeps UTC; the hall's clock is only for days and display).
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
