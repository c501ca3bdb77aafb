//! What the store says at scrape time: print jobs by state, live staff sessions, audit entries,
//! imported and rejected rows, and the pool's connections. Read on a blocking thread, a few
//! aggregate queries per scrape.

use crate::db::schema::{audit_head, import_batches, print_jobs, staff_sessions};
use crate::db::DbConn;
use diesel::prelude::*;
use std::fmt::Write;

pub fn render(conn: &mut DbConn, out: &mut String) -> QueryResult<()> {
    let jobs: Vec<(String, i64)> = print_jobs::table
        .group_by(print_jobs::state)
        .select((print_jobs::state, diesel::dsl::count_star()))
        .load(conn)?;
    out.push_str("# HELP sskiosk_print_jobs Print jobs in the queue table, by state.\n# TYPE sskiosk_print_jobs gauge\n");
    for (state, n) in jobs {
        let _ = writeln!(out, "sskiosk_print_jobs{{state=\"{state}\"}} {n}");
    }
    let now = chrono::Utc::now().naive_utc();
    let sessions: i64 = staff_sessions::table
        .filter(staff_sessions::expires_at.gt(now))
        .count()
        .get_result(conn)?;
    let audit: Option<i64> = audit_head::table
        .select(audit_head::seq)
        .first(conn)
        .optional()?;
    // One row per imported file: few, and summed here because SUM(BIGINT) is NUMERIC on
    // PostgreSQL, a type diesel would need another feature for.
    let batches: Vec<(i64, i64)> = import_batches::table
        .select((import_batches::rows_taken, import_batches::rows_rejected))
        .load(conn)?;
    let (taken, rejected) = batches
        .iter()
        .fold((0i64, 0i64), |(t, r), (bt, br)| (t + bt, r + br));
    let _ = writeln!(
        out,
        "# HELP sskiosk_import_rows_total Rows of imported files, taken and rejected.
# TYPE sskiosk_import_rows_total counter
         sskiosk_import_rows_total{{outcome=\"taken\"}} {taken}\nsskiosk_import_rows_total{{outcome=\"rejected\"}} {rejected}"
    );
    let _ = writeln!(
        out,
        "# HELP sskiosk_staff_sessions Staff sessions not yet expired.\n# TYPE sskiosk_staff_sessions gauge\nsskiosk_staff_sessions {sessions}\n\
         # HELP sskiosk_audit_entries Entries of the audit chain.\n# TYPE sskiosk_audit_entries counter\nsskiosk_audit_entries {}",
        audit.unwrap_or(0)
    );
    Ok(())
}
