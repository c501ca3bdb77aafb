//! The login: per-address rate limit, per-account lockout (both decided before the check, see
//! [`super::attempt`]), argon2 check, session. Every outcome is audited (`staff.login` with
//! result ok, failed, locked, or once per address and window rate_limited). The counters live
//! in the store, so the limits hold across nodes.

use super::account::{find, valid_username};
use super::attempt::{self, Claimant};
use super::session::{self, Opened};
use super::{password, Staff, StaffError};
use crate::db::DbConn;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// The login policy, from `[staff]`.
#[derive(Debug, Clone)]
pub struct LoginRules {
    pub expiry: session::Expiry,
    pub lockout_after: u32,
    /// Zero: locked until someone unlocks the account.
    pub lockout: Duration,
    pub address_failures: u32,
    pub address_window: Duration,
}

impl LoginRules {
    pub fn from_config(c: &crate::config::StaffConfig) -> LoginRules {
        LoginRules {
            expiry: session::Expiry::from_config(c),
            lockout_after: c.lockout_after.max(1),
            lockout: Duration::minutes(c.lockout_minutes as i64),
            address_failures: c.address_failures_per_window.max(1),
            address_window: Duration::minutes(c.address_window_minutes as i64),
        }
    }
}

pub fn login(
    conn: &mut DbConn,
    username: &str,
    password_text: &str,
    address: &str,
    rules: &LoginRules,
    now: NaiveDateTime,
) -> Result<(Staff, Opened), StaffError> {
    let name = valid_username(username).then_some(username);
    let account = match name.map(|n| find(conn, n)) {
        Some(Ok(a)) if !a.disabled => Some(a),
        Some(Ok(_)) | Some(Err(StaffError::Unknown(_))) | None => None,
        Some(Err(e)) => return Err(e),
    };
    let who = Claimant {
        name,
        account: account.as_ref(),
        address,
        action: "staff.login",
    };
    let reserved = attempt::reserve(conn, &who, rules, now)?;
    let stored = match &account {
        Some(a) => super::account::password_hash(conn, a.id)?,
        None => password::decoy().to_string(),
    };
    match &account {
        Some(account) if password::verify(password_text, &stored) => conn.transaction(|conn| {
            attempt::succeeded(conn, &reserved)?;
            let opened = session::open(conn, account.id, rules.expiry, now)?;
            attempt::record(conn, &who, "ok", now)?;
            Ok((account.clone(), opened))
        }),
        _ => {
            attempt::record(conn, &who, "failed", now)?;
            Err(attempt::failed(&reserved, StaffError::BadCredentials))
        }
    }
}
