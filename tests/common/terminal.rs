//! `sskiosk terminal` as a child process, enrolled at a served center: a kiosk or window PC of
//! the tests. Its environment is built from nothing (no database URL, no key of the center
//! can leak into it), and its state folder is its own temp folder.

use super::{Served, TestDb};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A one-time enrolment code made on the center's command line.
pub fn enrol_code(db: &TestDb, name: &str, kind: &str, extra: &[&str]) -> String {
    let mut args = vec!["device", "enrol-code", "--name", name, "--kind", kind];
    args.extend_from_slice(extra);
    let out = db.sskiosk(&args);
    super::assert_status(&out, 0, "device enrol-code");
    super::stdout(&out).trim().to_string()
}

/// The binary with an empty environment but for `env` (and a log filter).
pub fn bare(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sskiosk"));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("SSKIOSK__LOG__FILTER", "warn")
        .env("SSKIOSK__TERMINAL__STATE_DIR", dir.join("state"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// `sskiosk terminal enrol` in `dir` against `center` with `code`.
pub fn enrol(center: &Served, dir: &Path, code: &str) -> std::process::Output {
    let port = center
        .terminal_port
        .as_deref()
        .expect("the center's terminal port");
    bare(
        &["terminal", "enrol", "--center", port, "--code", code],
        dir,
        &[],
    )
    .output()
    .expect("run terminal enrol")
}

/// An enrolled terminal, running.
pub struct Terminal {
    pub served: Served,
    pub dir: PathBuf,
    _scratch: Option<tempfile::TempDir>,
}

impl std::ops::Deref for Terminal {
    type Target = Served;
    fn deref(&self) -> &Served {
        &self.served
    }
}

impl Terminal {
    /// Enrols a new terminal `name` of `kind` at `center` (code from `db`'s command line) and
    /// starts it with `env` (kiosk, card and terminal keys only).
    pub fn enrolled(
        db: &TestDb,
        center: &Served,
        name: &str,
        kind: &str,
        env: &[(&str, &str)],
    ) -> Terminal {
        let scratch = tempfile::tempdir().expect("terminal folder");
        let dir = scratch.path().to_path_buf();
        let code = enrol_code(db, name, kind, &[]);
        let out = enrol(center, &dir, &code);
        super::assert_status(&out, 0, "terminal enrol");
        let served = Terminal::start_in(&dir, env);
        Terminal {
            served,
            dir,
            _scratch: Some(scratch),
        }
    }

    /// Starts a terminal whose state is already in `dir`.
    pub fn start_in(dir: &Path, env: &[(&str, &str)]) -> Served {
        let mut all = vec![
            ("SSKIOSK__TERMINAL__LISTEN", "127.0.0.1:0"),
            ("SSKIOSK__TERMINAL__HEARTBEAT_SECONDS", "1"),
            ("SSKIOSK__TERMINAL__REQUEST_TIMEOUT_MS", "2000"),
        ];
        all.extend_from_slice(env);
        Served::spawn(bare(&["terminal"], dir, &all), "terminal")
    }

    pub fn state_dir(&self) -> PathBuf {
        self.dir.join("state")
    }
}
