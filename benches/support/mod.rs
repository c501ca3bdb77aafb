//! What the benchmarks share: running `sskiosk` as a measured child process, and psql.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_sskiosk");

/// Runs `sskiosk ARGS` against the store at `url`; returns its wall time, its peak resident set
/// (MiB) and its standard output. The peak comes from GNU time (`/usr/bin/time -f %M`), which
/// forks sskiosk from its own small process: the kernel's figure for a child spawned straight
/// from the benchmark would include the benchmark's own memory at the fork, kept across exec.
pub fn measured(url: &str, args: &[&str]) -> (Duration, f64, String) {
    let dir = tempfile::tempdir().unwrap();
    let (out_path, rss_path) = (dir.path().join("stdout"), dir.path().join("rss"));
    let started = Instant::now();
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&rss_path)
        .arg(BIN)
        .args(args)
        .env("SSKIOSK__DATABASE__URL", url)
        .env("SSKIOSK__LOG__FILTER", "warn")
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(Stdio::inherit())
        .status()
        .expect("GNU time (apt-get install time)");
    let took = started.elapsed();
    assert!(status.success(), "sskiosk {args:?} failed");
    let kib: f64 = std::fs::read_to_string(&rss_path)
        .unwrap_or_default()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0.0);
    let out = std::fs::read_to_string(&out_path).unwrap_or_default();
    (took, kib / 1024.0, out)
}

pub fn psql(url: &str, command: &str) {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", command])
        .output()
        .expect("psql (apt-get install postgresql-client)");
    assert!(
        out.status.success(),
        "psql {command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
