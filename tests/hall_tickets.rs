//! Queue tickets and the catalogue on every backend: numbers from several nodes at once with no
//! duplicate and no gap, the day turning at the hall's local midnight, one open ticket per item
//! and citizen, priority from the ID number, and `sskiosk catalogue load` keeping old versions
//! and refusing a bad file whole.

mod common;
use common::*;
use sskiosk::domain::CitizenId;
use sskiosk::hall::catalogue::store;
use sskiosk::hall::ticket::{issue, Request};
use std::collections::BTreeSet;

fn config() -> sskiosk::hall::HallConfig {
    sskiosk::config::Config::load(None).unwrap().hall
}

fn at(text: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn anonymous<'a>(item: &'a str) -> Request<'a> {
    Request {
        item_code: item,
        citizen: None,
        consent: false,
        green_channel: false,
        issued_by: "test:node",
    }
}

const CERTIFICATE: &str = "111101-SB-0001";
const CARD_LOSS: &str = "111101-SK-0007";

#[test]
fn four_nodes_issuing_at_once_give_every_number_once() {
    const NODES: usize = 4;
    const EACH: usize = 25;
    for db in TestDb::all() {
        db.pool(); // migrates
        let config = config();
        let now = sskiosk::hall::now();
        let numbers: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..NODES)
                .map(|_| {
                    // A node of its own: its own pool of connections to the one store.
                    let pool = db.pool();
                    let config = &config;
                    s.spawn(move || {
                        let mut conn = pool.get().unwrap();
                        let catalogue = store::current(&mut conn, &config.windows).unwrap();
                        (0..EACH)
                            .map(|_| {
                                issue(&mut conn, config, &catalogue, &anonymous(CERTIFICATE), now)
                                    .unwrap_or_else(|e| panic!("{}: {e}", db.label))
                                    .number
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let distinct: BTreeSet<&String> = numbers.iter().collect();
        assert_eq!(distinct.len(), NODES * EACH, "{}: duplicates", db.label);
        let expected: BTreeSet<String> = (1..=NODES * EACH).map(|n| format!("A{n:03}")).collect();
        assert_eq!(
            distinct.into_iter().cloned().collect::<BTreeSet<_>>(),
            expected,
            "{}: every number from A001 on, none missing",
            db.label
        );
        assert_eq!(count(&db, "hall_tickets"), (NODES * EACH) as i64);
    }
}

#[test]
fn the_count_starts_again_at_the_halls_midnight_not_at_utc_midnight() {
    for db in TestDb::all() {
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        let config = config();
        let catalogue = store::current(&mut conn, &config.windows).unwrap();
        let number = |conn: &mut _, when| {
            issue(conn, &config, &catalogue, &anonymous(CERTIFICATE), at(when))
                .unwrap()
                .number
        };
        // 23:59:58 and 23:59:59 in Beijing on 1 December, then 00:00:00 on the 2nd.
        assert_eq!(number(&mut conn, "2026-12-01 15:59:58"), "A001");
        assert_eq!(number(&mut conn, "2026-12-01 15:59:59"), "A002");
        assert_eq!(
            number(&mut conn, "2026-12-01 16:00:00"),
            "A001",
            "{}",
            db.label
        );
        // Another prefix counts on its own.
        let card = issue(
            &mut conn,
            &config,
            &catalogue,
            &anonymous(CARD_LOSS),
            at("2026-12-01 16:00:01"),
        );
        assert_eq!(card.unwrap().number, "B001");
    }
}

#[test]
fn a_citizen_holds_one_open_ticket_per_item_and_seventy_goes_first() {
    for db in TestDb::all() {
        let pool = db.pool();
        let mut conn = pool.get().unwrap();
        let config = config();
        let catalogue = store::current(&mut conn, &config.windows).unwrap();
        let now = at("2026-12-01 02:00:00");
        // Born 1949-12-31: 76 on that day.
        let elder = CitizenId::parse("11010519491231002X").unwrap();
        let bound = |item, consent| Request {
            item_code: item,
            citizen: Some(&elder),
            consent,
            green_channel: false,
            issued_by: "kiosk:test",
        };
        let refused = issue(
            &mut conn,
            &config,
            &catalogue,
            &bound(CERTIFICATE, false),
            now,
        );
        assert!(
            refused
                .unwrap_err()
                .to_string()
                .contains("窗口工作人员叫号后可查看您的信息"),
            "the consent text is needed"
        );
        let first = issue(
            &mut conn,
            &config,
            &catalogue,
            &bound(CERTIFICATE, true),
            now,
        )
        .unwrap();
        assert!(first.bound);
        assert_eq!(first.priority_reason.as_deref(), Some("老年人优先"));
        let again = issue(
            &mut conn,
            &config,
            &catalogue,
            &bound(CERTIFICATE, true),
            now,
        );
        let message = again.unwrap_err().to_string();
        assert!(message.contains(&first.number), "{}: {message}", db.label);
        // The refusal used no number: the next anonymous ticket is A002.
        let next = issue(&mut conn, &config, &catalogue, &anonymous(CERTIFICATE), now).unwrap();
        assert_eq!(next.number, "A002");
        // Another item is fine.
        issue(&mut conn, &config, &catalogue, &bound(CARD_LOSS, true), now).unwrap();
        let audit = count(&db, "audit_log");
        assert_eq!(audit, 3, "{}: every issued ticket is audited", db.label);
    }
}

#[test]
fn catalogue_load_keeps_old_versions_and_refuses_a_bad_file_whole() {
    for db in TestDb::all() {
        assert_status(&db.sskiosk(&["migrate"]), 0, "migrate");
        let good = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/catalogue.toml"),
        )
        .unwrap();
        let file = db.write("catalogue.toml", &good);
        let out = db.sskiosk(&["catalogue", "load", file.to_str().unwrap()]);
        assert_status(&out, 0, "load");
        assert!(stdout(&out).contains("version 1"), "{}", stdout(&out));

        let bad_text = good.replacen("windows = [\"1\", \"2\"]", "windows = [\"1\", \"42\"]", 1);
        let line = bad_text.lines().position(|l| l.contains("\"42\"")).unwrap() + 1;
        let bad = db.write("bad.toml", &bad_text);
        let out = db.sskiosk(&["catalogue", "load", bad.to_str().unwrap()]);
        assert_status(&out, 1, "bad load");
        let err = stderr(&out);
        assert!(err.contains(&format!("第{line}行 windows")), "{err}");
        assert!(err.contains("原版本继续有效"), "{err}");
        assert_eq!(count(&db, "catalogue_versions"), 1, "nothing stored");

        let renamed = good.replacen("个人参保证明查询打印", "参保证明打印", 1);
        let second = db.write("second.toml", &renamed);
        assert_status(
            &db.sskiosk(&["catalogue", "load", second.to_str().unwrap()]),
            0,
            "second load",
        );
        let versions = db.sskiosk(&["catalogue", "versions"]);
        assert_eq!(
            stdout(&versions).lines().count(),
            2,
            "{}",
            stdout(&versions)
        );
        let shown: serde_json::Value =
            serde_json::from_str(&stdout(&db.sskiosk(&["catalogue", "show"]))).unwrap();
        assert_eq!(shown["version"], 2);
        assert_eq!(shown["items"][0]["name_zh"], "参保证明打印");
    }
}
