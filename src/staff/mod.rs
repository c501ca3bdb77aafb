//! Window staff: accounts with a role, argon2id passwords, database-held sessions with a CSRF
//! token, and the login rules (per-account lockout, per-address rate limit). See docs/staff.md.
//!
//! Every function here taking a `DbConn` blocks (diesel, and argon2 which costs tens of
//! milliseconds of CPU by design): call them from `web::block` or a command.

pub mod account;
pub mod attempt;
pub mod last_admin;
pub mod login;
pub mod password;
pub mod role;
pub mod session;

pub use account::Staff;
pub use role::Role;

use crate::audit::AuditError;
use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("username must be 1 to 64 letters, digits, '.', '_' or '-'")]
    BadUsername,
    #[error("display name must be 1 to 64 characters")]
    BadDisplayName,
    #[error("window number must be at most 16 characters")]
    BadWindow,
    #[error("{0:?} is not a role; expected one of: clerk, supervisor, admin")]
    BadRole(String),
    #[error("the password must have at least {min} characters")]
    WeakPassword { min: usize },
    #[error("the password is too long (at most 256 characters)")]
    LongPassword,
    #[error("the username {0} is taken")]
    Taken(String),
    #[error("no staff account {0}")]
    Unknown(String),
    #[error("wrong username or password")]
    BadCredentials,
    #[error("the account is locked after repeated wrong passwords; try again after {until} UTC or ask a supervisor to unlock it")]
    Locked { until: String },
    #[error("too many failed logins from this address; try again in {minutes} minutes")]
    RateLimited { minutes: u32 },
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    #[error("the new password must differ from the current one")]
    SamePassword,
    #[error("{0} is the last enabled admin: make another account admin first")]
    LastAdmin(String),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for StaffError {
    fn from(e: diesel::result::Error) -> Self {
        StaffError::Db(DbError::Query(e))
    }
}

impl From<AuditError> for StaffError {
    fn from(e: AuditError) -> Self {
        match e {
            AuditError::Db(d) => StaffError::Db(d),
        }
    }
}

/// The audit actor of a staff member.
pub fn actor(username: &str) -> String {
    format!("staff:{username}")
}
