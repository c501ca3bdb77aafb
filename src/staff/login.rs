//! The login: per-address rate limit, per-account lockout, argon2 check, session. Every
//! outcome is audited (`staff.login` with result ok, failed, locked or rate_limited). The
//! counters live in the store, so the limits hold across nodes.

use super::account::{find, valid_username};
use super::session::{self, Opened};
use super::{actor, password, Staff, StaffError};
use crate::audit::{self, NewEntry};
use crate::db::schema::{login_failures, staff};
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
    let shown = if valid_username(username) {
        username.to_string()
    } else {
        "?".to_string()
    };
    let recent: i64 = login_failures::table
        .filter(login_failures::address.eq(address))
        .filter(login_failures::at.gt(now - rules.address_window))
        .count()
        .get_result(conn)?;
    if recent >= rules.address_failures as i64 {
        record(conn, &shown, "rate_limited", address, now)?;
        return Err(StaffError::RateLimited {
            minutes: rules.address_window.num_minutes().max(1) as u32,
        });
    }
    let account = if shown == "?" {
        None
    } else {
        match find(conn, username) {
            Ok(a) => Some(a),
            Err(StaffError::Unknown(_)) => None,
            Err(e) => return Err(e),
        }
    };
    if let Some(until) = account.as_ref().and_then(|a| a.locked_until) {
        if until > now {
            record(conn, &shown, "locked", address, now)?;
            return Err(locked(until));
        }
    }
    let stored = match &account {
        Some(a) => super::account::password_hash(conn, a.id)?,
        None => password::decoy().to_string(),
    };
    let matches = password::verify(password_text, &stored) && account.is_some();
    match account {
        Some(account) if matches && !account.disabled => conn.transaction(|conn| {
            diesel::update(staff::table.find(account.id))
                .set((
                    staff::failed_logins.eq(0),
                    staff::locked_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            let opened = session::open(conn, account.id, rules.expiry, now)?;
            record(conn, &shown, "ok", address, now)?;
            Ok((account, opened))
        }),
        account => Err(conn.transaction(|conn| {
            diesel::insert_into(login_failures::table)
                .values((
                    login_failures::username.eq(&shown),
                    login_failures::address.eq(address),
                    login_failures::at.eq(now),
                ))
                .execute(conn)?;
            let mut outcome = StaffError::BadCredentials;
            if let Some(account) = account.filter(|a| !a.disabled) {
                diesel::update(staff::table.find(account.id))
                    .set(staff::failed_logins.eq(staff::failed_logins + 1))
                    .execute(conn)?;
                let failures: i32 = staff::table
                    .find(account.id)
                    .select(staff::failed_logins)
                    .first(conn)?;
                if failures as u32 >= rules.lockout_after {
                    let until = lock_end(rules, now);
                    diesel::update(staff::table.find(account.id))
                        .set((staff::locked_until.eq(until), staff::failed_logins.eq(0)))
                        .execute(conn)?;
                    outcome = locked(until);
                }
            }
            record(conn, &shown, "failed", address, now)?;
            // Returned as Ok: an Err would roll back the failure just counted.
            Ok::<_, StaffError>(outcome)
        })?),
    }
}

fn lock_end(rules: &LoginRules, now: NaiveDateTime) -> NaiveDateTime {
    if rules.lockout.is_zero() {
        // Until unlocked: a date no clock reaches, but one both databases store.
        chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or(now)
    } else {
        now + rules.lockout
    }
}

fn locked(until: NaiveDateTime) -> StaffError {
    StaffError::Locked {
        until: until.format("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

fn record(
    conn: &mut DbConn,
    username: &str,
    result: &str,
    address: &str,
    now: NaiveDateTime,
) -> Result<(), StaffError> {
    audit::append(
        conn,
        &NewEntry {
            actor: actor(username),
            action: "staff.login".into(),
            subject_ssn: None,
            purpose: None,
            result: result.into(),
            detail: Some(format!("address {address}")),
        },
        now,
    )?;
    Ok(())
}
