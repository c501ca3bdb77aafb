//! One check run: which citizens, the scan, and the cases written at the end.

use super::cases::{record_hits, RunRecord};
use super::{rules, scan, ChecksError, Hit};
use crate::db::{schema::check_runs, schema::import_batches, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Which citizens a run looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every citizen in the store.
    Everything,
    /// Only citizens written by import batches after this one.
    SinceBatch(i64),
    /// Only citizens written since the latest completed run (everything when none ran yet).
    SinceLastRun,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RunSummary {
    pub run_id: i64,
    /// `None`: the whole store.
    pub since_batch: Option<i64>,
    pub up_to_batch: i64,
    pub citizens: u64,
    pub hits: u64,
    /// Cases opened by this run; the other hits were already cases.
    pub opened: u64,
}

pub fn run_checks(
    conn: &mut DbConn,
    scope: Scope,
    actor: &str,
    now: impl Fn() -> NaiveDateTime,
) -> Result<RunSummary, ChecksError> {
    let started_at = now();
    // Read before the scan: batches committed while it runs are the next run's.
    let up_to: i64 = import_batches::table
        .select(diesel::dsl::max(import_batches::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0);
    let since = match scope {
        Scope::Everything => None,
        Scope::SinceBatch(0) => Some(0),
        Scope::SinceBatch(n) => {
            let known: i64 = import_batches::table
                .filter(import_batches::id.eq(n))
                .count()
                .get_result(conn)?;
            if known == 0 {
                return Err(ChecksError::UnknownBatch(n));
            }
            Some(n)
        }
        Scope::SinceLastRun => check_runs::table
            .select(check_runs::up_to_batch)
            .order(check_runs::id.desc())
            .first::<i64>(conn)
            .optional()?,
    };

    let mut hits: Vec<Hit> = Vec::new();
    let mut citizens = 0u64;
    let mut scan_block = |conn: &mut DbConn, block: &[String]| -> Result<(), ChecksError> {
        citizens += block.len() as u64;
        for facts in scan::load(conn, block)? {
            hits.extend(rules::evaluate(&facts));
        }
        Ok(())
    };
    match since {
        None => {
            let mut after: Option<String> = None;
            loop {
                let block = scan::next_block(conn, after.as_deref())?;
                if block.is_empty() {
                    break;
                }
                scan_block(conn, &block)?;
                after = block.last().cloned();
            }
        }
        Some(since) => {
            let touched = scan::touched_since(conn, since, up_to)?;
            for block in touched.chunks(scan::BLOCK) {
                scan_block(conn, block)?;
            }
        }
    }

    let record = RunRecord {
        started_at,
        finished_at: now(),
        since_batch: since,
        up_to_batch: up_to,
        citizens: citizens as i64,
        actor: actor.to_string(),
    };
    let hit_count = hits.len() as u64;
    let (run_id, opened) = record_hits(conn, &record, hits)?;
    Ok(RunSummary {
        run_id,
        since_batch: since,
        up_to_batch: up_to,
        citizens,
        hits: hit_count,
        opened,
    })
}
