//! What the benchmarks share: running `sskiosk` as a measured child process, and psql.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_sskiosk");

/// Runs `sskiosk ARGS` against the store at `url`; returns its wall time, its peak resident set
/// (MiB, from the kernel's accounting of that one process, wait4) and its standard output.
pub fn measured(url: &str, args: &[&str]) -> (Duration, f64, String) {
    let out_path = std::env::temp_dir().join(format!(
        "sskiosk-bench-{}-{}.out",
        std::process::id(),
        args.join("-")
            .replace('/', "_")
            .chars()
            .take(40)
            .collect::<String>()
    ));
    let started = Instant::now();
    // Reaped by wait4 below (which also reports the peak RSS), not by Child::wait.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(BIN)
        .args(args)
        .env("SSKIOSK__DATABASE__URL", url)
        .env("SSKIOSK__LOG__FILTER", "warn")
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 reaps our own child and writes only into the two locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let took = started.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "sskiosk {args:?} failed"
    );
    let out = std::fs::read_to_string(&out_path).unwrap_or_default();
    let _ = std::fs::remove_file(&out_path);
    (took, usage.ru_maxrss as f64 / 1024.0, out)
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
