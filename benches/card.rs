//! `cargo bench --bench card`: what a card read costs through the real pcscd and vpcd, and how
//! fast the monitor is back after pcscd restarts. Prints tables; asserts nothing.
//!
//! "Total" runs from the monitor's wake-up on the card's arrival to the moment the event is
//! about to be published; "transmit" is the part spent inside PC/SC transmit (pcscd, the vpcd
//! driver, the TCP hop to the virtual card and its answer), "connect" the other PC/SC calls
//! (connect powers the card up; disconnect resets it); "our code" is the rest.

#[path = "../tests/common/pcscd.rs"]
mod pcscd;

use sskiosk::card::virtual_card::vpcd::InsertedCard;
use sskiosk::card::virtual_card::{Applet, CardProfile, VirtualCard};
use sskiosk::card::{
    read_card, CardEvent, Monitor, MonitorConfig, SecurityChoice, TestSecurityModule, Transport,
    TransportError,
};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const MASTER: [u8; 16] = *b"SSKIOSK-TEST-KEY";
const ROUNDS: usize = 20;

fn profile(spec: &str, read_all: bool) -> CardProfile {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cards/zhang-san-2.00.json"
    );
    let mut p: CardProfile = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    p.spec_version = spec.into();
    p.variant.read_all = read_all;
    p
}

/// Events with the time they arrived, received on a thread of their own.
fn listen(monitor: &Monitor) -> mpsc::Receiver<(Instant, CardEvent)> {
    let mut rx = monitor.subscribe();
    let (tx, out) = mpsc::channel();
    std::thread::spawn(move || {
        while let Ok(e) = rx.blocking_recv() {
            if tx.send((Instant::now(), e)).is_err() {
                break;
            }
        }
    });
    out
}

fn wait(
    rx: &mpsc::Receiver<(Instant, CardEvent)>,
    want: impl Fn(&CardEvent) -> bool,
) -> (Instant, CardEvent) {
    loop {
        let (t, e) = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("event within 20 s");
        if want(&e) {
            return (t, e);
        }
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn through_pcscd(rx: &mpsc::Receiver<(Instant, CardEvent)>) {
    println!(
        "\n## Card present → CardInserted published (median of {ROUNDS}, through pcscd + vpcd)\n"
    );
    println!("| card | APDUs | total µs | PC/SC transmit µs | PC/SC connect + disconnect µs | our code µs |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, spec, read_all) in [
        ("2.00, read-all records", "2.00", true),
        ("2.00, item by item", "2.00", false),
        ("3.00, with authentication", "3.00", true),
    ] {
        let (mut total, mut transmit, mut connect, mut ours, mut apdus) =
            (vec![], vec![], vec![], vec![], 0);
        for _ in 0..ROUNDS {
            let card = InsertedCard::insert(
                &pcscd::vpcd_address(0),
                Box::new(VirtualCard::new(&profile(spec, read_all), MASTER)),
                None,
            )
            .unwrap();
            let (_, e) = wait(rx, |e| {
                matches!(
                    e,
                    CardEvent::CardInserted { .. } | CardEvent::CardReadFailed { .. }
                )
            });
            let CardEvent::CardInserted { timing, .. } = e else {
                panic!("read failed: {e:?}")
            };
            apdus = timing.apdus;
            total.push(micros(timing.total));
            transmit.push(micros(timing.transmit));
            connect.push(micros(timing.connect));
            ours.push(micros(
                timing
                    .total
                    .saturating_sub(timing.transmit + timing.connect),
            ));
            card.remove();
            wait(rx, |e| matches!(e, CardEvent::CardRemoved { .. }));
        }
        println!(
            "| {label} | {apdus} | {:.0} | {:.0} | {:.0} | {:.0} |",
            median(total),
            median(transmit),
            median(connect),
            median(ours)
        );
    }
}

/// The virtual card called directly: what our reading code costs with no PC/SC at all.
fn in_process() {
    struct Direct(VirtualCard);
    impl Transport for Direct {
        fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
            Ok(self.0.process(apdu))
        }
    }
    println!(
        "\n## The same reads in process (reader code + virtual card, no PC/SC), mean of 2000\n"
    );
    println!("| card | APDUs | µs per read |");
    println!("|---|---:|---:|");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    for (label, spec, read_all) in [
        ("2.00, read-all", "2.00", true),
        ("2.00, item by item", "2.00", false),
        ("3.00", "3.00", true),
    ] {
        let p = profile(spec, read_all);
        let mut module = TestSecurityModule::new(MASTER);
        let started = Instant::now();
        let mut apdus = 0;
        for _ in 0..2000 {
            let mut t = Direct(VirtualCard::new(&p, MASTER));
            let (r, stats) = read_card(&mut t, &[], Some(&mut module), today);
            r.unwrap();
            apdus = stats.apdus;
        }
        println!(
            "| {label} | {apdus} | {:.1} |",
            micros(started.elapsed()) / 2000.0
        );
    }
}

fn restart(pcscd: &mut pcscd::Pcscd, rx: &mpsc::Receiver<(Instant, CardEvent)>) {
    println!("\n## pcscd restart → ServiceUp (5 restarts)\n");
    if !pcscd.owned() {
        println!("skipped: a pcscd not started by the benchmark is running (stop it to measure)");
        return;
    }
    println!("| round | pcscd start → lists readers ms | pcscd start → ServiceUp ms |");
    println!("|---:|---:|---:|");
    for round in 1..=5 {
        pcscd.kill();
        wait(rx, |e| matches!(e, CardEvent::ServiceDown { .. }));
        let started = Instant::now();
        pcscd.start();
        let ready = started.elapsed();
        let (t, _) = wait(rx, |e| matches!(e, CardEvent::ServiceUp));
        println!(
            "| {round} | {:.0} | {:.0} |",
            ready.as_secs_f64() * 1e3,
            (t - started).as_secs_f64() * 1e3
        );
    }
}

fn main() {
    let _lock = pcscd::lock();
    let mut pcscd = pcscd::Pcscd::ensure();
    let monitor = Monitor::start(MonitorConfig {
        excluded: Vec::new(),
        readers: vec![pcscd::SLOT0.into()],
        psam_reader: None,
        security: SecurityChoice::Test(MASTER),
    });
    let rx = listen(&monitor);
    through_pcscd(&rx);
    in_process();
    restart(&mut pcscd, &rx);
}
