//! Helpers of the staff and window tests: accounts created through the real `sskiosk staff
//! add` (password on stdin), and an HTTP client that keeps the session cookie and the CSRF
//! token the way the browser does.
#![allow(dead_code)]

use crate::common::*;
use serde_json::{json, Value};
use std::io::Write;
use std::process::Stdio;

pub const LI: &str = "440305198503150016";
pub const LI_CARD: &str = "A12345678";
pub const WANG: &str = "11010519491231002X";
/// Every test account's password (the policy's 12 characters and more).
pub const PASSWORD: &str = "window-test-pass-1";

/// `sskiosk ARGS` with `password` on standard input (how every staff command takes one).
pub fn with_password(db: &TestDb, args: &[&str], password: &str) -> std::process::Output {
    let mut child = db
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sskiosk");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `sskiosk staff add` with the password on standard input; returns the process output.
pub fn add_staff_with(
    db: &TestDb,
    username: &str,
    role: &str,
    password: &str,
) -> std::process::Output {
    add_staff_at(db, username, role, password, "3")
}

/// `staff add` of an account of window `window`, with `password` on standard input.
fn add_staff_at(
    db: &TestDb,
    username: &str,
    role: &str,
    password: &str,
    window: &str,
) -> std::process::Output {
    with_password(
        db,
        &[
            "staff",
            "add",
            "--username",
            username,
            "--role",
            role,
            "--window",
            window,
        ],
        password,
    )
}

/// The stored password hash and temporary-password flag of an account.
pub fn stored_password(db: &TestDb, username: &str) -> (String, bool) {
    use diesel::prelude::*;
    use sskiosk::db::schema::staff;
    let mut conn = db.pool().get().unwrap();
    staff::table
        .filter(staff::username.eq(username))
        .select((staff::password_hash, staff::must_change_password))
        .first(&mut *conn)
        .unwrap()
}

/// An account of window `window`.
pub fn add_staff_window(db: &TestDb, username: &str, role: &str, window: &str) {
    let out = add_staff_at(db, username, role, PASSWORD, window);
    assert_status(&out, 0, "staff add");
}

pub fn add_staff(db: &TestDb, username: &str, role: &str) {
    let out = add_staff_with(db, username, role, PASSWORD);
    assert_status(&out, 0, "staff add");
}

/// clerk `clara`, supervisor `sam`, admin `ada`.
pub fn add_the_three(db: &TestDb) {
    add_staff(db, "clara", "clerk");
    add_staff(db, "sam", "supervisor");
    add_staff(db, "ada", "admin");
}

/// One browser-like client: a cookie and a CSRF token.
#[derive(Clone, Default)]
pub struct Client {
    pub base: String,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
}

impl Client {
    pub fn anonymous(base: &str) -> Client {
        Client {
            base: base.to_string(),
            ..Client::default()
        }
    }

    /// Signs in; panics unless it succeeds.
    pub fn login(base: &str, username: &str) -> Client {
        let mut c = Client::anonymous(base);
        let (status, body) = c.try_login(username, PASSWORD);
        assert_eq!(status, 200, "login {username}: {body}");
        c
    }

    pub fn try_login(&mut self, username: &str, password: &str) -> (u16, Value) {
        let (status, body, set_cookie) = self.send(
            "POST",
            "/api/staff/login",
            Some(json!({"username": username, "password": password})),
        );
        if status == 200 {
            let cookie = set_cookie.expect("login sets a cookie");
            self.cookie = Some(cookie);
            self.csrf = body["csrf_token"].as_str().map(str::to_string);
        }
        (status, body)
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        let (s, b, _) = self.send("GET", path, None);
        (s, b)
    }

    pub fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let (s, b, _) = self.send("POST", path, Some(body));
        (s, b)
    }

    /// A request as sent; the third value is the `name=value` of a Set-Cookie, if any.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value, Option<String>) {
        let url = format!("{}{path}", self.base);
        let method = awc::http::Method::from_bytes(method.as_bytes()).unwrap();
        let cookie = self.cookie.clone();
        let csrf = self.csrf.clone();
        actix_web::rt::System::new().block_on(async move {
            let client = awc::Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                .finish();
            let mut req = client.request(method, url);
            if let Some(c) = cookie {
                req = req.insert_header(("Cookie", c));
            }
            if let Some(t) = csrf {
                req = req.insert_header(("X-CSRF-Token", t));
            }
            let mut res = match body {
                Some(b) => req.send_json(&b).await,
                None => req.send().await,
            }
            .expect("request");
            let set_cookie = res
                .headers()
                .get("set-cookie")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split(';').next().unwrap_or("").to_string());
            let bytes = res.body().limit(16 << 20).await.expect("body");
            let value = if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&bytes)
                    .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
            };
            (res.status().as_u16(), value, set_cookie)
        })
    }

    /// The raw Set-Cookie header of a login, for its attributes.
    pub fn login_cookie_header(base: &str, username: &str) -> String {
        let url = format!("{base}/api/staff/login");
        let username = username.to_string();
        actix_web::rt::System::new().block_on(async move {
            let res = awc::Client::default()
                .post(url)
                .send_json(&json!({"username": username, "password": PASSWORD}))
                .await
                .expect("request");
            res.headers()
                .get("set-cookie")
                .expect("a cookie")
                .to_str()
                .unwrap()
                .to_string()
        })
    }
}

/// Entries of the audit log through the library (newest first).
pub fn audit(db: &TestDb, action: &str) -> Vec<sskiosk::audit::Entry> {
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    sskiosk::audit::search(
        &mut conn,
        &sskiosk::audit::Filter {
            action: Some(action.to_string()),
            limit: 500,
            ..Default::default()
        },
    )
    .unwrap()
}

/// The code of an error body.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

pub fn key() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "test-key-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
