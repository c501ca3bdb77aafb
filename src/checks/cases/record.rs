//! Writing a run's hits: one transaction for the run row, every case and the audit entry, so a
//! run killed before or during it leaves no case half-written (and no run recorded: the next
//! incremental run covers the same batches again).

use super::CaseState;
use crate::audit::{self, NewEntry};
use crate::checks::{ChecksError, Evidence, Hit};
use crate::db::schema::{check_runs, fund_cases, import_batches};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;

pub struct RunRecord {
    pub started_at: NaiveDateTime,
    pub finished_at: NaiveDateTime,
    pub since_batch: Option<i64>,
    pub up_to_batch: i64,
    pub citizens: i64,
    pub actor: String,
}

#[derive(Insertable)]
#[diesel(table_name = check_runs)]
struct NewRun<'a> {
    started_at: NaiveDateTime,
    finished_at: NaiveDateTime,
    since_batch: Option<i64>,
    up_to_batch: i64,
    citizens: i64,
    hits: i64,
    opened: i64,
    actor: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = fund_cases)]
struct NewCase<'a> {
    rule: &'a str,
    ssn: &'a str,
    anchor: &'a str,
    first_month: i32,
    last_month: i32,
    amount_at_risk: i64,
    evidence: String,
    state: &'a str,
    opened_at: NaiveDateTime,
    last_seen_run: i64,
    updated_at: NaiveDateTime,
}

/// Fills in each evidence row's source and import time from its batch.
fn with_sources(conn: &mut DbConn, hits: &mut [Hit]) -> QueryResult<()> {
    let mut ids: Vec<i64> = hits
        .iter()
        .flat_map(|h| h.evidence.iter().map(|e| e.batch_id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut batches: HashMap<i64, (String, NaiveDateTime)> = HashMap::new();
    for chunk in ids.chunks(1_000) {
        let rows: Vec<(i64, String, NaiveDateTime)> = import_batches::table
            .filter(import_batches::id.eq_any(chunk))
            .select((
                import_batches::id,
                import_batches::source,
                import_batches::imported_at,
            ))
            .load(conn)?;
        batches.extend(rows.into_iter().map(|(id, s, t)| (id, (s, t))));
    }
    for e in hits.iter_mut().flat_map(|h| h.evidence.iter_mut()) {
        if let Some((source, at)) = batches.get(&e.batch_id) {
            e.source = Some(source.clone());
            e.imported_at = Some(*at);
        }
    }
    Ok(())
}

fn evidence_json(evidence: &[Evidence]) -> String {
    serde_json::to_string(evidence).unwrap_or_else(|_| "[]".into())
}

/// Records the run and its hits; returns the run's id and how many cases it opened. A hit
/// whose (rule, citizen, anchor) is already a case refreshes that case's months, amount and
/// evidence while it is still open, and otherwise only notes that the run saw it again.
pub fn record_hits(
    conn: &mut DbConn,
    run: &RunRecord,
    mut hits: Vec<Hit>,
) -> Result<(i64, u64), ChecksError> {
    with_sources(conn, &mut hits)?;
    audit::atomically(conn, |conn| {
        let insert = diesel::insert_into(check_runs::table).values(NewRun {
            started_at: run.started_at,
            finished_at: run.finished_at,
            since_batch: run.since_batch,
            up_to_batch: run.up_to_batch,
            citizens: run.citizens,
            hits: hits.len() as i64,
            opened: 0,
            actor: &run.actor,
        });
        let run_id: i64 = crate::with_backend!(&mut *conn, |c| insert
            .returning(check_runs::id)
            .get_result(c))?;
        let mut opened = 0u64;
        for hit in &hits {
            let (first, last) = match (hit.months.first(), hit.months.last()) {
                (Some(f), Some(l)) => (f.number(), l.number()),
                _ => (0, 0),
            };
            let existing: Option<(i64, String)> = fund_cases::table
                .filter(fund_cases::rule.eq(hit.rule.code()))
                .filter(fund_cases::ssn.eq(&hit.ssn))
                .filter(fund_cases::anchor.eq(&hit.anchor))
                .select((fund_cases::id, fund_cases::state))
                .first(conn)
                .optional()?;
            match existing {
                None => {
                    diesel::insert_into(fund_cases::table)
                        .values(NewCase {
                            rule: hit.rule.code(),
                            ssn: &hit.ssn,
                            anchor: &hit.anchor,
                            first_month: first,
                            last_month: last,
                            amount_at_risk: hit.amount_at_risk.0,
                            evidence: evidence_json(&hit.evidence),
                            state: CaseState::Open.code(),
                            opened_at: run.finished_at,
                            last_seen_run: run_id,
                            updated_at: run.finished_at,
                        })
                        .execute(conn)?;
                    opened += 1;
                }
                Some((id, state)) if state == CaseState::Open.code() => {
                    diesel::update(fund_cases::table.find(id))
                        .set((
                            fund_cases::first_month.eq(first),
                            fund_cases::last_month.eq(last),
                            fund_cases::amount_at_risk.eq(hit.amount_at_risk.0),
                            fund_cases::evidence.eq(evidence_json(&hit.evidence)),
                            fund_cases::last_seen_run.eq(run_id),
                        ))
                        .execute(conn)?;
                }
                Some((id, _)) => {
                    diesel::update(fund_cases::table.find(id))
                        .set(fund_cases::last_seen_run.eq(run_id))
                        .execute(conn)?;
                }
            }
        }
        diesel::update(check_runs::table.find(run_id))
            .set(check_runs::opened.eq(opened as i64))
            .execute(conn)?;
        let scope = match run.since_batch {
            None => "whole store".to_string(),
            Some(b) => format!("batches {}..={}", b + 1, run.up_to_batch),
        };
        audit::append(
            conn,
            &NewEntry {
                actor: run.actor.clone(),
                action: "checks.run".into(),
                subject_ssn: None,
                purpose: None,
                result: "ok".into(),
                detail: Some(format!(
                    "run {run_id}: {scope}, {} citizens, {} hits, {opened} cases opened",
                    run.citizens,
                    hits.len()
                )),
            },
            run.finished_at,
        )?;
        Ok((run_id, opened))
    })
}
