//! The admin's tools on the staff API, on SQLite and PostgreSQL: subsystem imports from the
//! browser (committed, repeated, with rejects, refused; admins only, CSRF checked, audited) and
//! the print queue (failed jobs listed and put back in the queue by a supervisor or admin).

mod certificate_support;
mod common;
mod staff_support;
use common::*;
use serde_json::{json, Value};
use staff_support::*;

fn setup(db: &TestDb) -> Served {
    add_the_three(db);
    Served::start(db)
}

/// POSTs a CSV as the raw body, the way the staff page's fetch does.
fn upload(c: &Client, query: &str, csv: Vec<u8>) -> (u16, Value) {
    let url = format!("{}/api/staff/imports?{query}", c.base);
    let cookie = c.cookie.clone();
    let csrf = c.csrf.clone();
    actix_web::rt::System::new().block_on(async move {
        let client = awc::Client::builder()
            .timeout(std::time::Duration::from_secs(120))
            .finish();
        let mut req = client.post(url).insert_header(("Content-Type", "text/csv"));
        if let Some(v) = cookie {
            req = req.insert_header(("Cookie", v));
        }
        if let Some(t) = csrf {
            req = req.insert_header(("X-CSRF-Token", t));
        }
        let mut res = req.send_body(csv).await.expect("request");
        let bytes = res.body().limit(16 << 20).await.expect("body");
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (res.status().as_u16(), value)
    })
}

/// The same without a Content-Length (chunked), so the server must count while it streams.
fn upload_chunked(c: &Client, query: &str, csv: Vec<u8>) -> (u16, Value) {
    let url = format!("{}/api/staff/imports?{query}", c.base);
    let (cookie, csrf) = (c.cookie.clone().unwrap(), c.csrf.clone().unwrap());
    actix_web::rt::System::new().block_on(async move {
        let chunks: Vec<Result<actix_web::web::Bytes, std::io::Error>> = csv
            .chunks(64 * 1024)
            .map(|c| Ok(actix_web::web::Bytes::copy_from_slice(c)))
            .collect();
        let res = awc::Client::builder()
            .timeout(std::time::Duration::from_secs(120))
            .finish()
            .post(url)
            .insert_header(("Content-Type", "text/csv"))
            .insert_header(("Cookie", cookie))
            .insert_header(("X-CSRF-Token", csrf))
            .send_stream(futures_util::stream::iter(chunks))
            .await;
        match res {
            Ok(mut res) => {
                let bytes = res.body().limit(16 << 20).await.unwrap_or_default();
                let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                (res.status().as_u16(), value)
            }
            // The server may answer and close before the whole body is sent.
            Err(e) => (0, Value::String(e.to_string())),
        }
    })
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn data_rows(name: &str) -> u64 {
    String::from_utf8(fixture_bytes(name))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count() as u64
        - 1
}

#[test]
fn an_admin_imports_the_fixtures_from_the_browser_and_the_same_file_again_changes_nothing() {
    for db in TestDb::all() {
        add_the_three(&db);
        // The server's own temporary directory, to see that uploads leave nothing behind.
        let tmp = db.dir.path().join("server-tmp");
        std::fs::create_dir(&tmp).unwrap();
        let server = Served::start_with(&db, &[("TMPDIR", tmp.to_str().unwrap())]);
        let ada = Client::login(&server.base, "ada");
        let (status, persons) = upload(
            &ada,
            "kind=persons&source=hr-system&filename=persons.csv",
            fixture_bytes("persons.csv"),
        );
        assert_eq!(status, 200, "{}: {persons}", db.label);
        assert_eq!(persons["outcome"], "committed");
        assert_eq!(persons["rows_taken"], data_rows("persons.csv"));
        assert_eq!(persons["rows_rejected"], 0);
        assert_eq!(count(&db, "persons") as u64, data_rows("persons.csv"));

        let (status, paid) = upload(
            &ada,
            "kind=contributions&source=pension-system",
            fixture_bytes("contributions.csv"),
        );
        assert_eq!(status, 200, "{}: {paid}", db.label);
        assert_eq!(paid["outcome"], "committed");
        let taken = paid["rows_taken"].as_u64().unwrap();
        assert_eq!(taken, data_rows("contributions.csv"));
        assert_eq!(count(&db, "contributions") as u64, taken);
        assert!(paid["batch_id"].as_i64().unwrap() > persons["batch_id"].as_i64().unwrap());

        let (status, again) = upload(
            &ada,
            "kind=contributions&source=pension-system",
            fixture_bytes("contributions.csv"),
        );
        assert_eq!(status, 200, "{again}");
        assert_eq!(again["outcome"], "already_imported");
        assert_eq!(again["batch_id"], paid["batch_id"]);
        assert_eq!(count(&db, "contributions") as u64, taken);
        assert_eq!(count(&db, "import_batches"), 2);

        let entries = audit(&db, "import.contributions");
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(|e| e.actor == "staff:ada"));
        assert_eq!(entries[0].result, "unchanged");
        assert_eq!(entries[1].result, "ok");
        let detail = entries[1].detail.as_deref().unwrap();
        assert!(
            detail.starts_with("contributions.csv from pension-system: batch "),
            "{detail}"
        );
        assert_eq!(audit(&db, "import.persons")[0].result, "ok");
        assert_status(&db.sskiosk(&["audit", "verify"]), 0, "audit verify");
        assert_eq!(
            std::fs::read_dir(&tmp).unwrap().count(),
            0,
            "the uploads and their reject reports are removed"
        );
        server.stop();
    }
}

#[test]
fn bad_rows_are_listed_with_line_and_reason_and_a_wrong_header_imports_nothing() {
    for db in TestDb::all() {
        let server = setup(&db);
        let ada = Client::login(&server.base, "ada");
        let text = String::from_utf8(fixture_bytes("persons.csv")).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let good = lines.next().unwrap();
        // Line 3: an ID number whose check character is wrong.
        let bad = good.replacen("11010519491231002X", "110105194912310021", 1);
        assert_ne!(
            bad, good,
            "the fixture's first person changed; adjust the test"
        );
        let csv = format!("{header}\n{good}\n{bad}\n");
        let (status, report) = upload(&ada, "kind=persons&source=hr-system", csv.into_bytes());
        assert_eq!(status, 200, "{}: {report}", db.label);
        assert_eq!(report["outcome"], "committed");
        assert_eq!(report["rows_read"], 2);
        assert_eq!(report["rows_taken"], 1);
        assert_eq!(report["rows_rejected"], 1);
        let rejects = report["rejects"].as_array().unwrap();
        assert_eq!(rejects.len(), 1);
        assert_eq!(rejects[0]["line"], 3);
        assert_eq!(rejects[0]["column"], "ssn");
        assert!(!rejects[0]["reason"].as_str().unwrap().is_empty());
        assert_eq!(count(&db, "persons"), 1);

        let (status, refused) = upload(
            &ada,
            "kind=contributions&source=pension-system",
            fixture_bytes("persons.csv"),
        );
        assert_eq!(status, 422, "{refused}");
        assert_eq!(code(&refused), "import_refused");
        let message = refused["error"]["message"].as_str().unwrap();
        assert!(message.contains("wrong header"), "{message}");
        assert!(!message.contains("sskiosk-import-"), "{message}");
        assert_eq!(count(&db, "contributions"), 0);
        assert_eq!(count(&db, "import_batches"), 1);
        assert_eq!(audit(&db, "import.contributions")[0].result, "failed");

        // Bad query values are refused before anything is read.
        let (status, answer) = upload(&ada, "kind=pets&source=x", b"a\n".to_vec());
        assert_eq!((status, code(&answer)), (422, "invalid_input"));
        let (status, answer) = upload(&ada, "kind=persons&source=%20", b"a\n".to_vec());
        assert_eq!((status, code(&answer)), (422, "invalid_input"));
        server.stop();
    }
}

#[test]
fn only_an_admin_with_the_csrf_token_may_import() {
    for db in TestDb::all() {
        let server = setup(&db);
        let csv = fixture_bytes("persons.csv");
        for user in ["clara", "sam"] {
            let c = Client::login(&server.base, user);
            let (status, answer) = upload(&c, "kind=persons&source=hr", csv.clone());
            assert_eq!((status, code(&answer)), (403, "role_required"), "{user}");
        }
        let mut ada = Client::login(&server.base, "ada");
        ada.csrf = None;
        let (status, answer) = upload(&ada, "kind=persons&source=hr", csv.clone());
        assert_eq!((status, code(&answer)), (403, "csrf_failed"));
        let (status, answer) = upload(
            &Client::anonymous(&server.base),
            "kind=persons&source=hr",
            csv,
        );
        assert_eq!((status, code(&answer)), (401, "not_signed_in"));
        assert_eq!(count(&db, "persons"), 0);
        assert!(audit(&db, "import.persons").is_empty());
        server.stop();
    }
}

#[test]
fn a_file_over_the_configured_size_is_refused_and_nothing_is_imported() {
    for db in TestDb::all() {
        add_the_three(&db);
        let server = Served::start_with(&db, &[("SSKIOSK__STAFF__IMPORT_MAX_MB", "1")]);
        let ada = Client::login(&server.base, "ada");
        let mut csv = fixture_bytes("persons.csv");
        csv.resize(1024 * 1024 + 1, b'\n');
        let (status, answer) = upload(&ada, "kind=persons&source=hr", csv.clone());
        assert_eq!((status, code(&answer)), (422, "file_too_large"), "{answer}");
        let (status, answer) = upload_chunked(&ada, "kind=persons&source=hr", csv.clone());
        assert!(
            (status, code(&answer)) == (422, "file_too_large") || status == 0,
            "{status} {answer}"
        );
        assert_eq!(count(&db, "persons"), 0);
        // Under the limit, a chunked upload is imported whole.
        csv.truncate(1024 * 1024);
        let (status, report) = upload_chunked(&ada, "kind=persons&source=hr", csv);
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["rows_taken"], data_rows("persons.csv"));
        server.stop();
    }
}

/// A job the worker gave up on, put into the store through the library.
fn failed_job(db: &TestDb) -> i64 {
    use sskiosk::print::queue;
    let mut conn = db.pool().get().unwrap();
    let now = chrono::Utc::now().naive_utc();
    let id = queue::enqueue(
        &mut conn,
        "TEST-SERIAL-1",
        LI,
        "ipp://127.0.0.1:9/ipp/print",
        b"%PDF-1.7",
        0,
        now,
    )
    .unwrap();
    queue::fail(&mut conn, id, "the printer cannot be reached", now).unwrap();
    id
}

#[test]
fn a_supervisor_sees_a_failed_print_job_and_puts_it_back_in_the_queue_once() {
    for db in TestDb::all() {
        let server = setup(&db);
        let id = failed_job(&db);
        let sam = Client::login(&server.base, "sam");
        let (status, jobs) = sam.get("/api/staff/print-jobs?state=failed");
        assert_eq!(status, 200, "{}: {jobs}", db.label);
        let job = jobs
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["id"] == id)
            .expect("the failed job is listed");
        assert_eq!(job["state"], "failed");
        assert_eq!(job["last_error"], "the printer cannot be reached");
        assert_eq!(job["serial"], "TEST-SERIAL-1");
        assert!(job.get("ssn").is_none() && job.get("pdf").is_none());

        let clara = Client::login(&server.base, "clara");
        let (status, answer) = clara.get("/api/staff/print-jobs");
        assert_eq!((status, code(&answer)), (403, "role_required"));

        let retry = format!("/api/staff/print-jobs/{id}/retry");
        let (status, queued) = sam.post(&retry, Value::Null);
        assert_eq!(status, 200, "{queued}");
        assert_eq!(queued["state"], "queued");
        assert_eq!(
            queued["attempts"], 1,
            "counted from one: the printer is asked first"
        );
        let (status, again) = sam.post(&retry, Value::Null);
        assert_eq!((status, code(&again)), (409, "not_failed"), "{again}");

        let (_, failed) = sam.get("/api/staff/print-jobs?state=failed");
        assert!(failed.as_array().unwrap().iter().all(|j| j["id"] != id));
        let (_, queued) = sam.get("/api/staff/print-jobs?state=queued");
        assert!(queued.as_array().unwrap().iter().any(|j| j["id"] == id));
        let (status, answer) = sam.get("/api/staff/print-jobs?state=lost");
        assert_eq!((status, code(&answer)), (422, "invalid_input"));
        let (status, _) = sam.post("/api/staff/print-jobs/999999/retry", Value::Null);
        assert_eq!(status, 404);

        let entries = audit(&db, "print.retry");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].result, "unchanged");
        assert_eq!(entries[1].result, "ok");
        assert_eq!(entries[1].actor, "staff:sam");
        assert_eq!(entries[1].subject_ssn.as_deref(), Some(LI));

        // The queued job goes to another printer of the hall, then is cancelled: audited, and
        // a cancelled job changes no more. A printer outside the allow-list is refused.
        let redirect = format!("/api/staff/print-jobs/{id}/redirect");
        let (status, body) = sam.post(
            &redirect,
            json!({"printer": "ipp://evil.example/ipp/print"}),
        );
        assert_eq!(
            (status, code(&body)),
            (422, "printer_not_allowed"),
            "{body}"
        );
        let (status, moved) = sam.post(
            &redirect,
            json!({"printer": "ipp://127.0.0.1:6310/ipp/print"}),
        );
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["printer"], "ipp://127.0.0.1:6310/ipp/print");
        assert_eq!(
            (moved["state"].as_str(), moved["attempts"].as_i64()),
            (Some("queued"), Some(0))
        );
        let cancel = format!("/api/staff/print-jobs/{id}/cancel");
        let (status, cancelled) = sam.post(&cancel, Value::Null);
        assert_eq!(
            (status, cancelled["state"].as_str()),
            (200, Some("cancelled")),
            "{cancelled}"
        );
        let (status, again) = sam.post(&cancel, Value::Null);
        assert_eq!((status, code(&again)), (409, "print_job_state"), "{again}");
        let (status, again) = sam.post(
            &redirect,
            json!({"printer": "ipp://127.0.0.1:6310/ipp/print"}),
        );
        assert_eq!((status, code(&again)), (409, "print_job_state"));
        assert_eq!(audit(&db, "print.redirect").len(), 1);
        assert_eq!(audit(&db, "print.cancel").len(), 1);
        server.stop();
    }
}

#[test]
fn in_the_browser_an_admin_retries_a_failed_job_imports_a_file_and_a_new_clerk_sets_a_password() {
    use common::browser::{run_script, screenshot_dir};
    let db = TestDb::sqlite();
    let server = setup(&db);
    let id = failed_job(&db);
    let text = String::from_utf8(fixture_bytes("persons.csv")).unwrap();
    let mut lines = text.lines();
    let (header, good) = (lines.next().unwrap(), lines.next().unwrap());
    let bad = good.replacen("11010519491231002X", "110105194912310021", 1);
    let bad_csv = db.write("some-bad.csv", &format!("{header}\n{good}\n{bad}\n"));
    run_script(
        "staff_admin.mjs",
        &[
            ("BASE", server.base.clone()),
            ("PASSWORD", PASSWORD.to_string()),
            ("SHOTS", screenshot_dir("staff_admin").display().to_string()),
            ("GOOD_CSV", fixture("persons.csv").display().to_string()),
            ("BAD_CSV", bad_csv.display().to_string()),
            ("JOB_ID", id.to_string()),
            ("NEW_CLERK", "carl".to_string()),
            ("FIRST_PASSWORD", "first-password-12".to_string()),
            ("OWN_PASSWORD", "carls-own-password".to_string()),
            ("RESET_PASSWORD", "reset-password-34".to_string()),
        ],
    );
    assert_eq!(count(&db, "persons") as u64, data_rows("persons.csv"));
    let mut conn = db.pool().get().unwrap();
    let job = sskiosk::print::queue::get(&mut conn, id).unwrap();
    assert_eq!(
        job.state, "cancelled",
        "retried on the page, then cancelled there"
    );
    assert_eq!(audit(&db, "print.cancel").len(), 1);
    let imports = audit(&db, "import.persons");
    assert_eq!(imports.len(), 2);
    assert!(imports[1]
        .detail
        .as_deref()
        .unwrap()
        .starts_with("persons.csv from hr-system"));
    // The clerk the page created set their own password, then the admin reset it.
    let created = audit(&db, "staff.create");
    assert!(created
        .iter()
        .any(|e| e.actor == "staff:ada" && e.detail.as_deref() == Some("carl role=clerk")));
    let own = audit(&db, "staff.password");
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].actor, "staff:carl");
    let resets = audit(&db, "staff.password_reset");
    assert_eq!(resets.len(), 1);
    assert_eq!(resets[0].actor, "staff:ada");
    let carl = sskiosk::staff::account::find(&mut conn, "carl").unwrap();
    assert!(carl.must_change_password, "forced again after the reset");
    server.stop();
}

/// Waits (on state, not on time) until the job reaches `wanted`; gives up after a minute.
fn wait_for_state(db: &TestDb, id: i64, wanted: &str) -> (String, i32, Option<String>) {
    for _ in 0..600 {
        let state = certificate_support::job_state(db, id);
        if state.0 == wanted {
            return state;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!(
        "job {id} never reached {wanted}: {:?}",
        certificate_support::job_state(db, id)
    );
}

#[test]
fn a_job_that_failed_while_the_printer_was_off_prints_once_after_a_retry() {
    use certificate_support::{free_port, IppEve};
    for db in TestDb::all() {
        load_fixtures(&db);
        add_the_three(&db);
        let port = free_port();
        let uri = format!("ipp://127.0.0.1:{port}/ipp/print");
        let server = Served::start_with(
            &db,
            &[
                ("SSKIOSK__WINDOW__PRINTER_URI", uri.as_str()),
                ("SSKIOSK__PRINT__WORKER", "true"),
                ("SSKIOSK__PRINT__MAX_ATTEMPTS", "1"),
            ],
        );
        let clara = Client::login(&server.base, "clara");
        let (status, issued) = clara.post(
            "/api/staff/certificates",
            serde_json::json!({"ssn": LI, "kind": "contribution", "print": true, "idempotency_key": key()}),
        );
        assert_eq!(status, 201, "{}: {issued}", db.label);
        let id = issued["print_job"].as_i64().unwrap();
        let serial = issued["serial"].as_str().unwrap().to_string();
        // Nothing listens on the port yet: one attempt, then failed.
        let (_, _, reason) = wait_for_state(&db, id, "failed");
        assert!(reason.is_some_and(|r| !r.is_empty()));

        let printer = IppEve::start(port, &db.dir.path().join("spool"));
        let sam = Client::login(&server.base, "sam");
        let (status, queued) = sam.post(&format!("/api/staff/print-jobs/{id}/retry"), Value::Null);
        assert_eq!(status, 200, "{queued}");
        wait_for_state(&db, id, "done");
        assert_eq!(
            printer.jobs_for(&serial),
            1,
            "{}: printed exactly once",
            db.label
        );
        let (status, again) = sam.post(&format!("/api/staff/print-jobs/{id}/retry"), Value::Null);
        assert_eq!((status, code(&again)), (409, "not_failed"));
        server.stop();
    }
}
