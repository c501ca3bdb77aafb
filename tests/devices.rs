//! The hall's terminals (docs/devices.md) against a real center (`sskiosk serve`) and a kiosk
//! terminal enrolled there, on SQLite and PostgreSQL: the terminal reports itself, an admin
//! takes it out of service and points it at another printer (a real ippeveprinter), the
//! terminal applies the first on its heartbeat and the center prints its next certificate on the
//! second; both hold across a restart; bad changes are refused with nothing changed.

mod certificate_support;
mod common;
mod kiosk_support;
#[path = "common/pcscd.rs"]
mod pcscd;
mod staff_support;
use certificate_support::{free_port, IppEve};
use common::*;
use kiosk_support::{card_of, get, insert, serve_as, session_token, wait_state, Bench, Hall};
use serde_json::{json, Value};
use staff_support::{add_the_three, audit, code, Client};

const NAME: &str = "kiosk-hall-1";

fn start(db: &TestDb, spool: &std::path::Path, reader: &str) -> Hall {
    let office = format!("file://{}", spool.display());
    serve_as(
        db,
        NAME,
        reader,
        &[
            ("SSKIOSK__DEVICE__HEARTBEAT_SECONDS", "1"),
            ("SSKIOSK__PRINT__PRINTER_URI", office.as_str()),
            ("SSKIOSK__PRINT__WORKER", "true"),
        ],
    )
}

fn this_device(admin: &Client) -> Value {
    let (status, list) = admin.get("/api/staff/devices");
    assert_eq!(status, 200, "{list}");
    list["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == NAME)
        .cloned()
        .unwrap_or_else(|| panic!("{NAME} is not listed: {list}"))
}

#[test]
fn an_admin_closes_a_kiosk_and_moves_its_printer_and_the_node_follows() {
    let _bench = Bench::new();
    for db in TestDb::all() {
        load_fixtures(&db);
        add_the_three(&db);
        let spool = db.dir.path().join("office-prints");
        let server = start(&db, &spool, pcscd::SLOT0);
        let ada = Client::login(&server.center.base, "ada");
        let d = this_device(&ada);
        assert_eq!(
            (&d["kind"], &d["in_service"], &d["online"]),
            (&json!("kiosk"), &json!(true), &json!(true)),
            "{}: {d}",
            db.label
        );
        assert_eq!(d["printer"], format!("file://{}", spool.display()));
        assert!(d["printer_override"].is_null());
        wait_for(
            || this_device(&ada)["printer_state"] == "ready",
            "the configured printer to be checked",
        );

        // A citizen at the screen, before the kiosk is closed.
        let card = insert(0, &card_of(&db, staff_support::LI));
        let token = session_token(&server);

        // Out of service: the kiosk's screen says so once the citizen is done, with the note.
        let note = "本机暂停服务，请到 3 号窗口办理";
        let (status, changed) = ada.post(
            &format!("/api/staff/devices/{NAME}"),
            json!({"in_service": false, "note": note}),
        );
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["changed_by"], "staff:ada");
        let v = wait_state(&server, "the note on the open session", |v| {
            v["screen"] == "session" && v["note"] == note
        });
        assert!(v["token"].is_null(), "the snapshot has no token: {v}");

        // Another printer: the kiosk's next print job goes there (the citizen already at the
        // screen finishes, so a closed kiosk still prints for them).
        let printer = IppEve::start(free_port(), &db.dir.path().join("ipp-spool"));
        let (status, changed) = ada.post(
            &format!("/api/staff/devices/{NAME}"),
            json!({"in_service": false, "note": note, "printer_uri": printer.uri}),
        );
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["printer"], printer.uri.as_str());
        wait_for(
            || this_device(&ada)["printer_state"] == "ready",
            "the new printer to be checked",
        );
        let (status, issued) = kiosk_support::call(
            &server,
            "POST",
            "/api/kiosk/certificates",
            Some(&token),
            Some(json!({"kind": "contribution", "items": []})),
        );
        assert_eq!(status, 201, "{issued}");
        let serial = issued["serial"].as_str().unwrap();
        let (status, job) = kiosk_support::call(
            &server,
            "POST",
            &format!("/api/kiosk/certificates/{serial}/print"),
            Some(&token),
            None,
        );
        assert_eq!(status, 202, "{job}");
        assert_eq!(get(&server, "/api/kiosk/record", &token).0, 200);
        wait_for(
            || printer.jobs_for(serial) == 1,
            "the job at the new printer",
        );
        assert!(
            !spool.exists() || std::fs::read_dir(&spool).unwrap().next().is_none(),
            "nothing went to the configured printer"
        );

        card.remove();
        wait_state(&server, "the out-of-service screen", |v| {
            v["screen"] == "out_of_service"
        });

        // The settings hold across a restart, from the first request on.
        drop(server);
        let server = start(&db, &spool, "No Such Reader");
        let (status, v) = server.json("/api/kiosk/state");
        assert_eq!((status, &v["screen"]), (200, &json!("out_of_service")));
        let ada = Client::login(&server.center.base, "ada");

        // Bad changes: refused, nothing changed.
        let path = format!("/api/staff/devices/{NAME}");
        for (body, expected) in [
            (
                json!({"in_service": true, "printer_uri": "lpt1"}),
                "invalid_device",
            ),
            (
                json!({"in_service": true, "printer_uri": "file:///etc/cron.d"}),
                "invalid_device",
            ),
            (
                json!({"in_service": true, "note": "长".repeat(121)}),
                "invalid_device",
            ),
            (json!({"in_service": "yes"}), "invalid_json"),
            (json!({"in_service": true, "owner": "x"}), "invalid_json"),
        ] {
            let (status, answer) = ada.post(&path, body.clone());
            assert_eq!(code(&answer), expected, "{body}: {status} {answer}");
            assert!(status == 422 || status == 400, "{body}: {status}");
        }
        let (status, answer) = ada.post(
            "/api/staff/devices/no-such-node",
            json!({"in_service": true}),
        );
        assert_eq!((status, code(&answer)), (404, "not_found"));
        let d = this_device(&ada);
        assert_eq!(
            (&d["in_service"], &d["printer"]),
            (&json!(false), &json!(printer.uri))
        );

        // A printer that does not answer: the terminal list says so (and why).
        let dead = format!("ipp://127.0.0.1:{}/ipp/print", free_port());
        let (status, _) = ada.post(
            &path,
            json!({"in_service": false, "note": note, "printer_uri": dead}),
        );
        assert_eq!(status, 200);
        let mut last = Value::Null;
        wait_for(
            || {
                last = this_device(&ada)["printer_state"].clone();
                last.as_str().is_some_and(|s| s.contains("unreachable"))
            },
            "the dead printer to be reported",
        );
        assert!(last.as_str().unwrap().contains(&dead), "{last}");

        // Back in service, the configured printer again.
        let (status, _) = ada.post(&path, json!({"in_service": true}));
        assert_eq!(status, 200);
        wait_state(&server, "the start screen again", |v| {
            v["screen"] != "out_of_service" && v["screen"] != "starting"
        });
        let d = this_device(&ada);
        assert!(d["printer_override"].is_null() && d["note"] == "", "{d}");

        // A node that stopped reporting is shown offline.
        {
            use diesel::RunQueryDsl;
            let mut conn = db.pool().get().unwrap();
            diesel::sql_query(
                "INSERT INTO devices (name, kind, reader, configured_printer, state, printer_state, \
                 last_seen) VALUES ('window-9', 'window', 'W', 'file://x', '', 'ready', \
                 '2026-01-01 08:00:00')",
            )
            .execute(&mut *conn)
            .unwrap();
        }
        let (_, list) = ada.get("/api/staff/devices");
        let old = list["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == "window-9")
            .unwrap();
        assert_eq!(old["online"], false);

        let updates = audit(&db, "device.update");
        assert_eq!(
            updates.len(),
            4,
            "{}: one entry per accepted change",
            db.label
        );
        assert!(updates.iter().all(|e| e.actor == "staff:ada"));
        assert_status(&db.sskiosk(&["audit", "verify"]), 0, "audit verify");
    }
}

fn wait_for(mut done: impl FnMut() -> bool, what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "waited for {what}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn in_the_browser_an_admin_closes_the_kiosk_and_its_screen_follows() {
    let db = TestDb::sqlite();
    add_the_three(&db);
    let spool = db.dir.path().join("office-prints");
    let server = start(&db, &spool, "No Such Reader");
    common::browser::run_script(
        "staff_devices.mjs",
        &[
            ("BASE", server.center.base.clone()),
            ("KIOSK", server.base.clone()),
            ("PASSWORD", staff_support::PASSWORD.to_string()),
            ("NODE", NAME.to_string()),
            (
                "SHOTS",
                common::browser::screenshot_dir("staff")
                    .display()
                    .to_string(),
            ),
        ],
    );
    let updates = audit(&db, "device.update");
    assert_eq!(updates.len(), 2, "closed, then opened again");
    assert_eq!(
        audit(&db, "terminal.enrol_code").len(),
        2,
        "the test's kiosk and window-7"
    );
    assert_eq!(audit(&db, "terminal.revoke")[0].actor, "staff:ada");
}
