//! What anonymous or refused callers make a node write is bounded (issue 13, review D7): a loop
//! of verifications from one address, or of one clerk's calls above their role, adds a bounded
//! number of rows however long it runs.

mod common;
mod staff_support;

use common::*;
use staff_support::*;

#[test]
fn a_loop_of_verifications_from_one_address_is_logged_up_to_its_budget() {
    let db = TestDb::sqlite();
    let server = Served::start(&db);
    for i in 0..45 {
        // Well-formed serials nobody issued: each one would be a row.
        let serial = format!("20261201-ABCD{:04}", i);
        let (status, _) = server.get(&format!("/api/verify/{serial}"));
        assert_eq!(status, 200);
    }
    assert_eq!(count(&db, "certificate_verifications"), 30);
}

#[test]
fn a_clerk_repeating_a_refused_call_is_audited_once() {
    let db = TestDb::sqlite();
    add_staff(&db, "clara", "clerk");
    let server = Served::start(&db);
    let clara = Client::login(&server.base, "clara");
    for _ in 0..25 {
        let (status, body) = clara.get("/api/staff/audit");
        assert_eq!((status, code(&body)), (403, "role_required"));
    }
    let (status, _) = clara.get("/api/staff/accounts");
    assert_eq!(status, 403);
    let denied = audit(&db, "staff.denied");
    let mut details: Vec<_> = denied.iter().filter_map(|e| e.detail.as_deref()).collect();
    details.sort();
    assert_eq!(details, ["GET /api/staff/accounts", "GET /api/staff/audit"]);
}

#[test]
fn a_huge_unknown_header_is_echoed_only_in_part() {
    let db = TestDb::sqlite();
    let file = db.write("persons.csv", &format!("{}\n", "a".repeat(100_000)));
    let out = db.sskiosk(&[
        "import",
        "persons",
        file.to_str().unwrap(),
        "--source",
        "hr",
    ]);
    assert_ne!(out.status.code(), Some(0));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains("more characters"), "{said}");
    assert!(said.len() < 2_000, "{} bytes said", said.len());
    for entry in staff_support::audit(&db, "import.persons") {
        let detail = entry.detail.unwrap_or_default();
        assert!(
            detail.chars().count() <= 1_100,
            "{} characters",
            detail.len()
        );
    }
}
