//! The service hall in a real browser (Debian chromium via playwright-core, axe-core on every new
//! screen, screenshots in target/screenshots/hall): a ticket bound to 王秀英's card (issued as the
//! kiosk issues it) is called at window 1, the display shows the call within 1 s, the panel shows
//! her record with the item's purpose, 完成, the rating 不满意 opens a case for the supervisor,
//! who closes it; the guide desk's ticket comes out of the printer as an 80 mm page.

mod common;
mod staff_support;
use common::browser::{run_script, screenshot_dir};
use common::*;
use serde_json::json;
use staff_support::*;

#[test]
fn card_ticket_call_display_record_finish_rating_and_case() {
    let db = TestDb::sqlite();
    load_fixtures(&db);
    add_staff_window(&db, "clara", "clerk", "1");
    add_staff_window(&db, "sam", "supervisor", "6");
    let prints = db.dir.path().join("prints");
    std::fs::create_dir_all(&prints).unwrap();
    let server = Served::start_with(
        &db,
        &[
            ("SSKIOSK__PRINT__WORKER", "true"),
            (
                "SSKIOSK__PRINT__PRINTER_URI",
                &format!("file://{}", prints.display()),
            ),
        ],
    );
    let bound = {
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        let config = sskiosk::config::Config::load(None).unwrap().hall;
        let catalogue =
            sskiosk::hall::catalogue::store::current(&mut conn, &config.windows).unwrap();
        let wang = sskiosk::domain::CitizenId::parse(WANG).unwrap();
        let request = sskiosk::hall::ticket::Request {
            item_code: "111101-SB-0001",
            citizen: Some(&wang),
            consent: true,
            green_channel: false,
            issued_by: "kiosk:test-kiosk",
        };
        sskiosk::hall::ticket::issue(
            &mut conn,
            &config,
            &catalogue,
            &request,
            sskiosk::hall::now(),
        )
        .unwrap()
    };
    run_script(
        "hall.mjs",
        &[
            ("BASE", server.base.clone()),
            ("PASSWORD", PASSWORD.to_string()),
            ("QUEUE_PATH", bound.queue_path.clone()),
            ("SHOTS", screenshot_dir("hall").display().to_string()),
        ],
    );

    // The rating opened a case; the supervisor closes it.
    let sam = Client::login(&server.base, "sam");
    let (status, cases) = sam.get("/api/staff/hall/cases");
    assert_eq!(status, 200);
    assert_eq!(cases[0]["level"], 2, "{cases}");
    let id = cases[0]["id"].as_i64().unwrap();
    let (status, closed) = sam.post(
        &format!("/api/staff/hall/cases/{id}/close"),
        json!({"callback_note": "已回访", "fix_note": "高峰增开窗口"}),
    );
    assert_eq!((status, closed["state"].as_str()), (200, Some("closed")));

    // The desk ticket printed: one 80 mm PDF in the printer's folder.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let pdf = loop {
        let found = std::fs::read_dir(&prints)
            .unwrap()
            .filter_map(|e| e.ok())
            .find(|e| e.path().extension().is_some_and(|x| x == "pdf"));
        if let Some(f) = found {
            break std::fs::read(f.path()).unwrap();
        }
        assert!(std::time::Instant::now() < deadline, "no ticket printed");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(
        String::from_utf8_lossy(&pdf).contains("226.77"),
        "an 80 mm page"
    );
    server.stop();
}
