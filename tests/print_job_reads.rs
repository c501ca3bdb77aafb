//! A print job names a citizen and a certificate: a clerk reading one is audited with the
//! citizen as subject (issue 13, review D12).

mod common;
mod staff_support;

use common::*;
use staff_support::*;

#[test]
fn a_clerk_reading_a_print_job_is_audited_with_its_citizen() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        let server = Served::start(&db);
        let id = {
            let mut conn = db.pool().get().unwrap();
            let now = chrono::Utc::now().naive_utc();
            sskiosk::print::queue::enqueue(
                &mut conn,
                "TEST-SERIAL-2",
                LI,
                "ipp://127.0.0.1:9/ipp/print",
                b"%PDF-1.7",
                0,
                now,
            )
            .unwrap()
        };
        let clara = Client::login(&server.base, "clara");
        let (status, job) = clara.get(&format!("/api/staff/print-jobs/{id}"));
        assert_eq!(status, 200, "{}: {job}", db.label);
        let (status, _) = clara.get("/api/staff/print-jobs/999999");
        assert_eq!(status, 404);
        let seen = audit(&db, "print.view");
        assert_eq!(seen.len(), 1, "{}: only the job that exists", db.label);
        assert_eq!(seen[0].actor, "staff:clara");
        assert_eq!(seen[0].subject_ssn.as_deref(), Some(LI));
        assert_eq!(
            seen[0].detail.as_deref(),
            Some(format!("job {id} (TEST-SERIAL-2)").as_str())
        );
    }
}
