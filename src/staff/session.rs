//! Sessions live in the store, so they survive a restart and every node on one PostgreSQL sees
//! them. The cookie carries a random 256-bit token; only its SHA-256 is stored. Each session
//! has its own CSRF token, which the browser must echo in a header on every state change.

use super::{Staff, StaffError};
use crate::db::schema::{staff, staff_sessions};
use crate::db::DbConn;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A live session and its account.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub csrf_token: String,
    pub staff: Staff,
    pub expires_at: NaiveDateTime,
}

/// What a new session gives the client: the cookie value and the CSRF token.
pub struct Opened {
    pub token: String,
    pub csrf_token: String,
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// When sessions end: after `idle` without a request, and in any case `max_age` after sign-in
/// (a session left open on a window PC must not live for days by being touched now and then).
#[derive(Debug, Clone, Copy)]
pub struct Expiry {
    pub idle: Duration,
    pub max_age: Duration,
}

impl Expiry {
    pub fn from_config(c: &crate::config::StaffConfig) -> Expiry {
        Expiry {
            idle: Duration::minutes(c.idle_minutes as i64)
                + Duration::seconds(c.idle_seconds_extra as i64),
            max_age: Duration::minutes(c.max_session_minutes as i64),
        }
    }

    /// The expiry of a session created at `created` and used at `now`.
    fn next(&self, created: NaiveDateTime, now: NaiveDateTime) -> NaiveDateTime {
        (now + self.idle).min(created + self.max_age)
    }
}

/// Opens a session for `staff_id`, and clears sessions that expired meanwhile.
pub fn open(
    conn: &mut DbConn,
    staff_id: i64,
    expiry: Expiry,
    now: NaiveDateTime,
) -> Result<Opened, StaffError> {
    let opened = Opened {
        token: random_hex(),
        csrf_token: random_hex(),
    };
    diesel::delete(staff_sessions::table.filter(staff_sessions::expires_at.le(now)))
        .execute(conn)?;
    diesel::insert_into(staff_sessions::table)
        .values((
            staff_sessions::token_hash.eq(token_hash(&opened.token)),
            staff_sessions::staff_id.eq(staff_id),
            staff_sessions::csrf_token.eq(&opened.csrf_token),
            staff_sessions::created_at.eq(now),
            staff_sessions::last_seen_at.eq(now),
            staff_sessions::expires_at.eq(expiry.next(now, now)),
        ))
        .execute(conn)?;
    Ok(opened)
}

/// The live session of a cookie token, its idle expiry pushed forward; `None` when the token
/// is unknown, expired, or its account disabled.
pub fn resume(
    conn: &mut DbConn,
    token: &str,
    expiry: Expiry,
    now: NaiveDateTime,
) -> Result<Option<Session>, StaffError> {
    // Tokens are 64 hex characters; anything else cannot be one (and is not worth a query).
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = token_hash(token);
    type Found = (String, NaiveDateTime, NaiveDateTime, NaiveDateTime, Staff);
    let found: Option<Found> = staff_sessions::table
        .inner_join(staff::table)
        .filter(staff_sessions::token_hash.eq(&hash))
        .select((
            staff_sessions::csrf_token,
            staff_sessions::created_at,
            staff_sessions::last_seen_at,
            staff_sessions::expires_at,
            Staff::as_select(),
        ))
        .first(conn)
        .optional()?;
    let Some((csrf_token, created, last_seen, expires_at, staff)) = found else {
        return Ok(None);
    };
    if expires_at <= now || staff.disabled {
        return Ok(None);
    }
    // Writing on every request would serialise all readers on SQLite's one writer; moving the
    // expiry once a sixtieth of the idle time has passed keeps it accurate to that fraction.
    let mut expires_at = expires_at;
    if now - last_seen >= expiry.idle / 60 {
        expires_at = expiry.next(created, now);
        diesel::update(staff_sessions::table.find(&hash))
            .set((
                staff_sessions::last_seen_at.eq(now),
                staff_sessions::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
    }
    Ok(Some(Session {
        token_hash: hash,
        csrf_token,
        staff,
        expires_at,
    }))
}

pub fn close(conn: &mut DbConn, token_hash: &str) -> Result<(), StaffError> {
    diesel::delete(staff_sessions::table.find(token_hash)).execute(conn)?;
    Ok(())
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
