//! One password check, counted before it is made (review D3, D4, D10). The lockout and the
//! per-address limit used to be read before the argon2 check and written after it, so a burst
//! of simultaneous logins had every one of them checked. Now an attempt is first *reserved* in
//! a short transaction that serialises with every other reservation: it is written down as a
//! failure of the address and of the account before the hash is verified, and the account is
//! locked as soon as the reservations reach `lockout_after`. A success afterwards takes its
//! failure back. So at most `lockout_after` checks run per lock period however many arrive at
//! once, and nothing is accepted once a burst has locked the account.
//!
//! Rows of `login_failures` by their `username`:
//!
//! | username | what |
//! |---|---|
//! | a valid name | a counted failure (or a reservation in progress) under that name |
//! | `?` | a failure under an invalid name, or a refusal of a locked name: counts toward the address only |
//! | empty | the marker that this address's `rate_limited` refusal of this window has been audited |
//!
//! A name without an enabled account is locked by the same rule, worked out from its rows, so
//! a locked unknown name answers exactly like a locked account.

use super::{actor, Staff, StaffError};
use crate::audit::{self, NewEntry};
use crate::db::schema::{login_failures, staff};
use crate::db::DbConn;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::login::LoginRules;

/// How far back a name without an account has its failures counted (an account's count never
/// decays by itself; a day keeps the emulation bounded).
const UNKNOWN_NAME_HORIZON_HOURS: i64 = 24;

/// A reserved attempt: its failure is already counted.
#[derive(Debug)]
pub struct Attempt {
    failure_id: i64,
    account_id: Option<i64>,
    /// The lock this reservation set, shown if the check fails.
    locks_until: Option<NaiveDateTime>,
    name: Option<String>,
}

/// Who is trying: the name as typed (already checked for validity: `None` if invalid) and its
/// account, if any and enabled.
pub struct Claimant<'a> {
    pub name: Option<&'a str>,
    pub account: Option<&'a Staff>,
    pub address: &'a str,
    /// The audit action and actor of a refusal (`staff.login`, `staff.password`).
    pub action: &'a str,
}

/// Reserves one check, or refuses it (rate-limited address, locked account or name). A refusal
/// is audited in the same transaction; a rate-limited address only once per window.
pub fn reserve(
    conn: &mut DbConn,
    who: &Claimant,
    rules: &LoginRules,
    now: NaiveDateTime,
) -> Result<Attempt, StaffError> {
    conn.transaction(|conn| {
        // Reservations are decided one at a time, and quickly: no hash is checked inside.
        audit::lock_head(conn)?;
        decide(conn, who, rules, now)
    })?
}

/// `Ok(Err(_))`: a refusal whose rows must commit.
fn decide(
    conn: &mut DbConn,
    who: &Claimant,
    rules: &LoginRules,
    now: NaiveDateTime,
) -> Result<Result<Attempt, StaffError>, StaffError> {
    let since = now - rules.address_window;
    let recent: i64 = login_failures::table
        .filter(login_failures::address.eq(who.address))
        .filter(login_failures::at.gt(since))
        .count()
        .get_result(conn)?;
    if recent >= rules.address_failures as i64 {
        let marked: i64 = login_failures::table
            .filter(login_failures::address.eq(who.address))
            .filter(login_failures::at.gt(since))
            .filter(login_failures::username.eq(""))
            .count()
            .get_result(conn)?;
        if marked == 0 {
            insert_failure(conn, "", who.address, now)?;
            refusal(
                conn,
                who,
                "rate_limited",
                now,
                Some("later refusals of this window are not recorded"),
            )?;
        }
        return Ok(Err(StaffError::RateLimited {
            minutes: rules.address_window.num_minutes().max(1) as u32,
        }));
    }
    if let Some(until) = locked_until(conn, who, rules, now)? {
        insert_failure(conn, "?", who.address, now)?;
        refusal(conn, who, "locked", now, None)?;
        return Ok(Err(locked(until)));
    }
    let failure_id = insert_failure(conn, who.name.unwrap_or("?"), who.address, now)?;
    let mut locks_until = None;
    if let Some(account) = who.account {
        let failures: i32 = diesel::update(staff::table.find(account.id))
            .set(staff::failed_logins.eq(staff::failed_logins + 1))
            .returning(staff::failed_logins)
            .get_result(conn)?;
        if failures as u32 >= rules.lockout_after {
            let until = lock_end(rules, now);
            diesel::update(staff::table.find(account.id))
                .set((staff::locked_until.eq(until), staff::failed_logins.eq(0)))
                .execute(conn)?;
            locks_until = Some(until);
        }
    } else if let Some(name) = who.name {
        locks_until = name_lock(conn, name, rules, now)?;
    }
    Ok(Ok(Attempt {
        failure_id,
        account_id: who.account.map(|a| a.id),
        locks_until,
        name: who.name.map(str::to_string),
    }))
}

/// The check passed: the failure is taken back and the account's count and lock cleared, as far
/// as they are this attempt's and older ones'. Checks reserved after this one (a burst still in
/// flight) stay counted, so a success inside a burst does not open it to more guesses.
pub fn succeeded(conn: &mut DbConn, attempt: &Attempt) -> Result<(), StaffError> {
    conn.transaction(|conn| {
        audit::lock_head(conn)?;
        diesel::delete(login_failures::table.find(attempt.failure_id)).execute(conn)?;
        let (Some(id), Some(name)) = (attempt.account_id, &attempt.name) else {
            return Ok(());
        };
        let later: i64 = login_failures::table
            .filter(login_failures::username.eq(name))
            .filter(login_failures::id.gt(attempt.failure_id))
            .count()
            .get_result(conn)?;
        let (count, lock): (i32, Option<NaiveDateTime>) = staff::table
            .find(id)
            .select((staff::failed_logins, staff::locked_until))
            .first(conn)?;
        let lock = lock.filter(|until| later > 0 && Some(*until) != attempt.locks_until);
        let count = if later == 0 {
            0
        } else {
            count.min(later as i32)
        };
        diesel::update(staff::table.find(id))
            .set((staff::failed_logins.eq(count), staff::locked_until.eq(lock)))
            .execute(conn)?;
        Ok(())
    })
}

/// The check failed (already counted): what to answer.
pub fn failed(attempt: &Attempt, wrong: StaffError) -> StaffError {
    attempt.locks_until.map(locked).unwrap_or(wrong)
}

fn locked_until(
    conn: &mut DbConn,
    who: &Claimant,
    rules: &LoginRules,
    now: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, StaffError> {
    match (who.account, who.name) {
        (Some(account), _) => {
            // Read afresh: the caller's copy predates the lock.
            let until: Option<NaiveDateTime> = staff::table
                .find(account.id)
                .select(staff::locked_until)
                .first(conn)?;
            Ok(until.filter(|u| *u > now))
        }
        (None, Some(name)) => name_lock(conn, name, rules, now),
        (None, None) => Ok(None),
    }
}

/// The lock an account would be under after the counted failures of `name`: every
/// `lockout_after`-th failure (outside a lock) locks it for the lockout period.
fn name_lock(
    conn: &mut DbConn,
    name: &str,
    rules: &LoginRules,
    now: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, StaffError> {
    let times: Vec<NaiveDateTime> = login_failures::table
        .filter(login_failures::username.eq(name))
        .filter(login_failures::at.gt(now - Duration::hours(UNKNOWN_NAME_HORIZON_HOURS)))
        .order((login_failures::at.asc(), login_failures::id.asc()))
        .select(login_failures::at)
        .load(conn)?;
    let (mut count, mut until) = (0u32, None::<NaiveDateTime>);
    for at in times {
        if until.is_some_and(|u| u > at) {
            continue;
        }
        count += 1;
        if count >= rules.lockout_after {
            until = Some(lock_end(rules, at));
            count = 0;
        }
    }
    Ok(until.filter(|u| *u > now))
}

fn insert_failure(
    conn: &mut DbConn,
    name: &str,
    address: &str,
    now: NaiveDateTime,
) -> Result<i64, StaffError> {
    Ok(diesel::insert_into(login_failures::table)
        .values((
            login_failures::username.eq(name),
            login_failures::address.eq(address),
            login_failures::at.eq(now),
        ))
        .returning(login_failures::id)
        .get_result(conn)?)
}

pub(super) fn lock_end(rules: &LoginRules, now: NaiveDateTime) -> NaiveDateTime {
    if rules.lockout.is_zero() {
        // Until unlocked: a date no clock reaches, but one both databases store.
        chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or(now)
    } else {
        now + rules.lockout
    }
}

pub(super) fn locked(until: NaiveDateTime) -> StaffError {
    StaffError::Locked {
        until: until.format("%Y-%m-%d %H:%M:%S").to_string(),
    }
}

/// Audits an attempt's outcome under the name as typed (`?` for an invalid one).
pub fn record(
    conn: &mut DbConn,
    who: &Claimant,
    result: &str,
    now: NaiveDateTime,
) -> Result<(), StaffError> {
    refusal(conn, who, result, now, None)
}

fn refusal(
    conn: &mut DbConn,
    who: &Claimant,
    result: &str,
    now: NaiveDateTime,
    note: Option<&str>,
) -> Result<(), StaffError> {
    let detail = match note {
        Some(note) => format!("address {}; {note}", who.address),
        None => format!("address {}", who.address),
    };
    audit::append(
        conn,
        &NewEntry {
            actor: actor(who.name.unwrap_or("?")),
            action: who.action.into(),
            subject_ssn: None,
            purpose: None,
            result: result.into(),
            detail: Some(detail),
        },
        now,
    )?;
    Ok(())
}
