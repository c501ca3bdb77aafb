//! pcscd for the card tests: the one already running when it lists the vpcd readers, otherwise
//! one started here (as root, in the foreground) and stopped by its PID when the guard drops.
//! pcscd is one per machine (its socket is fixed, ssc-card.md §6), so every card test holds
//! [`lock`] (machine-wide) for its whole run.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const SLOT0: &str = "Virtual PCD 00 00";
pub const SLOT1: &str = "Virtual PCD 00 01";
const VPCD_DRIVER: &str = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";

/// Held for a whole card test. pcscd is one per machine, so the lock is too: an exclusive
/// `flock` on a file in /tmp serialises the tests of every test binary and every checkout.
pub struct MachineLock(std::fs::File);

pub fn lock() -> MachineLock {
    use std::os::fd::AsRawFd;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open("/tmp/sskiosk-pcscd-tests.lock")
        .expect("open the pcscd test lock file");
    // SAFETY: flock on a descriptor we own; blocks until no other test holds it.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock: {}", std::io::Error::last_os_error());
    MachineLock(file)
}

pub fn vpcd_address(slot: u8) -> String {
    format!("127.0.0.1:{}", 35963 + u16::from(slot))
}

pub struct Pcscd {
    child: Option<Child>,
    log: tempfile::NamedTempFile,
}

fn lists_vpcd_readers() -> bool {
    let Ok(ctx) = pcsc::Context::establish(pcsc::Scope::User) else {
        return false;
    };
    ctx.list_readers_owned()
        .map(|l| l.iter().any(|n| n.to_string_lossy() == SLOT0))
        .unwrap_or(false)
}

impl Pcscd {
    /// A pcscd with the vpcd readers, started here when none runs.
    pub fn ensure() -> Pcscd {
        let mut p = Pcscd {
            child: None,
            log: tempfile::NamedTempFile::new().expect("temp file"),
        };
        if !lists_vpcd_readers() {
            p.start();
        }
        wait_until_empty();
        p
    }

    /// Whether this guard started pcscd (and so may stop it).
    pub fn owned(&self) -> bool {
        self.child.is_some()
    }

    pub fn start(&mut self) {
        let binary = ["/usr/sbin/pcscd", "/usr/bin/pcscd"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| {
                panic!("pcscd is not installed: install the Debian package pcscd (apt-get install pcscd vsmartcard-vpcd), or run scripts/setup.sh")
            });
        assert!(
            Path::new(VPCD_DRIVER).exists(),
            "the vpcd reader driver is missing: install the Debian package vsmartcard-vpcd (apt-get install vsmartcard-vpcd)"
        );
        let log = self.log.reopen().expect("log file");
        let child = Command::new(binary)
            .args(["--foreground", "--debug", "--apdu"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start pcscd (the card tests start it as root): {e}")
            });
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while !lists_vpcd_readers() {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("pcscd exited at start ({status}): {}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "pcscd did not list the vpcd readers (\"Address already in use\" below: another \
                 connection holds a vpcd port; scripts/setup.sh reserves them): {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the pcscd this guard started (SIGKILL: as abrupt as a crash).
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

/// A card dropped by the previous test is seen gone only at pcscd's next presence poll; one
/// inserted before that would not be powered up. Wait until both slots show empty.
fn wait_until_empty() {
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("PC/SC context");
    let deadline = Instant::now() + Duration::from_secs(10);
    for reader in [SLOT0, SLOT1] {
        let name = std::ffi::CString::new(reader).unwrap();
        let mut states = [pcsc::ReaderState::new(name, pcsc::State::UNAWARE)];
        loop {
            let _ = ctx.get_status_change(Duration::from_millis(200), &mut states);
            if states[0].event_state().contains(pcsc::State::EMPTY) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{reader} holds a card that is not the tests' (sskiosk virtual-card remove?)"
            );
            states[0].sync_current_state();
        }
    }
}

/// Waits until pcscd reports a card in `reader` (for readers the monitor does not watch, such
/// as the PSAM's).
pub fn wait_present(reader: &str) {
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("PC/SC context");
    let name = std::ffi::CString::new(reader).unwrap();
    let mut states = [pcsc::ReaderState::new(name, pcsc::State::UNAWARE)];
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let _ = ctx.get_status_change(Duration::from_millis(200), &mut states);
        if states[0].event_state().contains(pcsc::State::PRESENT) {
            return;
        }
        assert!(Instant::now() < deadline, "no card appeared in {reader}");
        states[0].sync_current_state();
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        if std::thread::panicking() && self.owned() {
            let _ = std::fs::copy(self.log.path(), "/tmp/sskiosk-pcscd-failed.log");
            eprintln!("pcscd's log: /tmp/sskiosk-pcscd-failed.log");
        }
        // SIGTERM lets pcscd remove its socket and PID file; SIGKILL only if it hangs.
        if let Some(mut c) = self.child.take() {
            unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
            let deadline = Instant::now() + Duration::from_secs(5);
            while matches!(c.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
