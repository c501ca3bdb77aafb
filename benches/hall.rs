//! `cargo bench --bench hall`: queue tickets and calls under load. 20 kiosk threads issue
//! tickets as fast as they can while 30 window threads call, start and finish them, each thread
//! a node of its own (its own connection) on one store, for SSKIOSK_BENCH_SECONDS (default 10)
//! per backend. Prints tickets/s, calls/s, the call's latency p50/p99, errors and duplicate
//! numbers. PostgreSQL is included when SSKIOSK_BENCH_POSTGRES_URL or SSKIOSK_TEST_POSTGRES_URL
//! is set (a database of its own, dropped afterwards).

use diesel::connection::SimpleConnection;
use diesel::Connection;
use sskiosk::hall::calling::{self, Action, Clerk};
use sskiosk::hall::ticket::{issue, Request};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const KIOSKS: usize = 20;
const WINDOWS: usize = 30;

struct Figures {
    tickets: Vec<String>,
    calls: Vec<Duration>,
    errors: u64,
}

fn run(url: &str, seconds: u64) -> Figures {
    let setup = sskiosk::db::open_pool(url, 1).expect("store");
    let mut config = sskiosk::config::Config::load(None).unwrap().hall;
    config.windows = (1..=WINDOWS).map(|w| w.to_string()).collect();
    let mut catalogue =
        sskiosk::hall::catalogue::store::current(&mut setup.get().unwrap(), &config.windows)
            .unwrap();
    // One item served by every window: all 30 windows compete for one queue.
    catalogue.items.truncate(1);
    catalogue.items[0].windows = config.windows.clone();
    let code = catalogue.items[0].code.clone();
    let stop = AtomicBool::new(false);
    let errors = AtomicU64::new(0);
    let tickets = Mutex::new(Vec::new());
    let calls = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..KIOSKS {
            let pool = sskiosk::db::open_pool(url, 1).unwrap();
            let (config, catalogue, code) = (&config, &catalogue, &code);
            let (stop, errors, tickets) = (&stop, &errors, &tickets);
            s.spawn(move || {
                let mut conn = pool.get().unwrap();
                let request = Request {
                    item_code: code,
                    citizen: None,
                    consent: false,
                    green_channel: false,
                    issued_by: "bench:kiosk",
                };
                while !stop.load(Ordering::Relaxed) {
                    match issue(&mut conn, config, catalogue, &request, sskiosk::hall::now()) {
                        Ok(t) => tickets.lock().unwrap().push(t.number),
                        Err(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
        for w in 1..=WINDOWS {
            let pool = sskiosk::db::open_pool(url, 1).unwrap();
            let (config, catalogue) = (&config, &catalogue);
            let (stop, errors, calls) = (&stop, &errors, &calls);
            s.spawn(move || {
                let mut conn = pool.get().unwrap();
                let clerk = Clerk {
                    username: format!("clerk{w}"),
                    window: w.to_string(),
                };
                while !stop.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    match calling::call(
                        &mut conn,
                        config,
                        catalogue,
                        &clerk,
                        None,
                        sskiosk::hall::now(),
                    ) {
                        Ok(t) => {
                            calls.lock().unwrap().push(started.elapsed());
                            for action in [Action::Start, Action::Finish] {
                                if calling::act(
                                    &mut conn,
                                    config,
                                    &clerk,
                                    t.id,
                                    action,
                                    sskiosk::hall::now(),
                                )
                                .is_err()
                                {
                                    errors.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                        }
                        // Nobody waiting: not an error, the kiosks are behind.
                        Err(sskiosk::hall::HallError::Refused(_)) => {
                            std::thread::sleep(Duration::from_millis(5))
                        }
                        Err(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
        std::thread::sleep(Duration::from_secs(seconds));
        stop.store(true, Ordering::Relaxed);
    });
    Figures {
        tickets: tickets.into_inner().unwrap(),
        calls: calls.into_inner().unwrap(),
        errors: errors.into_inner(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let seconds: u64 = std::env::var("SSKIOSK_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let scratch = tempfile::tempdir().unwrap();
    let mut stores = vec![(
        "SQLite".to_string(),
        format!("sqlite://{}", scratch.path().join("hall.db").display()),
        None,
    )];
    let server = std::env::var("SSKIOSK_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("SSKIOSK_TEST_POSTGRES_URL"))
        .ok();
    if let Some(server) = &server {
        let name = format!("sskiosk_bench_hall_{}", std::process::id());
        let mut admin = diesel::PgConnection::establish(server).expect("PostgreSQL");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let root = server.rsplit_once('/').map(|(r, _)| r).unwrap_or(server);
        stores.push(("PostgreSQL".into(), format!("{root}/{name}"), Some(name)));
    }
    let build = if cfg!(debug_assertions) {
        "debug build: `cargo test --bench hall`"
    } else {
        "release build"
    };
    println!("# Queue tickets and calls under load ({build}, this machine)\n");
    println!("{KIOSKS} kiosk threads issuing, {WINDOWS} window threads calling → start → finish, {seconds} s each, one connection per thread.\n");
    println!("| store | tickets | tickets/s | calls | call p50 ms | call p99 ms | errors | duplicate numbers |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (label, url, _) in &stores {
        let mut f = run(url, seconds);
        f.calls.sort();
        let mut numbers = f.tickets.clone();
        numbers.sort();
        numbers.dedup();
        println!(
            "| {label} | {} | {:.0} | {} | {:.1} | {:.1} | {} | {} |",
            f.tickets.len(),
            f.tickets.len() as f64 / seconds as f64,
            f.calls.len(),
            percentile(&f.calls, 0.50),
            percentile(&f.calls, 0.99),
            f.errors,
            f.tickets.len() - numbers.len()
        );
    }
    if let (Some(server), Some((_, _, Some(name)))) = (&server, stores.last()) {
        if let Ok(mut admin) = diesel::PgConnection::establish(server) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
