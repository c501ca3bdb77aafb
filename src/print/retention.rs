//! Printed documents are not kept (review D2/D7: every printed PDF stayed in `print_jobs` and in
//! the spool for good). Once a job has been done for `print.keep_printed_hours`, its PDF is
//! emptied in the queue table and a `file://` printer's copy removed. A reprint does not need
//! them: it renders the certificate again from its frozen content (window::certificates).

use super::queue::DONE;
use super::{file::FilePrinter, PrintError, Printer};
use crate::db::schema::print_jobs;
use crate::db::DbConn;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Forgets the documents of jobs done before `now - keep`; returns how many.
pub fn forget_printed(
    conn: &mut DbConn,
    keep: Duration,
    now: NaiveDateTime,
) -> Result<usize, PrintError> {
    let before = now - keep;
    let old: Vec<(i64, String, String)> = print_jobs::table
        .filter(print_jobs::state.eq(DONE))
        .filter(print_jobs::updated_at.le(before))
        .filter(print_jobs::pdf.ne(Vec::<u8>::new()))
        .select((print_jobs::id, print_jobs::serial, print_jobs::printer))
        .load(conn)?;
    for (id, serial, printer) in &old {
        if let Ok(Printer::File(spool)) = Printer::from_uri(printer) {
            remove_spooled(&spool, &super::queue::job_name(*id, serial));
        }
        diesel::update(print_jobs::table.find(id))
            .set(print_jobs::pdf.eq(Vec::<u8>::new()))
            .execute(conn)?;
    }
    Ok(old.len())
}

fn remove_spooled(spool: &FilePrinter, job_name: &str) {
    if let Err(e) = spool.remove(job_name) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(job = job_name, "printed copy not removed: {e}");
        }
    }
}
