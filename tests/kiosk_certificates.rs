//! Certificates at the kiosk against a real `sskiosk serve`, the real pcscd with the virtual
//! card, on SQLite and PostgreSQL: issue, preview, print exactly once, the monthly limit, other
//! citizens kept out, and a certificate never left without its audit entry.

#[path = "certificate_support/mod.rs"]
mod certificate_support;
mod common;
mod kiosk_support;
#[path = "common/pcscd.rs"]
mod pcscd;

use common::*;
use kiosk_support::*;
use serde_json::json;

#[test]
fn a_certificate_is_issued_previewed_and_printed_once_for_the_card_holder_only() {
    let _bench = Bench::new();
    for db in TestDb::all() {
        load_fixtures(&db);
        let prints = db.dir.path().join("prints");
        let printer = format!("file://{}", prints.display());
        let s = serve(
            &db,
            SLOT0,
            &[
                ("SSKIOSK__PRINT__WORKER", "true"),
                ("SSKIOSK__PRINT__PRINTER_URI", &printer),
                ("SSKIOSK__PRINT__MONTHLY_LIMIT_PER_CITIZEN", "1"),
            ],
        );
        let card = insert(0, &card_of(&db, LI));
        let token = session_token(&s);
        let (status, options) = get(&s, "/api/kiosk/certificates/options", &token);
        assert_eq!(status, 200, "{options}");
        assert_eq!(options["monthly_limit"], 1);
        // The limit is said before anything is generated; presets in big buttons.
        assert_eq!(options["remaining"], 1, "{options}");
        assert_eq!(options["may_print"], true);
        let codes: Vec<&str> = options["presets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&"recent12") && codes.contains(&"all"),
            "{codes:?}"
        );
        // The last 12 months hold nothing for this citizen (paid in 2019): a clear refusal,
        // nothing issued.
        let recent = &options["presets"][0];
        let empty = call(
            &s,
            "POST",
            "/api/kiosk/certificates",
            Some(&token),
            Some(json!({"kind": "contribution", "from": recent["from"], "to": recent["to"]})),
        );
        assert_error(&empty, 422, "nothing_to_certify");
        assert!(empty.1["error"]["message_zh"]
            .as_str()
            .unwrap()
            .contains("没有"));
        let insurance = options["insurances"][0]["code"]
            .as_str()
            .unwrap()
            .to_string();

        // Bad requests: nothing is issued.
        let bad = call(
            &s,
            "POST",
            "/api/kiosk/certificates",
            Some(&token),
            Some(json!({"kind": "diploma"})),
        );
        assert_error(&bad, 422, "invalid_kind");
        let bad = call(
            &s,
            "POST",
            "/api/kiosk/certificates",
            Some(&token),
            Some(json!({"kind": "contribution", "from": "2024-13"})),
        );
        assert_error(&bad, 422, "invalid_month");
        let bad = call(
            &s,
            "POST",
            "/api/kiosk/certificates",
            Some(&token),
            Some(json!({"kind": "contribution", "extra": 1})),
        );
        assert_error(&bad, 400, "invalid_json");
        assert_eq!(count(&db, "certificates"), 0);

        let (status, issued) = call(
            &s,
            "POST",
            "/api/kiosk/certificates",
            Some(&token),
            Some(json!({"kind": "contribution", "items": [insurance]})),
        );
        assert_eq!(status, 201, "{issued}");
        let serial = issued["serial"].as_str().unwrap().to_string();
        let (status, png) = call_raw(
            &s.base,
            "GET",
            &format!("/api/kiosk/certificates/{serial}/preview"),
            Some(&token),
            None,
        );
        assert_eq!(status, 200);
        assert!(png.starts_with(b"\x89PNG"), "preview is not a PNG");
        let (status, pdf) = call_raw(
            &s.base,
            "GET",
            &format!("/api/kiosk/certificates/{serial}/preview?format=pdf"),
            Some(&token),
            None,
        );
        assert_eq!(status, 200);
        assert!(pdf.starts_with(b"%PDF"));

        let (status, job) = call(
            &s,
            "POST",
            &format!("/api/kiosk/certificates/{serial}/print"),
            Some(&token),
            None,
        );
        assert_eq!(status, 202, "{job}");
        let id = job["id"].as_i64().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let (_, j) = get(&s, &format!("/api/kiosk/print-jobs/{id}"), &token);
            if j["state"] == "done" {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "job not printed: {j}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let files = std::fs::read_dir(&prints).unwrap().count();
        assert_eq!(files, 1, "exactly one document printed");
        // The monthly limit (1 here) refuses a second print.
        let again = call(
            &s,
            "POST",
            &format!("/api/kiosk/certificates/{serial}/print"),
            Some(&token),
            None,
        );
        assert_error(&again, 429, "print_limit_reached");
        let trail = audit_of(&db, LI);
        assert!(trail.iter().any(
            |e| e.action == "certificate.issue" && e.detail.as_deref() == Some(serial.as_str())
        ));
        assert!(trail.iter().any(|e| e.action == "certificate.print"));

        // Another citizen's session reaches neither the certificate nor the job.
        card.remove();
        wait_state(&s, "the start screen", |v| v["screen"] == "ready");
        let _other = insert(0, &card_of(&db, WANG));
        let other = session_token(&s);
        assert_error(
            &get(
                &s,
                &format!("/api/kiosk/certificates/{serial}/preview"),
                &other,
            ),
            404,
            "not_found",
        );
        assert_error(
            &get(&s, &format!("/api/kiosk/print-jobs/{id}"), &other),
            404,
            "not_found",
        );
        assert_error(
            &call(
                &s,
                "POST",
                &format!("/api/kiosk/certificates/{serial}/print"),
                Some(&other),
                None,
            ),
            404,
            "not_found",
        );

        // A certificate and its audit entry are one act: when the entry cannot be written (the
        // chain's head removed behind the service's back), no certificate is left behind.
        {
            use diesel::RunQueryDsl;
            let mut conn = db.pool().get().unwrap();
            diesel::sql_query("DELETE FROM audit_head")
                .execute(&mut *conn)
                .unwrap();
        }
        let failed = call(
            &s,
            "POST",
            "/api/kiosk/certificates",
            Some(&other),
            Some(json!({"kind": "contribution"})),
        );
        assert_error(&failed, 503, "unavailable");
        assert_eq!(
            count(&db, "certificates"),
            1,
            "{}: nothing half-written",
            db.label
        );
    }
}

/// Issues a contribution certificate in `token`'s session and asks to print it.
fn issue_and_print(s: &Hall, token: &str) -> (u16, serde_json::Value) {
    let (status, issued) = call(
        s,
        "POST",
        "/api/kiosk/certificates",
        Some(token),
        Some(json!({"kind": "contribution", "items": []})),
    );
    assert_eq!(status, 201, "{issued}");
    let serial = issued["serial"].as_str().unwrap();
    call(
        s,
        "POST",
        &format!("/api/kiosk/certificates/{serial}/print"),
        Some(token),
        None,
    )
}

#[test]
fn a_kiosk_print_that_cannot_finish_in_time_is_cancelled_never_printed_and_not_counted() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let port = certificate_support::free_port();
    let spool = db.dir.path().join("ipp-spool");
    let printer = certificate_support::IppEve::start(port, &spool);
    // No worker in the center: the test says when the queue is worked (`sskiosk print-queue`).
    let s = serve(
        &db,
        SLOT0,
        &[
            ("SSKIOSK__PRINT__WORKER", "false"),
            ("SSKIOSK__PRINT__PRINTER_URI", printer.uri.as_str()),
            ("SSKIOSK__PRINT__MONTHLY_LIMIT_PER_CITIZEN", "1"),
            ("SSKIOSK__PRINT__KIOSK_JOB_SECONDS", "2"),
            ("SSKIOSK__DEVICE__HEARTBEAT_SECONDS", "1"),
        ],
    );
    let card = insert(0, &card_of(&db, LI));
    let token = session_token(&s);
    let printer_state = || {
        let mut conn = db.pool().get().unwrap();
        sskiosk::devices::registry::printer_state(&mut conn, &s.name).unwrap()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while printer_state() != "ready" {
        assert!(
            std::time::Instant::now() < deadline,
            "the printer was never checked"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (status, job) = issue_and_print(&s, &token);
    assert_eq!(status, 202, "{job}");
    let id = job["id"].as_i64().unwrap();

    // The printer dies before the job is sent, and the deadline passes.
    drop(printer);
    std::thread::sleep(std::time::Duration::from_secs(3));
    let printer = certificate_support::IppEve::start(port, &spool);
    assert_status(&db.sskiosk(&["print-queue"]), 0, "print-queue");
    let (status, shown) = get(&s, &format!("/api/kiosk/print-jobs/{id}"), &token);
    assert_eq!(
        (status, &shown["state"]),
        (200, &json!("cancelled")),
        "{shown}"
    );
    assert_eq!(certificate_support::job_state(&db, id).0, "cancelled");
    assert_eq!(
        printer.jobs_for(job["serial"].as_str().unwrap()),
        0,
        "printed after all"
    );

    // Not counted: the citizen's one print of the month is still there (once the center has
    // seen the printer back).
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while printer_state() != "ready" {
        assert!(
            std::time::Instant::now() < until,
            "the printer never came back"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (status, again) = issue_and_print(&s, &token);
    assert_eq!(
        status, 202,
        "a cancelled print counted against the limit: {again}"
    );

    // A printer that is down is not offered: the kiosk's view says so, and a print is refused.
    drop(printer);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while printer_state() == "ready" {
        assert!(
            std::time::Instant::now() < until,
            "the dead printer was never reported"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let v = wait_state(&s, "the printer reported down", |v| {
        v["printer_ready"] == false
    });
    assert_eq!(v["screen"], "session");
    let (status, refused) = issue_and_print(&s, &token);
    assert_error(&(status, refused), 409, "printer_unavailable");
    card.remove();
}

/// Without an electronic seal and without the bureau stating its certificates need none, a kiosk
/// does not print (a bank would reject the paper): said up front and refused at print time.
#[test]
fn a_kiosk_without_a_seal_does_not_print() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let s = serve(
        &db,
        SLOT0,
        &[("SSKIOSK__CERTIFICATE__VALID_WITHOUT_SEAL", "false")],
    );
    let _card = insert(0, &card_of(&db, LI));
    let token = session_token(&s);
    let (_, options) = get(&s, "/api/kiosk/certificates/options", &token);
    assert_eq!(options["may_print"], false, "{options}");
    let (status, issued) = call(
        &s,
        "POST",
        "/api/kiosk/certificates",
        Some(&token),
        Some(json!({"kind": "contribution"})),
    );
    assert_eq!(status, 201, "{issued}");
    let serial = issued["serial"].as_str().unwrap();
    assert!(issued["summary_zh"]
        .as_str()
        .unwrap()
        .starts_with("将打印："));
    let refused = call(
        &s,
        "POST",
        &format!("/api/kiosk/certificates/{serial}/print"),
        Some(&token),
        None,
    );
    assert_error(&refused, 409, "seal_missing");
    assert!(refused.1["error"]["message_zh"]
        .as_str()
        .unwrap()
        .contains("电子印章"));
}
