//! Printing through a real IPP printer (ippeveprinter): a job arrives exactly once; a printer
//! that is down keeps the job queued with its reason, and after it comes back the job prints
//! once; a job that already reached the printer is never sent again. Both backends.

mod certificate_support;
mod common;
use certificate_support::*;
use common::*;

fn print_cmd(db: &TestDb, uri: &str, args: &[&str]) -> std::process::Output {
    db.command(args)
        .env("SSKIOSK__PRINT__PRINTER_URI", uri)
        .env("SSKIOSK__PRINT__BACKOFF_SECONDS", "0")
        .output()
        .unwrap()
}

/// Waits until the printer kept `n` documents of `serial` (it writes them after answering).
fn wait_for_jobs(printer: &IppEve, serial: &str, n: usize) {
    for _ in 0..200 {
        if printer.jobs_for(serial) >= n {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_certificate_printed_over_ipp_arrives_exactly_once() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let (serial, _, _) = issue(&db, LI, &[], "a.pdf");
        let printer = IppEve::start(free_port(), &db.dir.path().join("spool"));
        let out = print_cmd(&db, &printer.uri, &["print", &serial, "--wait", "30"]);
        assert_status(&out, 0, "print");
        wait_for_jobs(&printer, &serial, 1);
        assert_eq!(printer.jobs_for(&serial), 1, "{}", db.label);
        // Working through the queue again sends nothing.
        assert_status(
            &print_cmd(&db, &printer.uri, &["print-queue"]),
            0,
            "queue pass",
        );
        assert_eq!(printer.jobs_for(&serial), 1, "{}", db.label);
        assert_eq!(job_state(&db, 1).0, "done");
    }
}

#[test]
fn a_printer_that_is_down_keeps_the_job_until_it_is_back_then_prints_it_once() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let (serial, _, _) = issue(&db, LI, &[], "a.pdf");
        let port = free_port();
        let uri = format!("ipp://127.0.0.1:{port}/ipp/print");

        let out = print_cmd(&db, &uri, &["print", &serial]);
        assert_status(&out, 5, "printer down: still queued");
        let (state, attempts, reason) = job_state(&db, 1);
        assert_eq!((state.as_str(), attempts), ("queued", 1), "{}", db.label);
        assert!(reason.unwrap().contains("unreachable"));

        // `sskiosk` restarts (a new process), the printer comes back.
        let printer = IppEve::start(port, &db.dir.path().join("spool"));
        let out = print_cmd(&db, &uri, &["print-queue", "--wait", "30"]);
        assert_status(&out, 0, "queue after recovery");
        wait_for_jobs(&printer, &serial, 1);
        assert_eq!(printer.jobs_for(&serial), 1, "{}", db.label);
        assert_eq!(job_state(&db, 1).0, "done");
    }
}

#[test]
fn a_job_that_reached_the_printer_before_a_crash_is_not_sent_again() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let (serial, _, _) = issue(&db, LI, &[], "a.pdf");
    let printer = IppEve::start(free_port(), &db.dir.path().join("spool"));
    assert_status(
        &print_cmd(&db, &printer.uri, &["print", &serial, "--wait", "30"]),
        0,
        "print",
    );
    wait_for_jobs(&printer, &serial, 1);

    // As if the worker died after the printer took the job but before recording it.
    {
        use diesel::prelude::*;
        use sskiosk::db::schema::print_jobs;
        let mut conn = db.pool().get().unwrap();
        let long_ago = chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        diesel::update(print_jobs::table.find(1))
            .set((
                print_jobs::state.eq("sending"),
                print_jobs::updated_at.eq(long_ago),
            ))
            .execute(&mut *conn)
            .unwrap();
    }
    let out = print_cmd(&db, &printer.uri, &["print-queue"]);
    assert_status(&out, 0, "recovery pass");
    assert!(
        stdout(&out).contains("AlreadyOnPrinter"),
        "{}",
        stdout(&out)
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(printer.jobs_for(&serial), 1);
    assert_eq!(job_state(&db, 1).0, "done");
}

#[test]
fn the_worker_in_serve_prints_a_job_queued_before_it_started() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let (serial, _, _) = issue(&db, LI, &[], "a.pdf");
    let port = free_port();
    let uri = format!("ipp://127.0.0.1:{port}/ipp/print");
    assert_status(
        &print_cmd(&db, &uri, &["print", &serial]),
        5,
        "queued while down",
    );

    let printer = IppEve::start(port, &db.dir.path().join("spool"));
    let mut serve = db
        .command(&["serve"])
        .env("SSKIOSK__SERVER__BIND", "127.0.0.1:0")
        .env("SSKIOSK__DEMO__CITIZENS_ON_EMPTY_STORE", "0")
        .env("SSKIOSK__PRINT__BACKOFF_SECONDS", "0")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The worker polls every second; wait on the job's state, bounded so a bug fails the test.
    let mut state = String::new();
    for _ in 0..300 {
        state = job_state(&db, 1).0;
        if state == "done" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = serve.kill();
    let _ = serve.wait();
    assert_eq!(state, "done");
    wait_for_jobs(&printer, &serial, 1);
    assert_eq!(printer.jobs_for(&serial), 1);
}
