//! The persistent print queue. A job moves queued → sending → done, or back to queued with the
//! printer's reason and a later `next_attempt_at`, or to failed after too many attempts. Rows
//! live in the store, so the queue survives a restart and is shared by the nodes of an office;
//! a job is claimed by a conditional update, so two workers never send the same job at once.

use super::PrintError;
use crate::db::schema::print_jobs;
use crate::db::DbConn;
use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::prelude::*;

pub const QUEUED: &str = "queued";
pub const SENDING: &str = "sending";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
/// A kiosk job that had not printed when its deadline passed: never sent after that, and not
/// counted against the citizen's monthly limit (the citizen left without it).
pub const CANCELLED: &str = "cancelled";

/// A job left in `sending` this long (its worker died mid-send) may be claimed again; the
/// printer is then asked whether it already has the job before anything is resent.
const SENDING_LEASE_SECONDS: i64 = 120;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = print_jobs)]
pub struct Job {
    pub id: i64,
    pub serial: String,
    #[serde(skip)]
    pub ssn: String,
    pub printer: String,
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[serde(skip)]
    pub pdf: Vec<u8>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
    pub printer_job_id: Option<i32>,
}

impl Job {
    /// The name the job carries on the printer: unique per job, so a retry can find it there.
    pub fn name(&self) -> String {
        job_name(self.id, &self.serial)
    }
}

/// The printer-side name of job `id` printing `serial`.
pub fn job_name(id: i64, serial: &str) -> String {
    format!("sskiosk-{id}-{serial}")
}

/// Prints of `ssn` counted against the monthly limit this calendar month (bureau's zone): every
/// job but the failed and the cancelled ones.
pub fn printed_this_month(
    conn: &mut DbConn,
    ssn: &str,
    now: NaiveDateTime,
) -> Result<i64, PrintError> {
    Ok(print_jobs::table
        .filter(print_jobs::ssn.eq(ssn))
        .filter(print_jobs::created_at.ge(month_start(now)))
        .filter(print_jobs::state.ne_all([FAILED, CANCELLED]))
        .count()
        .get_result(conn)?)
}

/// Queues a certificate for printing, unless the citizen reached the monthly limit (0 = none).
pub fn enqueue(
    conn: &mut DbConn,
    serial: &str,
    ssn: &str,
    printer: &str,
    pdf: &[u8],
    monthly_limit: u32,
    now: NaiveDateTime,
) -> Result<i64, PrintError> {
    conn.transaction(|conn| {
        if monthly_limit > 0 {
            let printed = printed_this_month(conn, ssn, now)?;
            if printed >= monthly_limit as i64 {
                return Err(PrintError::LimitReached {
                    limit: monthly_limit,
                });
            }
        }
        let id = diesel::insert_into(print_jobs::table)
            .values((
                print_jobs::serial.eq(serial),
                print_jobs::ssn.eq(ssn),
                print_jobs::printer.eq(printer),
                print_jobs::state.eq(QUEUED),
                print_jobs::attempts.eq(0),
                print_jobs::pdf.eq(pdf),
                print_jobs::created_at.eq(now),
                print_jobs::updated_at.eq(now),
                print_jobs::next_attempt_at.eq(now),
            ))
            .returning(print_jobs::id)
            .get_result(conn)?;
        Ok(id)
    })
}

/// Start of the current calendar month in the bureau's zone, as UTC.
fn month_start(now_utc: NaiveDateTime) -> NaiveDateTime {
    use chrono::TimeZone;
    let zone = crate::domain::bureau_time::zone();
    let first = crate::domain::bureau_time::date_of(now_utc)
        .with_day(1)
        .expect("day 1 exists")
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists");
    // Midnight exists in every zone China uses; `earliest` covers a zone whose clocks jump.
    zone.from_local_datetime(&first)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(first)
}

pub fn get(conn: &mut DbConn, id: i64) -> Result<Job, PrintError> {
    print_jobs::table
        .find(id)
        .select(Job::as_select())
        .first(conn)
        .optional()?
        .ok_or(PrintError::UnknownJob(id))
}

/// A job's progress as the kiosk and the window show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct JobState {
    pub id: i64,
    pub serial: String,
    /// queued, sending, done, failed or cancelled.
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// A job's progress and its citizen's ID number, without reading its document.
pub fn state_of(conn: &mut DbConn, id: i64) -> Result<(JobState, String), PrintError> {
    let job: Listed = print_jobs::table
        .find(id)
        .select(Listed::as_select())
        .first(conn)
        .optional()?
        .ok_or(PrintError::UnknownJob(id))?;
    let state = JobState {
        id: job.id,
        serial: job.serial,
        state: job.state,
        attempts: job.attempts,
        last_error: job.last_error,
    };
    Ok((state, job.ssn))
}

/// Gives job `id` a deadline: not printed by then, it is cancelled (kiosk prints, so a
/// certificate never comes out of a public tray after its citizen has gone).
pub fn set_deadline(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> Result<(), PrintError> {
    diesel::update(print_jobs::table.find(id))
        .set(print_jobs::expires_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Cancels the jobs whose deadline passed before they printed; returns how many.
pub fn cancel_expired(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, PrintError> {
    Ok(diesel::update(
        print_jobs::table
            .filter(print_jobs::state.eq_any([QUEUED, SENDING]))
            .filter(print_jobs::expires_at.le(now)),
    )
    .set((
        print_jobs::state.eq(CANCELLED),
        print_jobs::last_error.eq("not printed in time: cancelled"),
        print_jobs::updated_at.eq(now),
    ))
    .execute(conn)?)
}

/// Ids of jobs due now, oldest first (expired ones are cancelled first, never sent).
pub fn due(conn: &mut DbConn, now: NaiveDateTime) -> Result<Vec<i64>, PrintError> {
    let cancelled = cancel_expired(conn, now)?;
    if cancelled > 0 {
        tracing::warn!(cancelled, "print jobs not printed in time were cancelled");
    }
    Ok(print_jobs::table
        .filter(
            print_jobs::state
                .eq(QUEUED)
                .and(print_jobs::next_attempt_at.le(now))
                .or(print_jobs::state.eq(SENDING).and(
                    print_jobs::updated_at.le(now - Duration::seconds(SENDING_LEASE_SECONDS)),
                )),
        )
        .order(print_jobs::id)
        .select(print_jobs::id)
        .load(conn)?)
}

/// Takes a due job for sending; `None` when another worker took it first. The returned job has
/// its previous state, which tells whether an earlier attempt may have reached the printer.
pub fn claim(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<Option<Job>, PrintError> {
    let before = get(conn, id)?;
    let taken = diesel::update(
        print_jobs::table
            .find(id)
            .filter(print_jobs::state.eq(&before.state))
            .filter(print_jobs::updated_at.eq(before.updated_at)),
    )
    .set((
        print_jobs::state.eq(SENDING),
        print_jobs::attempts.eq(before.attempts + 1),
        print_jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok((taken == 1 && (before.state == QUEUED || before.state == SENDING)).then_some(before))
}

pub fn finish(
    conn: &mut DbConn,
    id: i64,
    printer_job_id: Option<i32>,
    now: NaiveDateTime,
) -> Result<(), PrintError> {
    diesel::update(print_jobs::table.find(id))
        .set((
            print_jobs::state.eq(DONE),
            print_jobs::printer_job_id.eq(printer_job_id),
            print_jobs::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Puts the job back in the queue with the printer's reason, due again at `next`.
pub fn defer(
    conn: &mut DbConn,
    id: i64,
    reason: &str,
    next: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), PrintError> {
    diesel::update(print_jobs::table.find(id))
        .set((
            print_jobs::state.eq(QUEUED),
            print_jobs::last_error.eq(reason),
            print_jobs::next_attempt_at.eq(next),
            print_jobs::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn fail(
    conn: &mut DbConn,
    id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), PrintError> {
    diesel::update(print_jobs::table.find(id))
        .set((
            print_jobs::state.eq(FAILED),
            print_jobs::last_error.eq(reason),
            print_jobs::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Jobs not yet done or failed.
pub fn pending(conn: &mut DbConn) -> Result<i64, PrintError> {
    Ok(print_jobs::table
        .filter(print_jobs::state.eq_any([QUEUED, SENDING]))
        .count()
        .get_result(conn)?)
}

/// A job as listed to staff: everything but the document.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = print_jobs)]
pub struct Listed {
    pub id: i64,
    pub serial: String,
    /// Kept for the audit entry of a retry; never shown.
    #[serde(skip)]
    pub ssn: String,
    pub printer: String,
    /// queued, sending, done or failed.
    pub state: String,
    pub attempts: i32,
    /// The printer's last reason for not printing.
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
}

/// The newest jobs first, optionally in one state.
pub fn recent(
    conn: &mut DbConn,
    state: Option<&str>,
    limit: i64,
) -> Result<Vec<Listed>, PrintError> {
    let mut query = print_jobs::table
        .select(Listed::as_select())
        .order(print_jobs::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(state) = state {
        query = query.filter(print_jobs::state.eq(state.to_string()));
    }
    Ok(query.load(conn)?)
}

/// Cancels a job that has not reached a printer yet (queued, or failed): it is never printed
/// (audited by the caller). `None` when the job is sending, done or cancelled: nothing changed.
pub fn cancel(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
) -> Result<Option<Listed>, PrintError> {
    change_waiting(conn, id, |conn| {
        diesel::update(
            print_jobs::table
                .find(id)
                .filter(print_jobs::state.eq_any([QUEUED, FAILED])),
        )
        .set((
            print_jobs::state.eq(CANCELLED),
            print_jobs::updated_at.eq(now),
        ))
        .execute(conn)
    })
}

/// Sends a waiting job (queued or failed) to another printer, due now, its attempts counted
/// from zero there. `None` when the job is sending, done or cancelled.
pub fn redirect(
    conn: &mut DbConn,
    id: i64,
    printer: &str,
    now: NaiveDateTime,
) -> Result<Option<Listed>, PrintError> {
    change_waiting(conn, id, |conn| {
        diesel::update(
            print_jobs::table
                .find(id)
                .filter(print_jobs::state.eq_any([QUEUED, FAILED])),
        )
        .set((
            print_jobs::printer.eq(printer),
            print_jobs::state.eq(QUEUED),
            print_jobs::attempts.eq(0),
            print_jobs::printer_job_id.eq(None::<i32>),
            print_jobs::next_attempt_at.eq(now),
            print_jobs::updated_at.eq(now),
        ))
        .execute(conn)
    })
}

/// Runs a conditional update of job `id` and reads the job back: `Some` when it changed.
fn change_waiting(
    conn: &mut DbConn,
    id: i64,
    update: impl FnOnce(&mut DbConn) -> QueryResult<usize>,
) -> Result<Option<Listed>, PrintError> {
    conn.transaction(|conn| {
        let changed = update(conn)?;
        let job = print_jobs::table
            .find(id)
            .select(Listed::as_select())
            .first(conn)
            .optional()?
            .ok_or(PrintError::UnknownJob(id))?;
        Ok((changed == 1).then_some(job))
    })
}

pub enum Retry {
    /// The failed job is queued again, due now, its attempts counted again from one.
    Requeued(Listed),
    /// The job is not failed (already queued again, sending or done): nothing changed.
    NotFailed(Listed),
}

/// Puts a failed job back in the queue. Conditional on `failed`, so two staff pressing retry
/// together requeue it once. The attempts count again from one: not from where they were, or
/// the worker would fail the job at once for having used up `max_attempts`; and not from zero,
/// so the worker still asks the printer whether an earlier attempt reached it before sending
/// again (a job is never printed twice). The printer's last reason stays until the next
/// attempt replaces it.
pub fn retry(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<Retry, PrintError> {
    conn.transaction(|conn| {
        let changed = diesel::update(
            print_jobs::table
                .find(id)
                .filter(print_jobs::state.eq(FAILED)),
        )
        .set((
            print_jobs::state.eq(QUEUED),
            print_jobs::attempts.eq(1),
            print_jobs::next_attempt_at.eq(now),
            print_jobs::updated_at.eq(now),
        ))
        .execute(conn)?;
        let job = print_jobs::table
            .find(id)
            .select(Listed::as_select())
            .first(conn)
            .optional()?
            .ok_or(PrintError::UnknownJob(id))?;
        Ok(if changed == 1 {
            Retry::Requeued(job)
        } else {
            Retry::NotFailed(job)
        })
    })
}
