//! One background process per vpcd slot, so that `sskiosk virtual-card insert` can return while
//! the card stays in the reader: the command re-runs itself as the hidden `virtual-card serve`,
//! which holds the vpcd connection and records its PID in a file per slot; `remove` ends that PID.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The line `serve` prints once vpcd has asked for the ATR: pcscd now sees the card.
pub const READY: &str = "card inserted";

#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("slot {0} already holds a virtual card (PID {1}); remove it first")]
    Occupied(u8, i32),
    #[error("no virtual card in slot {0}")]
    Empty(u8),
    #[error("the virtual card could not be inserted: {0}")]
    Failed(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

/// `$XDG_RUNTIME_DIR/sskiosk-vcard-<slot>.pid`, else under /tmp.
pub fn pid_file(slot: u8) -> PathBuf {
    let dir = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    dir.join(format!("sskiosk-vcard-{slot}.pid"))
}

/// Whether `pid` runs: a zombie (ended, not yet reaped by its parent) does not count.
fn alive(pid: i32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // Field 3, after the parenthesised command name, is the state.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next());
    pid > 0 && !matches!(state, Some('Z') | Some('X') | None)
}

/// The PID serving `slot`, if that process still runs (a stale file is ignored).
pub fn running(slot: u8) -> Option<i32> {
    let text = std::fs::read_to_string(pid_file(slot)).ok()?;
    let pid: i32 = text.trim().parse().ok()?;
    alive(pid).then_some(pid)
}

pub fn write_pid(slot: u8) -> Result<(), ProcessError> {
    let path = pid_file(slot);
    std::fs::write(&path, format!("{}\n", std::process::id()))
        .map_err(|e| ProcessError::Io(path.display().to_string(), e))
}

/// Starts `serve_args` (the hidden serve command) detached in its own process group and waits
/// until it reports the card in the reader, or fails with what it printed.
pub fn spawn_detached(slot: u8, serve_args: &[String], log: &Path) -> Result<i32, ProcessError> {
    use std::os::unix::process::CommandExt;
    if let Some(pid) = running(slot) {
        return Err(ProcessError::Occupied(slot, pid));
    }
    let io = |e| ProcessError::Io("starting the virtual card".into(), e);
    let exe = std::env::current_exe().map_err(io)?;
    let log_file =
        std::fs::File::create(log).map_err(|e| ProcessError::Io(log.display().to_string(), e))?;
    let mut child = Command::new(exe)
        .args(serve_args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log_file)
        .process_group(0)
        .spawn()
        .map_err(io)?;
    let pid = child.id() as i32;
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    // pcscd polls presence about every 400 ms (ssc-card.md §6): a few seconds is plenty.
    let deadline = Instant::now() + Duration::from_secs(10);
    let line = rx.recv_timeout(deadline.saturating_duration_since(Instant::now()));
    if matches!(&line, Ok(l) if l.trim() == READY) {
        return Ok(pid);
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut reason = String::new();
    let _ = std::fs::File::open(log).and_then(|mut f| f.read_to_string(&mut reason));
    let reason = reason.trim().trim_start_matches("error: ").to_string();
    Err(ProcessError::Failed(if reason.is_empty() {
        "vpcd did not ask for the card's ATR within 10 s: is pcscd running?".into()
    } else {
        reason
    }))
}

/// Ends the process serving `slot` (its connection closes: the card leaves the reader) and
/// waits until it is gone.
pub fn remove(slot: u8) -> Result<i32, ProcessError> {
    let path = pid_file(slot);
    let Some(pid) = running(slot) else {
        let _ = std::fs::remove_file(&path);
        return Err(ProcessError::Empty(slot));
    };
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(pid) && Instant::now() < deadline {
        // Our own child only when insert and remove run in one process (tests): reap it.
        unsafe { libc::waitpid(pid, std::ptr::null_mut(), libc::WNOHANG) };
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = std::fs::remove_file(&path);
    Ok(pid)
}
