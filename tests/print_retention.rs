//! A printed certificate's PDF is not kept past `print.keep_printed_hours` (issue 13): emptied in
//! the queue table and removed from a file printer's folder; a newer job keeps its own.

mod common;
use common::*;
use sskiosk::print::{queue, worker};

/// Enough of a PDF for the printer's check: one A4 page.
const A4_PAGE: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Page /MediaBox [0 0 595 842] >> endobj\n%%EOF";

fn config(dir: &std::path::Path, keep_hours: u32) -> sskiosk::config::PrintConfig {
    let mut c = sskiosk::config::Config::load(None).unwrap().print;
    c.printer_uri = format!("file://{}", dir.display());
    c.keep_printed_hours = keep_hours;
    c
}

fn stored_pdf(db: &TestDb, id: i64) -> usize {
    let mut conn = db.pool().get().unwrap();
    queue::get(&mut conn, id).unwrap().pdf.len()
}

#[test]
fn printed_pdfs_are_forgotten_after_the_keeping_period() {
    for db in TestDb::all() {
        let dir = db.dir.path().join("prints");
        let uri = format!("file://{}", dir.display());
        let pool = db.pool();
        let now = chrono::Utc::now().naive_utc();
        let enqueue = |serial: &str| {
            let mut conn = pool.get().unwrap();
            queue::enqueue(
                &mut conn,
                serial,
                "440305198503150016",
                &uri,
                A4_PAGE,
                0,
                now,
            )
            .unwrap()
        };
        let kept = enqueue("KEPT-1");
        worker::run_due(&pool, &config(&dir, 24)).unwrap();
        assert!(stored_pdf(&db, kept) > 0, "{}: within the period", db.label);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

        let gone = enqueue("GONE-1");
        worker::run_due(&pool, &config(&dir, 0)).unwrap();
        for id in [kept, gone] {
            assert_eq!(stored_pdf(&db, id), 0, "{}: job {id}", db.label);
            let job = queue::get(&mut pool.get().unwrap(), id).unwrap();
            assert_eq!(
                job.state,
                queue::DONE,
                "{}: still listed as printed",
                db.label
            );
        }
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "{}", db.label);
    }
}
