//! The kiosk screen in a real browser (Debian's chromium driven by playwright-core) against a real
//! center (`sskiosk serve`) and a kiosk terminal enrolled there (`sskiosk terminal`), the real pcscd with the virtual card, and ippeveprinter as the printer. The
//! scripts ask this test (`@@ …` lines) to insert and remove cards, stop and start pcscd and
//! count the printer's jobs. Screenshots: target/screenshots/kiosk/.

#[path = "certificate_support/mod.rs"]
mod certificate_support;
mod common;
mod kiosk_support;
#[path = "common/pcscd.rs"]
mod pcscd;

use certificate_support::{free_port, IppEve};
use common::*;
use kiosk_support::*;
use sskiosk::card::virtual_card::vpcd::InsertedCard;

const SLOT0: &str = "Virtual PCD 00 00";

/// Answers the card and printer requests every kiosk script may make.
struct Parts<'a> {
    db: &'a TestDb,
    card: Option<InsertedCard>,
    second: Option<InsertedCard>,
    printer: Option<&'a IppEve>,
    pcscd: Option<&'a mut pcscd::Pcscd>,
}

impl Parts<'_> {
    fn handle(&mut self, action: &str, args: &[&str]) -> String {
        match action {
            "insert" => {
                self.card = Some(insert(0, &card_of(self.db, args[0])));
                "ok".into()
            }
            "insert-profile" => {
                self.card = Some(insert(0, &fixture_card(args[0])));
                "ok".into()
            }
            "insert-pin-tries" => {
                let mut p = card_of(self.db, args[0]);
                p.pin_tries = args[1].parse().unwrap();
                self.card = Some(insert(0, &p));
                "ok".into()
            }
            "insert-slot1" => {
                self.second = Some(insert(1, &card_of(self.db, args[0])));
                "ok".into()
            }
            "remove" => {
                if let Some(c) = self.card.take() {
                    c.remove();
                }
                "ok".into()
            }
            "remove-all" => {
                for c in [self.card.take(), self.second.take()].into_iter().flatten() {
                    c.remove();
                }
                "ok".into()
            }
            "wait-printed" => {
                // Bounded only so a broken build cannot hang; the job count is what is checked.
                let spool = &self.printer.expect("a printer").spool;
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
                let count = || std::fs::read_dir(spool).map(|d| d.count()).unwrap_or(0);
                while count() == 0 && std::time::Instant::now() < deadline {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                // A second copy would arrive within the worker's next passes.
                std::thread::sleep(std::time::Duration::from_secs(2));
                count().to_string()
            }
            // Only a pcscd this test started may be stopped (it is one per machine).
            "pcscd-stop" => match self.pcscd.as_deref_mut() {
                Some(p) if p.owned() => {
                    p.kill();
                    "ok".into()
                }
                _ => "skip".into(),
            },
            "pcscd-start" => {
                self.pcscd.as_deref_mut().expect("pcscd").start();
                "ok".into()
            }
            "printer-jobs" => {
                let spool = &self.printer.expect("a printer").spool;
                std::fs::read_dir(spool)
                    .map(|d| d.count())
                    .unwrap_or(0)
                    .to_string()
            }
            other => panic!("unknown request {other}"),
        }
    }
}

fn expectations(db: &TestDb) -> String {
    let mut conn = db.pool().get().unwrap();
    let record =
        sskiosk::record::unified_record(&mut conn, &sskiosk::domain::CitizenId::parse(LI).unwrap())
            .unwrap()
            .unwrap();
    serde_json::json!({
        "ssn": LI,
        "name": record.person.name,
        "insurances": record.insurances.iter().map(|i| serde_json::json!({
            "insurance": i.insurance.code(),
            "months_paid": i.months_paid,
        })).collect::<Vec<_>>(),
        "desk": "1号综合服务窗口",
        "lost_ssn": CHEN,
    })
    .to_string()
}

#[test]
fn a_citizen_reads_their_record_prints_a_certificate_and_leaves_nothing_behind() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let printer = IppEve::start(free_port(), &db.dir.path().join("spool"));
    let s = serve(
        &db,
        SLOT0,
        &[
            ("SSKIOSK__PRINT__WORKER", "true"),
            ("SSKIOSK__PRINT__PRINTER_URI", &printer.uri),
        ],
    );
    let mut parts = Parts {
        db: &db,
        card: None,
        second: None,
        printer: Some(&printer),
        pcscd: None,
    };
    run_kiosk_script(
        "kiosk.mjs",
        &[
            ("KIOSK_URL", s.base.clone()),
            (
                "SCREENSHOTS",
                browser::screenshot_dir("kiosk").display().to_string(),
            ),
            ("EXPECT", expectations(&db)),
        ],
        |action, args| parts.handle(action, args),
    );
    assert_eq!(std::fs::read_dir(&printer.spool).unwrap().count(), 1);
}

#[test]
fn the_screen_follows_idle_time_logout_removal_while_printing_a_second_card_and_pcscd() {
    let mut bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let printer = IppEve::start(free_port(), &db.dir.path().join("spool"));
    let s = serve(
        &db,
        "Virtual PCD",
        &[
            ("SSKIOSK__PRINT__WORKER", "true"),
            ("SSKIOSK__PRINT__PRINTER_URI", &printer.uri),
            ("SSKIOSK__KIOSK__IDLE_TIMEOUT_SECONDS", "8"),
            ("SSKIOSK__KIOSK__WARNING_SECONDS", "5"),
        ],
    );
    let mut parts = Parts {
        db: &db,
        card: None,
        second: None,
        printer: Some(&printer),
        pcscd: Some(&mut bench.pcscd),
    };
    run_kiosk_script(
        "kiosk_cases.mjs",
        &[
            ("KIOSK_URL", s.base.clone()),
            (
                "SCREENSHOTS",
                browser::screenshot_dir("kiosk").display().to_string(),
            ),
            ("SSN", LI.into()),
            ("NAME", "李建国".into()),
            ("OTHER_SSN", CHEN.into()),
        ],
        |action, args| parts.handle(action, args),
    );
}

#[test]
fn a_kiosk_out_of_service_says_so_and_where_to_go() {
    let db = TestDb::sqlite();
    // Closed by an admin before this node starts: the node must come up closed.
    drop(db.pool());
    {
        use diesel::RunQueryDsl;
        let mut conn = db.pool().get().unwrap();
        diesel::sql_query(
            "INSERT INTO devices (name, kind, reader, configured_printer, state, printer_state, \
             last_seen, in_service, note) VALUES ('kiosk-closed', 'kiosk', '', '', '', '', \
             '2026-11-27 08:00:00', FALSE, '设备维护中，预计下午恢复')",
        )
        .execute(&mut *conn)
        .unwrap();
    }
    let s = serve_as(&db, "kiosk-closed", "No Such Reader", &[]);
    run_kiosk_script(
        "kiosk_closed.mjs",
        &[
            ("KIOSK_URL", s.base.clone()),
            (
                "SCREENSHOTS",
                browser::screenshot_dir("kiosk").display().to_string(),
            ),
            ("DESK", "1号综合服务窗口".into()),
            ("NOTE", "设备维护中，预计下午恢复".into()),
        ],
        |action, _| panic!("unexpected request {action}"),
    );
}

#[test]
fn with_no_reader_connected_the_start_screen_says_so_and_where_to_go() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    let s = serve(&db, "No Such Reader", &[]);
    run_kiosk_script(
        "kiosk_no_reader.mjs",
        &[
            ("KIOSK_URL", s.base.clone()),
            (
                "SCREENSHOTS",
                browser::screenshot_dir("kiosk").display().to_string(),
            ),
            ("DESK", "1号综合服务窗口".into()),
        ],
        |action, _| panic!("unexpected request {action}"),
    );
}
