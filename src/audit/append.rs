//! Appending an entry: one short transaction that locks the chain's head, links the entry to the
//! previous hash and moves the head.

use super::chain::{entry_hash, Hashed};
use super::AuditError;
use crate::db::schema::{audit_head, audit_log};
use crate::db::DbConn;
use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;

/// What happened, by whom, to whose data.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// Who acted: `staff:<username>`, `kiosk:<reader>`, `cli:<command>`, `public`.
    pub actor: String,
    /// What was done, e.g. `record.view`, `certificate.issue`, `login.failed`.
    pub action: String,
    /// The citizen whose data was touched, if any.
    pub subject_ssn: Option<String>,
    /// Why (the purpose a clerk chose), if asked.
    pub purpose: Option<String>,
    /// `ok`, `denied`, `failed`…
    pub result: String,
    /// Anything else worth keeping, as short text (e.g. a serial).
    pub detail: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct Row<'a> {
    seq: i64,
    at: NaiveDateTime,
    actor: &'a str,
    action: &'a str,
    subject_ssn: Option<&'a str>,
    purpose: Option<&'a str>,
    result: &'a str,
    detail: Option<&'a str>,
    prev_hash: &'a str,
    hash: &'a str,
}

/// Longest detail stored, in characters; the rest is replaced by a note of its length.
pub const DETAIL_CHARS: usize = 1_000;

/// Appends `entry` at time `at` and returns its sequence number.
pub fn append(conn: &mut DbConn, entry: &NewEntry, at: NaiveDateTime) -> Result<i64, AuditError> {
    // `/metrics`: what every audited action waits here, and entries per commit (one each until
    // appends are grouped; a grouped commit reports its own count).
    let _timed = crate::web::metrics::AuditAppendTimer::start();
    // Both databases keep microseconds; the hash must cover what is stored.
    let at = at
        .with_nanosecond(at.nanosecond() / 1_000 * 1_000)
        .unwrap_or(at);
    // Details may quote a caller's input; an entry stays small whatever was sent (review D8).
    let detail = entry
        .detail
        .as_deref()
        .map(|d| crate::domain::excerpt::cut(d, DETAIL_CHARS));
    conn.transaction(|conn| {
        // The first statement writes: it takes SQLite's write lock or PostgreSQL's row lock on
        // the head, so appenders queue here and each sees its predecessor's committed hash.
        // RETURNING saves a round trip while the lock is held (the head is the bottleneck of
        // every audited request; docs/benchmarks.md).
        let (seq, prev_hash): (i64, String) =
            crate::with_backend!(conn, |c| diesel::update(audit_head::table.find(1))
                .set(audit_head::seq.eq(audit_head::seq + 1))
                .returning((audit_head::seq, audit_head::hash))
                .get_result(c))?;
        let hashed = Hashed {
            seq,
            at,
            actor: &entry.actor,
            action: &entry.action,
            subject_ssn: entry.subject_ssn.as_deref(),
            purpose: entry.purpose.as_deref(),
            result: &entry.result,
            detail: detail.as_deref(),
        };
        let hash = entry_hash(&prev_hash, &hashed);
        diesel::insert_into(audit_log::table)
            .values(Row {
                seq,
                at,
                actor: hashed.actor,
                action: hashed.action,
                subject_ssn: hashed.subject_ssn,
                purpose: hashed.purpose,
                result: hashed.result,
                detail: hashed.detail,
                prev_hash: &prev_hash,
                hash: &hash,
            })
            .execute(conn)?;
        diesel::update(audit_head::table.find(1))
            .set(audit_head::hash.eq(&hash))
            .execute(conn)?;
        Ok(seq)
    })
    .inspect(|_| crate::web::metrics::audit_batch_committed(1))
}

/// Takes the lock of the chain's head row for the rest of the transaction (PostgreSQL: its row
/// lock; SQLite: the write lock), so that a decision read and written in this transaction is made
/// one at a time across every node of the store. Must be the transaction's first statement.
pub fn lock_head(conn: &mut DbConn) -> Result<(), diesel::result::Error> {
    diesel::sql_query("UPDATE audit_head SET seq = seq").execute(conn)?;
    Ok(())
}

/// Runs `act` (an action and its audit entry) in one transaction: both happen or neither. Its
/// first statement writes (to no row of the chain's head), so SQLite takes its write lock at the
/// start: a transaction that reads first and writes later can fail with "busy" when another
/// writer committed in between. On PostgreSQL it locks nothing.
pub fn atomically<T, E>(
    conn: &mut DbConn,
    act: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    conn.transaction(|conn| {
        diesel::sql_query("UPDATE audit_head SET seq = seq WHERE 1 = 0").execute(conn)?;
        act(conn)
    })
}
