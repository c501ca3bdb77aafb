//! `cargo bench --bench kiosk`: card inserted → record rendered in the kiosk's browser, over 50
//! taps with the real pcscd, the virtual card, a release `sskiosk serve` on demo data and
//! Debian's chromium; then the server's resident memory with the kiosk page open. Prints a
//! table; asserts nothing.
//!
//! The total runs from the virtual card's first APDU to the record's DOM being complete (both
//! clocks are this machine's). Its parts: card read (the monitor's read, card seen → event),
//! event delivery (snapshot made → received by the page), API calls (the record's fetch),
//! rendering (DOM built and painted). What is left is the hand-over between them (hub, store
//! check of the card, the page's scheduling).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/kiosk_support/mod.rs"]
mod kiosk_support;
#[path = "../tests/common/pcscd.rs"]
mod pcscd;

use common::*;
use kiosk_support::*;
use sskiosk::card::virtual_card::vpcd::InsertedCard;
use sskiosk::card::virtual_card::{Applet, VirtualCard};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

const TAPS: usize = 50;
/// 张三 of the demo population: 18 years of contributions in three insurances.
const ZHANG: &str = "110101198506150019";

/// The virtual card, noting when its first APDU arrives.
struct Timed {
    card: VirtualCard,
    first: Arc<Mutex<Option<SystemTime>>>,
}

impl Applet for Timed {
    fn atr(&self) -> Vec<u8> {
        self.card.atr()
    }
    fn reset(&mut self) {
        self.card.reset()
    }
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        let mut first = self.first.lock().unwrap();
        first.get_or_insert_with(SystemTime::now);
        drop(first);
        self.card.process(apdu)
    }
}

#[derive(Default)]
struct Figures {
    total: Vec<f64>,
    card: Vec<f64>,
    proof: Vec<f64>,
    event: Vec<f64>,
    api: Vec<f64>,
    render: Vec<f64>,
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn main() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    assert_status(
        &db.sskiosk(&["demo-data", "--citizens", "200"]),
        0,
        "demo-data",
    );
    let served = serve(&db, "Virtual PCD 00 00", &[]);
    let profile = card_of(&db, ZHANG);
    let first = Arc::new(Mutex::new(None::<SystemTime>));
    let mut card: Option<InsertedCard> = None;
    let mut figures = Figures::default();
    let mut rss_kb = 0u64;
    run_kiosk_script(
        "kiosk_bench.mjs",
        &[
            ("KIOSK_URL", served.base.clone()),
            (
                "SCREENSHOTS",
                browser::screenshot_dir("kiosk").display().to_string(),
            ),
            ("TAPS", TAPS.to_string()),
        ],
        |action, args| {
            match action {
                "insert" => {
                    *first.lock().unwrap() = None;
                    let applet = Timed {
                        card: VirtualCard::new(&profile, MASTER),
                        first: first.clone(),
                    };
                    card = Some(
                        InsertedCard::insert(&pcscd::vpcd_address(0), Box::new(applet), None)
                            .unwrap(),
                    );
                }
                "tap" => {
                    let t: serde_json::Value = serde_json::from_str(&args.join(" ")).unwrap();
                    let f = |k: &str| t[k].as_f64().unwrap();
                    let apdu = first.lock().unwrap().expect("the card was read");
                    let apdu_ms = apdu
                        .duration_since(SystemTime::UNIX_EPOCH)
                        .unwrap()
                        .as_secs_f64()
                        * 1000.0;
                    figures.total.push(f("done_at_ms") - apdu_ms);
                    figures.card.push(f("card_read_ms"));
                    figures.proof.push(f("card_proof_ms"));
                    figures.event.push(f("event_ms"));
                    figures.api.push(f("api_ms"));
                    figures.render.push(f("render_ms"));
                }
                "remove" => {
                    if let Some(c) = card.take() {
                        c.remove();
                    }
                }
                "rss" => {
                    // Settle first: the page is open on the start screen, the stream idle.
                    std::thread::sleep(std::time::Duration::from_secs(2));
                    let status =
                        std::fs::read_to_string(format!("/proc/{}/status", served.pid())).unwrap();
                    rss_kb = status
                        .lines()
                        .find_map(|l| l.strip_prefix("VmRSS:"))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                        .unwrap_or(0);
                }
                other => panic!("unknown request {other}"),
            }
            "ok".to_string()
        },
    );
    println!("\nkiosk: card inserted → record rendered, {TAPS} taps (ms)\n");
    println!("| part | p50 | p95 |");
    println!("|---|---:|---:|");
    for (name, v) in [
        ("total: first APDU → DOM complete", &figures.total),
        ("card read (monitor)", &figures.card),
        (
            "card proof (center challenge → card → center session)",
            &figures.proof,
        ),
        ("event delivery (SSE)", &figures.event),
        ("API calls (GET /api/kiosk/record)", &figures.api),
        ("rendering", &figures.render),
    ] {
        println!(
            "| {name} | {:.1} | {:.1} |",
            percentile(v, 0.5),
            percentile(v, 0.95)
        );
    }
    println!(
        "\nsskiosk serve, idle with the kiosk page open: RSS {:.1} MB",
        rss_kb as f64 / 1024.0
    );
}
