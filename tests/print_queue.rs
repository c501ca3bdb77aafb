//! The print queue with the file backend (the demo default): printing writes the PDF once, the
//! monthly per-citizen limit holds, a wrong printer URI and a revoked certificate are refused
//! with clear messages.

mod certificate_support;
mod common;
use certificate_support::*;
use common::*;

#[test]
fn the_file_printer_writes_each_job_once_and_the_monthly_limit_holds() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let (serial, _, _) = issue(&db, LI, &[], "a.pdf");
        let dir = db.dir.path().join("prints");
        let uri = format!("file://{}", dir.display());
        let print = || {
            db.command(&["print", &serial])
                .env("SSKIOSK__PRINT__PRINTER_URI", &uri)
                .env("SSKIOSK__PRINT__MONTHLY_LIMIT_PER_CITIZEN", "2")
                .output()
                .unwrap()
        };
        assert_status(&print(), 0, "first print");
        assert_status(&print(), 0, "second print");
        let third = print();
        assert_status(&third, 3, "over the limit");
        assert!(
            stderr(&third).contains("monthly print limit of 2"),
            "{}",
            stderr(&third)
        );
        let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(files.len(), 2, "{}", db.label);
        for f in files {
            let bytes = std::fs::read(f.unwrap().path()).unwrap();
            assert!(bytes.starts_with(b"%PDF-"));
        }
    }
}

#[test]
fn a_wrong_printer_uri_or_a_revoked_certificate_is_refused_clearly() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let (serial, _, _) = issue(&db, LI, &[], "a.pdf");
    let out = db
        .command(&["print", &serial])
        .env("SSKIOSK__PRINT__PRINTER_URI", "lpd://printer/queue")
        .output()
        .unwrap();
    assert_status(&out, 1, "unsupported printer URI");
    assert!(stderr(&out).contains("ipp://"), "{}", stderr(&out));
    assert_eq!(
        count(&db, "print_jobs"),
        0,
        "nothing queued for a printer that cannot exist"
    );

    assert_status(
        &db.sskiosk(&["certificate", "revoke", &serial, "--reason", "作废"]),
        0,
        "revoke",
    );
    let out = db.sskiosk(&["print", &serial]);
    assert_status(&out, 1, "revoked");
    assert!(stderr(&out).contains("revoked"), "{}", stderr(&out));
    let out = db.sskiosk(&["print", "20261126-ZZZZZZZZ"]);
    assert_status(&out, 1, "unknown serial");
}
