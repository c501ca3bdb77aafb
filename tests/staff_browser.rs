//! The window in a real browser (Debian chromium via playwright-core): a clerk signs in, types
//! an ID number and presses Enter, issues a certificate printed on the window's printer (a real
//! ippeveprinter), and a supervisor then finds the clerk's entries in the audit search.

mod certificate_support;
mod common;
mod staff_support;
use certificate_support::{free_port, IppEve};
use common::browser::{run_script, screenshot_dir};
use common::*;
use staff_support::*;

#[test]
fn a_clerk_prints_on_behalf_and_a_supervisor_sees_it_in_the_audit_log() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    add_staff(&db, "clara", "clerk");
    add_staff(&db, "sam", "supervisor");
    let printer = IppEve::start(free_port(), &db.dir.path().join("spool"));
    let server = Served::start_with(
        &db,
        &[
            ("SSKIOSK__WINDOW__PRINTER_URI", printer.uri.as_str()),
            ("SSKIOSK__PRINT__WORKER", "true"),
        ],
    );
    run_script(
        "staff.mjs",
        &[
            ("BASE", server.base.clone()),
            ("SSN", LI.to_string()),
            ("PASSWORD", PASSWORD.to_string()),
            ("SHOTS", screenshot_dir("staff").display().to_string()),
        ],
    );
    let serial = {
        use diesel::prelude::*;
        use sskiosk::db::schema::certificates;
        let mut conn = db.pool().get().unwrap();
        certificates::table
            .select(certificates::serial)
            .first::<String>(&mut *conn)
            .expect("the page issued a certificate")
    };
    assert_eq!(printer.jobs_for(&serial), 1, "printed exactly once");
    let prints = audit(&db, "certificate.print");
    assert_eq!(prints.len(), 1);
    assert_eq!(prints[0].actor, "staff:clara");
    server.stop();
}
