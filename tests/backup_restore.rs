//! `sskiosk backup` while a node serves and writes, then `sskiosk restore` into a fresh store
//! (issue 13): the copy holds the record, the certificates and an intact audit log.

mod certificate_support;
mod common;
mod staff_support;

use common::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[test]
fn a_backup_taken_under_load_restores_into_a_fresh_store_intact() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let (serial, _, _) = certificate_support::issue(&db, certificate_support::LI, &[], "a.pdf");
    staff_support::add_staff(&db, "clara", "clerk");
    let server = Served::start(&db);

    // Load: logins and verifications append audit entries while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let base = server.base.clone();
    let load = {
        let (stop, serial) = (stop.clone(), serial.clone());
        std::thread::spawn(move || {
            let mut requests = 0;
            while !stop.load(Ordering::Relaxed) || requests < 20 {
                let clara = staff_support::Client::login(&base, "clara");
                let _ = clara.get(&format!("/api/verify/{serial}"));
                let _ = clara.post("/api/staff/logout", serde_json::Value::Null);
                requests += 1;
            }
            requests
        })
    };
    let backups = db.dir.path().join("backups");
    let out = db.sskiosk(&["backup", backups.to_str().unwrap()]);
    stop.store(true, Ordering::Relaxed);
    assert_status(&out, 0, "backup");
    assert!(load.join().unwrap() >= 20);
    server.stop();
    let line = stdout(&out);
    let file = line.split('\t').next().unwrap().to_string();
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);

    let fresh = format!(
        "sqlite://{}",
        db.dir.path().join("fresh/store.db").display()
    );
    let on_fresh = |args: &[&str]| {
        db.command(args)
            .env("SSKIOSK__DATABASE__URL", &fresh)
            .output()
            .unwrap()
    };
    assert_status(&on_fresh(&["restore", &file]), 0, "restore");
    let record = on_fresh(&["record", certificate_support::LI]);
    assert_status(&record, 0, "the record is there");
    assert!(stdout(&record).contains("李建国"));
    assert_status(
        &on_fresh(&["audit", "verify"]),
        0,
        "the audit log is intact",
    );
    let again = on_fresh(&["restore", &file]);
    assert_status(
        &again,
        2,
        "an existing store is not replaced without --force",
    );
    assert_status(&on_fresh(&["restore", &file, "--force"]), 0, "with --force");
    let certificates: i64 = {
        use diesel::prelude::*;
        let pool = sskiosk::db::open_pool(&fresh, 1).unwrap();
        let mut conn = pool.get().unwrap();
        sskiosk::db::schema::certificates::table
            .count()
            .get_result(&mut *conn)
            .unwrap()
    };
    assert_eq!(certificates, 1);
}
