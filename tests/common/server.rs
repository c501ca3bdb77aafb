//! `sskiosk serve` as a child process on port 0, for tests that speak HTTP to it.

use super::TestDb;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};

/// A running server, stopped by its own PID on drop (or by [`Served::stop`]).
pub struct Served {
    child: Child,
    pub base: String,
    /// The center's terminal port (`https://…`), for `sskiosk serve`.
    pub terminal_port: Option<String>,
}

impl Served {
    /// Demo data, the print worker, the nightly checks and the kiosk (which would watch pcscd's
    /// readers, shared by the whole machine) are off unless `env` turns them on.
    pub fn start_with(db: &TestDb, env: &[(&str, &str)]) -> Served {
        // `serve` does not migrate: the operator's `sskiosk migrate` comes first, as in deploy.
        let migrated = db.sskiosk(&["migrate"]);
        assert!(
            migrated.status.success(),
            "sskiosk migrate: {}",
            String::from_utf8_lossy(&migrated.stderr)
        );
        let mut command = db.command(&["serve"]);
        command
            .env("SSKIOSK__SERVER__BIND", "127.0.0.1:0")
            .env("SSKIOSK__CENTER__TERMINAL_BIND", "127.0.0.1:0")
            .env("SSKIOSK__SERVER__WORKERS", "1")
            .env("SSKIOSK__DEMO__CITIZENS_ON_EMPTY_STORE", "0")
            .env("SSKIOSK__PRINT__WORKER", "false")
            .env("SSKIOSK__CHECKS__NIGHTLY", "false")
            // The tests' certificates carry the no-stamp sentence unless a test sets a seal.
            .env("SSKIOSK__CERTIFICATE__VALID_WITHOUT_SEAL", "true");
        for (key, value) in env {
            command.env(key, value);
        }
        Served::spawn(command, "serve")
    }

    /// Starts `command` and waits for the address it prints once its listener is bound (wait
    /// on that, not on time): `sskiosk listening on URL` (serve, after its terminal port) or
    /// `sskiosk terminal listening on URL`.
    pub fn spawn(mut command: std::process::Command, what: &str) -> Served {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start sskiosk {what}: {e}"));
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut terminal_port = None;
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.strip_prefix("sskiosk terminal port on ") {
                        terminal_port = Some(url.to_string());
                    } else if let Some(url) = line
                        .strip_prefix("sskiosk listening on ")
                        .or_else(|| line.strip_prefix("sskiosk terminal listening on "))
                    {
                        break url.to_string();
                    }
                }
                _ => {
                    let mut err = String::new();
                    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
                    panic!("{what} exited before listening:\n{err}");
                }
            }
        };
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Served {
            child,
            base,
            terminal_port,
        }
    }

    /// The server's process id (e.g. to read its memory use).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn start(db: &TestDb) -> Served {
        Served::start_with(db, &[])
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let url = format!("{}{path}", self.base);
        actix_web::rt::System::new().block_on(async move {
            let client = awc::Client::default();
            let mut res = client.get(url).send().await.expect("request");
            let body = res.body().limit(8 << 20).await.expect("body");
            (
                res.status().as_u16(),
                String::from_utf8_lossy(&body).into_owned(),
            )
        })
    }

    pub fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, body) = self.get(path);
        (status, serde_json::from_str(&body).expect("JSON body"))
    }

    /// Stops the server and returns what it logged.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            let _ = stderr.read_to_string(&mut err);
        }
        err
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
