//! `cargo bench --bench middleware`: what the hardening middleware of issue 13 costs
//! (src/web/hardening: the per-address connection cap, Host and Origin checks, the body
//! deadline, the browser headers, and the request metrics it records).
//!
//! Two servers in this one process share one store and one `AppState`: the production server
//! (`sskiosk::web::start`, middleware and all) and, built only here, the same routes with the
//! same logger but without the middleware, its app data and its connection hook. No
//! configuration can start the second one: it exists in this file alone. wrk (a second
//! process) measures `/healthz` and the window lookup on each, interleaved over rounds (with,
//! without, with, without…) so that a busy machine's drift falls on both; the ratio is printed.
//!
//! Environment: SSKIOSK_BENCH_MIDDLEWARE_CITIZENS (default 10000; the lookup's cost does not grow
//! with the population, docs/benchmarks.md), SSKIOSK_BENCH_SECONDS (default 10 per run),
//! SSKIOSK_BENCH_ROUNDS (default 3), SSKIOSK_BENCH_CONNECTIONS (default 50).

#[path = "support/load.rs"]
mod load;

use actix_web::{web, App, HttpServer};
use load::*;
use sskiosk::web::AppState;
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cache = root.join("target/bench-cache");
    let scratch = root.join("target/bench-scratch/middleware");
    std::fs::create_dir_all(&cache).unwrap();
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    assert!(
        std::process::Command::new("wrk")
            .arg("--version")
            .output()
            .is_ok(),
        "wrk is missing: run scripts/setup.sh (Debian package wrk)"
    );
    let citizens = env_num("SSKIOSK_BENCH_MIDDLEWARE_CITIZENS", 10_000) as u32;
    let seconds = env_num("SSKIOSK_BENCH_SECONDS", 10);
    let rounds = env_num("SSKIOSK_BENCH_ROUNDS", 3);
    let connections = env_num("SSKIOSK_BENCH_CONNECTIONS", 50);
    let url = format!(
        "sqlite://{}",
        cache.join(format!("window-{citizens}.db")).display()
    );
    ensure_store(&url, citizens, &scratch);

    let state = app_state(&url, &scratch);
    let (with, without) = (bind(), bind());
    let bases = [address(&with), address(&without)];
    let serving = state.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let hardened = sskiosk::web::start(serving.clone(), with, 2)?;
            let bare = bare_server(serving, without)?;
            let (a, b) = futures_util::future::join(hardened, bare).await;
            a.and(b)
        })
    });
    for base in &bases {
        wait_until_healthy(base);
    }
    // Sessions live in the store, so one sign-in serves both servers.
    let sessions = sessions(&bases[0], connections as usize);
    let lookup = write_script(&scratch, &sessions, &url);

    println!("# The hardening middleware's cost (release build, this machine, same run)\n");
    println!(
        "{connections} connections, wrk -t2 from a second process, {seconds} s a run, {rounds} rounds \
         alternating the two servers; {citizens} demo citizens (SQLite). Lookup = session check + \
         unified record + audit append.\n"
    );
    println!("| round | endpoint | with: req/s | p50 | p99 | without: req/s | p50 | p99 | with ÷ without |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let endpoints: [(&str, Option<&Path>); 2] = [
        ("GET /healthz", None),
        ("POST /api/staff/lookup", Some(&lookup)),
    ];
    let mut totals = [[0.0f64; 2]; 2];
    for round in 1..=rounds {
        for (e, (name, script)) in endpoints.iter().enumerate() {
            let path = name.split_once(' ').unwrap().1;
            // Which server goes first alternates too: neither always meets a warmer machine.
            let order = if round % 2 == 1 { [0, 1] } else { [1, 0] };
            let mut runs: [Option<WrkResult>; 2] = [None, None];
            for s in order {
                runs[s] = Some(wrk(&bases[s], path, *script, connections, seconds));
            }
            let [Some(a), Some(b)] = runs else {
                unreachable!()
            };
            totals[e][0] += a.rps;
            totals[e][1] += b.rps;
            assert_eq!(a.errors + b.errors, 0, "{name}: errors in round {round}");
            println!(
                "| {round} | {name} | {:.0} | {} | {} | {:.0} | {} | {} | {:.3} |",
                a.rps,
                a.p50,
                a.p99,
                b.rps,
                b.p50,
                b.p99,
                a.rps / b.rps
            );
        }
    }
    println!("\n| endpoint | with ÷ without, all rounds | cost of the middleware |");
    println!("|---|---:|---:|");
    for (e, (name, _)) in endpoints.iter().enumerate() {
        let ratio = totals[e][0] / totals[e][1];
        println!("| {name} | {ratio:.3} | {:.1} % |", 100.0 * (1.0 - ratio));
    }
}

/// What `sskiosk serve` builds before it serves, from a configuration of this run's own.
fn app_state(url: &str, dir: &Path) -> web::Data<AppState> {
    let file = dir.join("bench.toml");
    std::fs::write(
        &file,
        format!(
            "[database]\nurl = \"{url}\"\n[demo]\ncitizens_on_empty_store = 0\n[print]\nworker = false\n"
        ),
    )
    .unwrap();
    // Relative paths of the configuration (the center's CA, the office key) land in scratch.
    std::env::set_current_dir(dir).unwrap();
    let config = sskiosk::config::Config::load(Some(&file)).expect("configuration");
    let pool = sskiosk::db::open_pool(&config.database.url, config.database.pool_size)
        .expect("open store");
    web::Data::new(AppState {
        certificates: std::sync::Arc::new(
            sskiosk::certificate::CertificateService::from_config(&config.certificate)
                .expect("certificate service"),
        ),
        center: sskiosk::center::Center::open(&config).expect("center"),
        device: sskiosk::devices::node::ThisNode::start(&config, pool.clone()).expect("this node"),
        pool,
        config: std::sync::Arc::new(config),
    })
}

/// The production app less the hardening middleware: the same routes, logger, fallback,
/// keep-alive and workers as `web::start`, with no rules, budgets, metrics or peer count.
fn bare_server(
    state: web::Data<AppState>,
    listener: TcpListener,
) -> std::io::Result<actix_web::dev::Server> {
    let keep_alive = Duration::from_secs(state.config.http.keep_alive_seconds);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(actix_web::middleware::Logger::new("%a \"%r\" %s %T"))
            .configure(sskiosk::web::configure)
            .default_service(web::to(sskiosk::web::error::not_found))
    })
    .keep_alive(keep_alive)
    .workers(2)
    .listen(listener)?
    .shutdown_timeout(1)
    .run())
}

fn bind() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").unwrap()
}

fn address(listener: &TcpListener) -> String {
    format!("http://{}", listener.local_addr().unwrap())
}

/// The listeners are bound already; this waits for the workers to take requests.
fn wait_until_healthy(base: &str) {
    let addr = base.trim_start_matches("http://");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(mut s) = std::net::TcpStream::connect(addr) {
            use std::io::{Read, Write};
            let _ = write!(
                s,
                "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        assert!(Instant::now() < deadline, "{base} never answered /healthz");
        std::thread::sleep(Duration::from_millis(50));
    }
}
