//! `cargo bench --bench kiosk`: card inserted → record rendered in the kiosk's browser, over 50
//! taps with the real pcscd, the virtual card, a release center (`sskiosk serve`) on demo data
//! with an enrolled kiosk terminal (`sskiosk terminal`, mutual TLS, card proof, PIN typed by the
//! script) and Debian's chromium; then the terminal's resident memory with the kiosk page open.
//! The same taps against the all-in-one `serve` of before the split (scripts/bench-baseline.sh)
//! give the ratio, in the same run. Prints tables; asserts nothing.
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
use sskiosk::card::virtual_card::{Applet, CardProfile, VirtualCard};
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
    /// First APDU → record DOM complete, without the citizen's own time (typing the PIN).
    total: Vec<f64>,
    card: Vec<f64>,
    proof: Vec<f64>,
    /// First APDU → PIN pad shown.
    to_pin: Vec<f64>,
    /// PIN sent → record DOM complete.
    after_pin: Vec<f64>,
    event: Vec<f64>,
    api: Vec<f64>,
    render: Vec<f64>,
}

fn percentile(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

/// The all-in-one `sskiosk serve` of before the terminals (scripts/bench-baseline.sh), with its
/// kiosk on the first vpcd reader; None when it was not built.
fn baseline(db: &TestDb) -> Option<Served> {
    let bin = std::env::var("SSKIOSK_BENCH_BASELINE").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-baseline/sskiosk").to_string()
    });
    if !std::path::Path::new(&bin).is_file() {
        println!("(no baseline binary at {bin}: run scripts/bench-baseline.sh for the ratio)");
        return None;
    }
    let mut command = std::process::Command::new(&bin);
    command
        .arg("serve")
        .current_dir(db.dir.path())
        .env_clear()
        .env("SSKIOSK__DATABASE__URL", &db.url)
        .env("SSKIOSK__LOG__FILTER", "warn")
        .env("SSKIOSK__SERVER__BIND", "127.0.0.1:0")
        .env("SSKIOSK__DEMO__CITIZENS_ON_EMPTY_STORE", "0")
        .env("SSKIOSK__PRINT__WORKER", "false")
        .env("SSKIOSK__KIOSK__ENABLED", "true")
        .env("SSKIOSK__CARD__READERS", "[\"Virtual PCD 00 00\"]");
    Some(Served::spawn(command, "baseline serve"))
}

/// 50 taps against the kiosk page at `base`; the RSS of `pid` with the page open afterwards.
fn measure(base: &str, pid: u32, profile: &CardProfile, with_pin: bool) -> (Figures, u64) {
    let first = Arc::new(Mutex::new(None::<SystemTime>));
    let mut card: Option<InsertedCard> = None;
    let mut figures = Figures::default();
    let mut rss_kb = 0u64;
    run_kiosk_script(
        "kiosk_bench.mjs",
        &[
            ("KIOSK_URL", base.to_string()),
            (
                "SCREENSHOTS",
                browser::screenshot_dir("kiosk").display().to_string(),
            ),
            ("TAPS", TAPS.to_string()),
            ("WITH_PIN", if with_pin { "1" } else { "" }.to_string()),
        ],
        |action, args| {
            match action {
                "insert" => {
                    *first.lock().unwrap() = None;
                    let applet = Timed {
                        card: VirtualCard::new(profile, MASTER),
                        first: first.clone(),
                    };
                    card = Some(
                        InsertedCard::insert(&pcscd::vpcd_address(0), Box::new(applet), None)
                            .unwrap(),
                    );
                }
                "tap" => {
                    let t: serde_json::Value = serde_json::from_str(&args.join(" ")).unwrap();
                    let f = |k: &str| t[k].as_f64().unwrap_or(0.0);
                    let apdu = first.lock().unwrap().expect("the card was read");
                    let apdu_ms = apdu
                        .duration_since(SystemTime::UNIX_EPOCH)
                        .unwrap()
                        .as_secs_f64()
                        * 1000.0;
                    if with_pin {
                        let to_pin = f("pin_shown_at_ms") - apdu_ms;
                        let after_pin = f("done_at_ms") - f("pin_sent_at_ms");
                        figures.to_pin.push(to_pin);
                        figures.after_pin.push(after_pin);
                        figures.total.push(to_pin + after_pin);
                        figures.proof.push(f("card_proof_ms"));
                    } else {
                        figures.total.push(f("done_at_ms") - apdu_ms);
                    }
                    figures.card.push(f("card_read_ms"));
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
                    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
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
    (figures, rss_kb)
}

fn main() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    assert_status(
        &db.sskiosk(&["demo-data", "--citizens", "200"]),
        0,
        "demo-data",
    );
    let profile = card_of(&db, ZHANG);
    // Today's all-in-one first, on the same store, machine and run.
    let before = baseline(&db).map(|served| {
        let figures = measure(&served.base.clone(), served.pid(), &profile, false);
        drop(served);
        figures
    });
    let hall = serve(&db, "Virtual PCD 00 00", &[]);
    let (figures, rss_kb) = measure(&hall.base.clone(), hall.terminal.pid(), &profile, true);

    println!("\nkiosk through terminal + center (mutual TLS, card proof): card inserted → record rendered, {TAPS} taps (ms)\n");
    println!("| part | p50 | p95 |");
    println!("|---|---:|---:|");
    for (name, v) in [
        (
            "total: first APDU → DOM complete (without typing the PIN)",
            &figures.total,
        ),
        ("  first APDU → PIN pad shown", &figures.to_pin),
        ("  PIN sent → record DOM complete", &figures.after_pin),
        ("card read (monitor)", &figures.card),
        (
            "card proof (center challenge → card → center session)",
            &figures.proof,
        ),
        ("event delivery (SSE)", &figures.event),
        (
            "API calls (GET /api/kiosk/record, via the center)",
            &figures.api,
        ),
        ("rendering", &figures.render),
    ] {
        println!(
            "| {name} | {:.1} | {:.1} |",
            percentile(v, 0.5),
            percentile(v, 0.95)
        );
    }
    if let Some((base, base_rss)) = &before {
        println!("\nbaseline: the all-in-one serve of before (no terminal, no card proof, no PIN), same run\n");
        println!("| part | p50 | p95 |");
        println!("|---|---:|---:|");
        for (name, v) in [
            ("total: first APDU → DOM complete", &base.total),
            ("API calls", &base.api),
        ] {
            println!(
                "| {name} | {:.1} | {:.1} |",
                percentile(v, 0.5),
                percentile(v, 0.95)
            );
        }
        println!(
            "\nratio terminal+center / all-in-one: p50 {:.2}, p95 {:.2}; all-in-one serve RSS {:.1} MB",
            percentile(&figures.total, 0.5) / percentile(&base.total, 0.5),
            percentile(&figures.total, 0.95) / percentile(&base.total, 0.95),
            *base_rss as f64 / 1024.0
        );
    }
    println!(
        "\nsskiosk terminal, idle with the kiosk page open: RSS {:.1} MB",
        rss_kb as f64 / 1024.0
    );
}
