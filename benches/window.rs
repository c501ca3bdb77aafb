//! `make bench-window`: the walk-in lookup under load. 50 concurrent sessions (wrk, a second
//! process, 50 connections cycling over 50 signed-in clerk sessions) call POST /api/staff/lookup
//! for random citizens of a 100,000-citizen demo store for 30 s, then /healthz of the same
//! server in the same run is measured the same way as the trivial baseline. Each lookup reads
//! the unified record AND appends a hash-chained audit entry (every look is recorded), so the
//! audit append is part of what is measured.
//!
//! Stores are built once with `sskiosk demo-data` and kept: target/bench-cache/window-N.db and
//! the PostgreSQL database sskiosk_bench_window_N (reused when it has N persons).
//!
//! Environment: SSKIOSK_BENCH_POSTGRES_URL (or SSKIOSK_TEST_POSTGRES_URL) adds PostgreSQL;
//! SSKIOSK_BENCH_WINDOW_CITIZENS (default 100000), SSKIOSK_BENCH_SECONDS (default 30),
//! SSKIOSK_BENCH_CONNECTIONS (default 50).

#[path = "support/load.rs"]
mod load;

use diesel::prelude::*;
use load::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cache = root.join("target/bench-cache");
    let scratch = root.join("target/bench-scratch/window");
    std::fs::create_dir_all(&cache).unwrap();
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    assert!(
        Command::new("wrk").arg("--version").output().is_ok(),
        "wrk is missing: run scripts/setup.sh (Debian package wrk)"
    );
    let citizens = env_num("SSKIOSK_BENCH_WINDOW_CITIZENS", 100_000) as u32;
    let seconds = env_num("SSKIOSK_BENCH_SECONDS", 30);
    let connections = env_num("SSKIOSK_BENCH_CONNECTIONS", 50);
    let pg_server = std::env::var("SSKIOSK_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("SSKIOSK_TEST_POSTGRES_URL"))
        .ok();

    let mut stores = vec![(
        "SQLite",
        format!(
            "sqlite://{}",
            cache.join(format!("window-{citizens}.db")).display()
        ),
    )];
    if let Some(server) = &pg_server {
        stores.push(("PostgreSQL", postgres_store(server, citizens)));
    }

    println!("# Window lookup under load (release build, this machine, same run)\n");
    println!(
        "{connections} connections over {connections} clerk sessions, {seconds} s each, wrk -t2 from a second process; \
         {citizens} demo citizens. Each lookup = unified record + audit append.\n"
    );
    println!("| backend | endpoint | requests/s | p50 | p99 | errors | ratio to /healthz |");
    println!("|---|---|---|---|---|---|---|");
    for (label, url) in &stores {
        ensure_store(url, citizens, &scratch);
        let server = Server::start(url, &scratch);
        let sessions = sessions(&server.base, connections as usize);
        let script = write_script(&scratch, &sessions, url);
        let lookup = wrk(
            &server.base,
            "/api/staff/lookup",
            Some(&script),
            connections,
            seconds,
        );
        // The guard alone (session check, no audit append): splits the lookup's cost.
        let session_script = write_session_script(&scratch, &sessions);
        let session = wrk(
            &server.base,
            "/api/staff/session",
            Some(&session_script),
            connections,
            seconds,
        );
        let health = wrk(&server.base, "/healthz", None, connections, seconds);
        for (name, r) in [
            ("POST /api/staff/lookup", &lookup),
            ("GET /api/staff/session", &session),
            ("GET /healthz", &health),
        ] {
            println!(
                "| {label} | {name} | {:.0} | {} | {} | {} | {:.3} |",
                r.rps,
                r.p50,
                r.p99,
                r.errors,
                r.rps / health.rps
            );
        }
        drop(server);
        let audited = audit_entries(url);
        eprintln!("{label}: audit log holds {audited} entries; chain check:");
        let out = sskiosk(url, &scratch, &["audit", "verify"]);
        eprintln!("  {}", String::from_utf8_lossy(&out.stdout).trim());
        assert!(
            out.status.success(),
            "the chain must stay intact under load"
        );
    }
}

fn postgres_store(server: &str, citizens: u32) -> String {
    let name = format!("sskiosk_bench_window_{citizens}");
    let mut admin = diesel::PgConnection::establish(server).expect("PostgreSQL");
    let exists: i64 = diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM pg_database WHERE datname = '{name}'"
    ))
    .get_result::<Count>(&mut admin)
    .map(|c| c.n)
    .unwrap_or(0);
    if exists == 0 {
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap();
    }
    let (base, _) = server.rsplit_once('/').expect("postgres://…/db");
    format!("{base}/{name}")
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(url: &str, dir: &Path) -> Server {
        let mut child = Command::new(BIN)
            .arg("serve")
            .current_dir(dir)
            .env_remove("SSKIOSK_CONFIG")
            .env("SSKIOSK__DATABASE__URL", url)
            .env("SSKIOSK__LOG__FILTER", "warn")
            .env("SSKIOSK__SERVER__BIND", "127.0.0.1:0")
            .env("SSKIOSK__DEMO__CITIZENS_ON_EMPTY_STORE", "0")
            .env("SSKIOSK__PRINT__WORKER", "false")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sskiosk serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines.next().expect("serve printed its address").unwrap();
            if let Some(url) = line.strip_prefix("sskiosk listening on ") {
                break url.to_string();
            }
        };
        Server { child, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
