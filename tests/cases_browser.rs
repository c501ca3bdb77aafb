//! The fund-safety worklist in a real browser (Debian chromium via playwright-core): the demo's
//! planted cases after a check run, a supervisor's case page and review, a clerk's banner.

mod common;
mod staff_support;
use common::browser::{run_script, screenshot_dir};
use common::*;
use staff_support::*;

#[test]
fn a_supervisor_reviews_a_case_and_a_clerk_sees_the_banner() {
    let db = TestDb::sqlite();
    add_staff(&db, "clara", "clerk");
    add_staff(&db, "sam", "supervisor");
    assert_status(&db.sskiosk(&["demo-data", "--citizens", "120"]), 0, "demo");
    assert_status(&db.sskiosk(&["checks", "run"]), 0, "checks run");
    let ssn: String = {
        use diesel::prelude::*;
        use sskiosk::db::schema::fund_cases::dsl::*;
        let mut conn = db.pool().get().unwrap();
        fund_cases
            .select(ssn)
            .order((amount_at_risk.desc(), id))
            .first(&mut *conn)
            .expect("the demo plants cases")
    };
    let server = Served::start(&db);
    run_script(
        "staff_cases.mjs",
        &[
            ("BASE", server.base.clone()),
            ("SSN", ssn),
            ("PASSWORD", PASSWORD.to_string()),
            ("SHOTS", screenshot_dir("staff_cases").display().to_string()),
        ],
    );
    assert!(audit(&db, "case.review")
        .iter()
        .any(|e| e.actor == "staff:sam"));
    server.stop();
}
