//! The nightly check run inside `serve` (`[checks]` in the configuration): a thread that sleeps
//! until the configured time of day (bureau time, UTC+8) and runs the checks on a pooled
//! connection. Several nodes on one PostgreSQL store would each run; one node is enough, so the
//! setting is per node.

use super::{run_checks, Scope};
use crate::config::ChecksConfig;
use crate::db::DbPool;
use chrono::{Duration, NaiveTime, Utc};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The actor of the nightly run's audit entry.
pub const ACTOR: &str = "checks:nightly";

/// Seconds from `now_local` until the next `at` (tomorrow's when today's has passed).
fn seconds_until(now_local: chrono::NaiveDateTime, at: NaiveTime) -> i64 {
    let today = now_local.date().and_time(at);
    let next = if today > now_local {
        today
    } else {
        today + Duration::days(1)
    };
    (next - now_local).num_seconds().max(1)
}

pub fn spawn(pool: DbPool, config: ChecksConfig, stop: Arc<AtomicBool>) -> Result<(), String> {
    let at = NaiveTime::parse_from_str(&config.nightly_at, "%H:%M")
        .map_err(|_| format!("checks.nightly_at {:?} is not HH:MM", config.nightly_at))?;
    let scope = if config.nightly_incremental {
        Scope::SinceLastRun
    } else {
        Scope::Everything
    };
    std::thread::Builder::new()
        .name("checks-nightly".into())
        .spawn(move || loop {
            let local = crate::domain::bureau_time::local(Utc::now().naive_utc()).naive_local();
            let mut wait = seconds_until(local, at);
            // Sleep in short steps so that shutting down does not wait for the night.
            while wait > 0 {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_secs(wait.min(5) as u64));
                wait -= 5;
            }
            let result = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
                run_checks(&mut conn, scope, ACTOR, || Utc::now().naive_utc())
                    .map_err(|e| e.to_string())
            });
            match result {
                Ok(s) => tracing::info!(
                    run = s.run_id,
                    citizens = s.citizens,
                    hits = s.hits,
                    opened = s.opened,
                    "nightly fund-safety checks done"
                ),
                Err(e) => tracing::error!(error = %e, "nightly fund-safety checks failed"),
            }
        })
        .map(|_| ())
        .map_err(|e| format!("cannot start the nightly checks: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_run_is_today_before_the_hour_and_tomorrow_after_it() {
        let at = NaiveTime::from_hms_opt(2, 0, 0).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(seconds_until(day.and_hms_opt(1, 0, 0).unwrap(), at), 3600);
        assert_eq!(
            seconds_until(day.and_hms_opt(3, 0, 0).unwrap(), at),
            23 * 3600
        );
    }
}
