//! Walking the chain: every entry must follow its predecessor (sequence, previous hash), hash to
//! what it stores, and the last one must be the head.

use super::chain::{entry_hash, Hashed};
use super::{AuditError, GENESIS};
use crate::db::schema::{audit_head, audit_log};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Entries read per query, so the walk's memory does not grow with the log.
const PAGE: i64 = 5_000;

#[derive(Queryable)]
struct Stored {
    seq: i64,
    at: NaiveDateTime,
    actor: String,
    action: String,
    subject_ssn: Option<String>,
    purpose: Option<String>,
    result: String,
    detail: Option<String>,
    prev_hash: String,
    hash: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChainReport {
    Intact {
        entries: i64,
    },
    /// The first entry that does not fit; `seq` is where the chain stops being trustworthy.
    Broken {
        seq: i64,
        reason: String,
    },
}

pub fn verify_chain(conn: &mut DbConn) -> Result<ChainReport, AuditError> {
    let (mut last_seq, mut last_hash) = (0i64, GENESIS.to_string());
    loop {
        let page: Vec<Stored> = audit_log::table
            .filter(audit_log::seq.gt(last_seq))
            .order(audit_log::seq)
            .limit(PAGE)
            .load(conn)?;
        if page.is_empty() {
            break;
        }
        for e in page {
            if e.seq != last_seq + 1 {
                return Ok(broken(
                    last_seq + 1,
                    format!("entry {} is missing", last_seq + 1),
                ));
            }
            if e.prev_hash != last_hash {
                return Ok(broken(e.seq, "does not link to the entry before it".into()));
            }
            let hashed = Hashed {
                seq: e.seq,
                at: e.at,
                actor: &e.actor,
                action: &e.action,
                subject_ssn: e.subject_ssn.as_deref(),
                purpose: e.purpose.as_deref(),
                result: &e.result,
                detail: e.detail.as_deref(),
            };
            if entry_hash(&e.prev_hash, &hashed) != e.hash {
                return Ok(broken(
                    e.seq,
                    "its content was changed after it was written".into(),
                ));
            }
            (last_seq, last_hash) = (e.seq, e.hash);
        }
    }
    let (head_seq, head_hash): (i64, String) = audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    if head_seq != last_seq || head_hash != last_hash {
        return Ok(broken(
            last_seq + 1,
            format!("the log ends at entry {last_seq} but {head_seq} entries were written"),
        ));
    }
    Ok(ChainReport::Intact { entries: last_seq })
}

fn broken(seq: i64, reason: String) -> ChainReport {
    ChainReport::Broken { seq, reason }
}
