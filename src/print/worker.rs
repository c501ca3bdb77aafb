//! Moves due jobs to the printer. Runs on a dedicated thread in `serve` (never on an async
//! worker: every step blocks on the database or the printer), or once from the command line.

use super::queue::{self, Job, QUEUED, SENDING};
use super::{check_pdf, PrintError, Printer, Refusal};
use crate::config::PrintConfig;
use crate::db::DbPool;
use chrono::{Duration, NaiveDateTime};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// What happened to one job in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Printed,
    /// An earlier attempt had reached the printer: nothing was resent.
    AlreadyOnPrinter,
    Deferred(String),
    Failed(String),
}

/// Tries every due job once; returns what happened to each.
pub fn run_due(pool: &DbPool, config: &PrintConfig) -> Result<Vec<(i64, Outcome)>, PrintError> {
    let mut conn = pool.get()?;
    let mut outcomes = Vec::new();
    for id in queue::due(&mut conn, now())? {
        let Some(job) = queue::claim(&mut conn, id, now())? else {
            continue;
        };
        let outcome = attempt(&job);
        let attempts = job.attempts + 1;
        match &outcome {
            Outcome::Printed | Outcome::AlreadyOnPrinter => {
                queue::finish(&mut conn, id, None, now())?;
                tracing::info!(job = id, serial = %job.serial, ?outcome, "print job done");
            }
            Outcome::Deferred(reason) if (attempts as u32) < config.max_attempts => {
                let next = now() + backoff(config, attempts);
                queue::defer(&mut conn, id, reason, next, now())?;
                tracing::warn!(job = id, attempts, %reason, "print job kept queued");
            }
            Outcome::Deferred(reason) | Outcome::Failed(reason) => {
                queue::fail(&mut conn, id, reason, now())?;
                tracing::error!(job = id, attempts, %reason, "print job failed");
            }
        }
        outcomes.push((id, outcome));
    }
    let keep = chrono::Duration::hours(config.keep_printed_hours as i64);
    super::retention::forget_printed(&mut conn, keep, now())?;
    Ok(outcomes)
}

fn attempt(job: &Job) -> Outcome {
    let printer = match Printer::from_uri(&job.printer) {
        Ok(p) => p,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    if let Err(reason) = check_pdf(&job.pdf) {
        return Outcome::Failed(format!("document refused before sending: {reason}"));
    }
    let refused = |r: Refusal| match r {
        Refusal::Later(reason) => Outcome::Deferred(reason),
        Refusal::Never(reason) => Outcome::Failed(reason),
    };
    if let Err(r) = printer.check_ready() {
        return refused(r);
    }
    // Any earlier attempt may have delivered the job before failing to record it.
    if job.attempts > 0 || job.state == SENDING {
        match printer.holds(&job.name()) {
            Ok(true) => return Outcome::AlreadyOnPrinter,
            Ok(false) => {}
            Err(r) => return refused(r),
        }
    }
    debug_assert!(job.state == QUEUED || job.state == SENDING);
    match printer.send(&job.name(), &job.pdf) {
        Ok(_) => Outcome::Printed,
        Err(r) => refused(r),
    }
}

/// backoff_seconds doubled per attempt, capped at max_backoff_seconds.
fn backoff(config: &PrintConfig, attempts: i32) -> Duration {
    let factor = 1u64 << (attempts.clamp(1, 16) - 1);
    let seconds = config
        .backoff_seconds
        .saturating_mul(factor)
        .min(config.max_backoff_seconds);
    Duration::seconds(seconds as i64)
}

/// The worker thread of `serve`: a pass every second until `stop` is set.
pub fn spawn(
    pool: DbPool,
    config: PrintConfig,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("print-worker".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Err(e) = run_due(&pool, &config) {
                    tracing::error!("print worker: {e}");
                }
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        })
        .expect("spawn the print worker thread")
}
