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

use diesel::prelude::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_sskiosk");
const PASSWORD: &str = "bench-clerk-password";

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

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
        let sessions = server.sessions(connections as usize);
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

fn sskiosk(url: &str, dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("SSKIOSK_CONFIG")
        .env("SSKIOSK__DATABASE__URL", url)
        .env("SSKIOSK__LOG__FILTER", "warn")
        .output()
        .expect("run sskiosk")
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

#[derive(QueryableByName)]
struct Ssn {
    #[diesel(sql_type = diesel::sql_types::Text)]
    ssn: String,
}

/// Random citizens of the store (both dialects spell it random()).
fn sample_ssns(url: &str, n: usize) -> Vec<String> {
    let pool = sskiosk::db::open_pool(url, 1).expect("open store");
    let mut conn = pool.get().unwrap();
    diesel::sql_query(format!(
        "SELECT ssn FROM persons ORDER BY random() LIMIT {n}"
    ))
    .load::<Ssn>(&mut *conn)
    .unwrap()
    .into_iter()
    .map(|r| r.ssn)
    .collect()
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn persons(url: &str) -> i64 {
    let pool = sskiosk::db::open_pool(url, 1).expect("open store");
    let mut conn = pool.get().unwrap();
    diesel::sql_query("SELECT COUNT(*) AS n FROM persons")
        .get_result::<Count>(&mut *conn)
        .unwrap()
        .n
}

fn audit_entries(url: &str) -> i64 {
    let pool = sskiosk::db::open_pool(url, 1).expect("open store");
    let mut conn = pool.get().unwrap();
    diesel::sql_query("SELECT COUNT(*) AS n FROM audit_log")
        .get_result::<Count>(&mut *conn)
        .unwrap()
        .n
}

/// Builds the demo store once (it is kept between runs) and the clerk account.
fn ensure_store(url: &str, citizens: u32, dir: &Path) {
    let have = persons(url);
    if have != citizens as i64 {
        assert_eq!(
            have, 0,
            "{url} holds {have} persons, not {citizens}: delete it"
        );
        eprintln!("building the {citizens}-citizen store at {url} (once; kept for later runs)…");
        let t = std::time::Instant::now();
        let out = sskiosk(
            url,
            dir,
            &["demo-data", "--citizens", &citizens.to_string()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("  built in {:.0} s", t.elapsed().as_secs_f64());
    }
    let mut add = Command::new(BIN)
        .args(["staff", "add", "--username", "bench", "--role", "clerk"])
        .current_dir(dir)
        .env("SSKIOSK__DATABASE__URL", url)
        .env("SSKIOSK__LOG__FILTER", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    // Exit 2 "taken" on a reused store is fine.
    let _ = add.wait();
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

    /// Signs the clerk in `n` times: (cookie, csrf token) of each session.
    fn sessions(&self, n: usize) -> Vec<(String, String)> {
        let addr = self.base.trim_start_matches("http://").to_string();
        (0..n)
            .map(|_| {
                let body = format!(r#"{{"username":"bench","password":"{PASSWORD}"}}"#);
                let mut s = std::net::TcpStream::connect(&addr).unwrap();
                write!(
                    s,
                    "POST /api/staff/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
                .unwrap();
                let mut answer = String::new();
                s.read_to_string(&mut answer).unwrap();
                let cookie = answer
                    .lines()
                    .find_map(|l| l.strip_prefix("set-cookie: "))
                    .and_then(|c| c.split(';').next())
                    .unwrap_or_else(|| panic!("login failed: {answer}"))
                    .to_string();
                let csrf = answer
                    .split("\"csrf_token\":\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .expect("csrf token")
                    .to_string();
                (cookie, csrf)
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The wrk script: each request takes the next session and a random citizen of the store.
fn write_script(dir: &Path, sessions: &[(String, String)], url: &str) -> PathBuf {
    let sample = sample_ssns(url, 5_000);
    let lua_list = |items: Vec<String>| items.join(",\n");
    let sessions_lua = lua_list(
        sessions
            .iter()
            .map(|(c, t)| format!("{{\"{c}\", \"{t}\"}}"))
            .collect(),
    );
    let ssns_lua = lua_list(sample.iter().map(|s| format!("\"{s}\"")).collect());
    let script = format!(
        r#"-- generated by benches/window.rs
local sessions = {{
{sessions_lua}
}}
local ssns = {{
{ssns_lua}
}}
local n = 0
math.randomseed(7)
request = function()
  n = n + 1
  local s = sessions[(n % #sessions) + 1]
  local body = '{{"purpose":"citizen_request","ssn":"' .. ssns[math.random(#ssns)] .. '"}}'
  return wrk.format("POST", "/api/staff/lookup",
    {{["Cookie"] = s[1], ["X-CSRF-Token"] = s[2], ["Content-Type"] = "application/json"}}, body)
end
"#
    );
    let path = dir.join("lookup.lua");
    std::fs::write(&path, script).unwrap();
    path
}

/// Each request takes the next session: GET /api/staff/session (the guard's work only).
fn write_session_script(dir: &Path, sessions: &[(String, String)]) -> PathBuf {
    let list: Vec<String> = sessions.iter().map(|(c, _)| format!("\"{c}\"")).collect();
    let script = format!(
        "-- generated by benches/window.rs\nlocal cookies = {{\n{}\n}}\nlocal n = 0\nrequest = function()\n  n = n + 1\n  return wrk.format(\"GET\", \"/api/staff/session\", {{[\"Cookie\"] = cookies[(n % #cookies) + 1]}})\nend\n",
        list.join(",\n")
    );
    let path = dir.join("session.lua");
    std::fs::write(&path, script).unwrap();
    path
}

struct WrkResult {
    rps: f64,
    p50: String,
    p99: String,
    errors: u64,
}

fn wrk(base: &str, path: &str, script: Option<&Path>, connections: u64, seconds: u64) -> WrkResult {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    if let Some(s) = script {
        cmd.arg("-s").arg(s);
    }
    let out = cmd.arg(format!("{base}{path}")).output().expect("run wrk");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "wrk failed: {text}");
    let field = |prefix: &str| -> Option<String> {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix).map(|v| v.trim().to_string()))
    };
    let count_after = |prefix: &str| -> u64 {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(|rest| {
                rest.split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<u64>().ok())
                    .sum()
            })
            .unwrap_or(0)
    };
    WrkResult {
        rps: field("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no Requests/sec in wrk output:\n{text}")),
        p50: field("50%").unwrap_or_default(),
        p99: field("99%").unwrap_or_default(),
        errors: count_after("Non-2xx or 3xx responses:") + count_after("Socket errors:"),
    }
}
