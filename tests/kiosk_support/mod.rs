//! Helpers of the kiosk tests: a served kiosk watching the vpcd readers of the real pcscd, cards
//! built from the store and inserted from this process, and HTTP calls with a session token.
#![allow(dead_code)]

use crate::common::terminal::Terminal;
use crate::common::*;
use crate::pcscd::{self, Pcscd};
use serde_json::Value;
use sskiosk::card::virtual_card::vpcd::InsertedCard;
use sskiosk::card::virtual_card::{CardProfile, VirtualCard};
use std::time::{Duration, Instant};

/// The default `card.test_master_key`.
pub const MASTER: [u8; 16] = *b"SSKIOSK-TEST-KEY";
/// Fixture citizens (tests/fixtures/persons.csv, cards.csv).
pub const LI: &str = "440305198503150016";
pub const WANG: &str = "11010519491231002X";
pub const CHEN: &str = "310115199007040026";

/// pcscd (held for the whole test) and a store with the fixture exports.
/// Fields drop in order: pcscd is stopped before the machine lock is released.
pub struct Bench {
    pub pcscd: Pcscd,
    pub _lock: pcscd::MachineLock,
}

impl Bench {
    pub fn new() -> Bench {
        let lock = pcscd::lock();
        let pcscd = Pcscd::ensure();
        Bench { pcscd, _lock: lock }
    }
}

/// A center serving `db` and one kiosk terminal enrolled there, watching `readers` (substrings
/// of vpcd reader names); derefs to the terminal, whose address the kiosk's browser uses.
/// `env` goes to both: the kiosk and print keys matter to the center, the kiosk and card keys
/// to the terminal (which gets nothing else).
pub struct Hall {
    pub terminal: Terminal,
    pub center: Served,
    /// The terminal's enrolled name (its row in `devices` and `terminals`).
    pub name: String,
}

impl std::ops::Deref for Hall {
    type Target = Served;
    fn deref(&self) -> &Served {
        &self.terminal
    }
}

pub fn serve(db: &TestDb, readers: &str, env: &[(&str, &str)]) -> Hall {
    let hall = serve_unchecked(db, readers, env);
    wait_state(&hall, "the reader to be watched", |v| {
        v["screen"] == "ready" || v["screen"] == "no_reader"
    });
    hall
}

/// [`serve`] without waiting for the screen (e.g. a kiosk this test's client may not call).
pub fn serve_unchecked(db: &TestDb, readers: &str, env: &[(&str, &str)]) -> Hall {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let name = format!("kiosk-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    serve_as(db, &name, readers, env)
}

/// [`serve_unchecked`] with the terminal enrolled as `name`.
pub fn serve_as(db: &TestDb, name: &str, readers: &str, env: &[(&str, &str)]) -> Hall {
    let name = name.to_string();
    let center = Served::start_with(db, env);
    let list = format!("[\"{readers}\"]");
    let mut terminal_env = vec![("SSKIOSK__CARD__READERS", list.as_str())];
    terminal_env
        .extend(env.iter().filter(|(k, _)| {
            k.starts_with("SSKIOSK__KIOSK__") || k.starts_with("SSKIOSK__CARD__")
        }));
    let terminal = Terminal::enrolled(db, &center, &name, "kiosk", &terminal_env);
    Hall {
        terminal,
        center,
        name,
    }
}

/// The card of `ssn` as the store has it, valid ten more years (fixture cards may be past
/// their date by now).
pub fn card_of(db: &TestDb, ssn: &str) -> CardProfile {
    let mut conn = db.pool().get().unwrap();
    let id = sskiosk::domain::CitizenId::parse(ssn).unwrap();
    let record = sskiosk::record::unified_record(&mut conn, &id)
        .unwrap()
        .expect("fixture person");
    let mut p = CardProfile::from_record(&record).unwrap();
    p.expires_on = chrono::Utc::now().date_naive() + chrono::Duration::days(3650);
    p
}

pub fn fixture_card(name: &str) -> CardProfile {
    CardProfile::load(&fixture(&format!("cards/{name}"))).unwrap()
}

pub fn insert(slot: u8, p: &CardProfile) -> InsertedCard {
    InsertedCard::insert(
        &pcscd::vpcd_address(slot),
        Box::new(VirtualCard::new(p, MASTER)),
        p.variant.drop_after_apdus,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Polls the kiosk's snapshot until `want` accepts it. The bound only keeps a broken build from
/// hanging; it is not what the tests check.
pub fn wait_state(s: &Served, what: &str, want: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = Value::Null;
    loop {
        let (status, body) = s.get("/api/kiosk/state");
        if status == 200 {
            last = serde_json::from_str(&body).unwrap();
            if want(&last) {
                return last;
            }
        }
        assert!(
            Instant::now() < deadline,
            "waited for {what}; last state: {last}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The demo cards' PIN.
pub const PIN: &str = "123456";

/// Waits for the card's PIN pad, enters the right PIN, and returns the session's token.
pub fn session_token(s: &Served) -> String {
    wait_state(s, "the PIN pad", |v| v["screen"] == "pin");
    let (status, answer) = call(
        s,
        "POST",
        "/api/kiosk/pin",
        None,
        Some(serde_json::json!({"pin": PIN})),
    );
    assert_eq!(
        (status, &answer["outcome"]),
        (200, &serde_json::json!("verified")),
        "{answer}"
    );
    token_from_events(s)
}

/// The open session's token, as the screen gets it: from the event stream (the snapshot of
/// `/api/kiosk/state` never carries it).
pub fn token_from_events(s: &Served) -> String {
    let url = format!("{}/api/kiosk/events", s.base);
    actix_web::rt::System::new().block_on(async move {
        use futures_util::StreamExt;
        let work = async {
            let mut res = awc::Client::default()
                .get(url)
                .send()
                .await
                .expect("event stream");
            let mut buffer = String::new();
            while let Some(Ok(chunk)) = res.next().await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let frame: String = buffer.drain(..end + 2).collect();
                    let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data: ")) else {
                        continue;
                    };
                    let v: Value = serde_json::from_str(data).unwrap();
                    if v["screen"] == "session" {
                        return v["token"]
                            .as_str()
                            .expect("a token in the stream")
                            .to_string();
                    }
                }
            }
            panic!("the event stream ended without a session");
        };
        tokio::time::timeout(Duration::from_secs(20), work)
            .await
            .expect("no session in the event stream within 20 s")
    })
}

/// `METHOD base+path` with an optional bearer token and JSON body: (status, JSON or Null).
pub fn call(
    s: &Served,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let (status, bytes) = call_raw(&s.base, method, path, token, body);
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

pub fn call_raw(
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Vec<u8>) {
    let url = format!("{base}{path}");
    let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
    let token = token.map(|t| format!("Bearer {t}"));
    actix_web::rt::System::new().block_on(async move {
        let client = awc::Client::default();
        let mut req = client.request(method, url);
        if let Some(t) = token {
            req = req.insert_header(("Authorization", t));
        }
        let mut res = match body {
            Some(b) => req.send_json(&b).await,
            None => req.send().await,
        }
        .expect("request");
        let bytes = res.body().limit(16 << 20).await.expect("body");
        (res.status().as_u16(), bytes.to_vec())
    })
}

pub fn get(s: &Served, path: &str, token: &str) -> (u16, Value) {
    call(s, "GET", path, Some(token), None)
}

/// Asserts the stable error shape with `code`.
pub fn assert_error(got: &(u16, Value), status: u16, code: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["error"]["code"], code, "{}", got.1);
    assert!(
        got.1["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        got.1
    );
}

/// Runs `node tests/browser/<script>` like `common::browser::run_script`, and answers its
/// requests: a line `@@ ACTION ARG…` on its stdout is passed to `handle`, whose answer goes back
/// as one line on its stdin. This is how a script asks the test for the real parts it does not
/// own (insert or remove a card, stop pcscd, count the printer's jobs). Other lines are echoed.
pub fn run_kiosk_script(
    script: &str,
    env: &[(&str, String)],
    mut handle: impl FnMut(&str, &[&str]) -> String,
) {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    browser::require_browser();
    let mut command = Command::new("node");
    command
        .arg(browser::browser_dir().join(script))
        .current_dir(browser::browser_dir())
        .env("CHROMIUM", "/usr/bin/chromium")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("start node");
    let mut stdin = child.stdin.take().unwrap();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.expect("script output");
        match line.strip_prefix("@@ ") {
            Some(request) => {
                let words: Vec<&str> = request.split_whitespace().collect();
                println!("[{script}] asks: {request}");
                let answer = handle(words[0], &words[1..]);
                writeln!(stdin, "{answer}").expect("answer the script");
            }
            None => println!("[{script}] {line}"),
        }
    }
    let status = child.wait().expect("wait for node");
    assert!(
        status.success(),
        "{script} failed ({status}); see its output above"
    );
}

/// The first vpcd reader, where the kiosk tests insert cards.
pub const SLOT0: &str = "Virtual PCD 00 00";

/// The audit entries about `ssn`, newest first.
pub fn audit_of(db: &TestDb, ssn: &str) -> Vec<sskiosk::audit::Entry> {
    let mut conn = db.pool().get().unwrap();
    sskiosk::audit::search(
        &mut conn,
        &sskiosk::audit::Filter {
            subject_ssn: Some(ssn.into()),
            limit: 500,
            ..Default::default()
        },
    )
    .unwrap()
}
