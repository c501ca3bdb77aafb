//! Temporary passwords, on SQLite and PostgreSQL: an account an admin created (or whose password
//! an admin reset) may only see its session, sign out and change its password until it does;
//! the admin's reset ends the account's sessions and lifts a lockout; the CLI forces a change
//! only with `staff passwd --temporary`.

mod common;
mod staff_support;
use common::*;
use serde_json::{json, Value};
use staff_support::*;

/// The password an admin hands over (the policy's 12 characters and more).
const TEMPORARY: &str = "temporary-pass-42";
const OWN: &str = "my-own-new-password";

/// The three endpoints an account with a temporary password may use.
const OPEN_WHILE_TEMPORARY: [(&str, &str); 3] = [
    ("get", "/api/staff/session"),
    ("post", "/api/staff/logout"),
    ("post", "/api/staff/password"),
];

fn must_change(db: &TestDb, username: &str) -> bool {
    stored_password(db, username).1
}

fn stored_hash(db: &TestDb, username: &str) -> String {
    stored_password(db, username).0
}

fn signed_in(base: &str, username: &str, password: &str) -> (Client, Value) {
    let mut c = Client::anonymous(base);
    let (status, body) = c.try_login(username, password);
    assert_eq!(status, 200, "login {username}: {body}");
    (c, body)
}

/// Every staff endpoint of the OpenAPI document but the login, with a concrete path.
fn every_endpoint(server: &Served) -> Vec<(String, String)> {
    let (status, doc) = server.json("/api/openapi.json");
    assert_eq!(status, 200);
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/staff/") || path == "/api/staff/login" {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            all.push((method.clone(), path.clone()));
        }
    }
    assert!(all.len() > 10, "{all:?}");
    all
}

fn concrete(path: &str) -> String {
    path.replace("{serial}", "NO-SUCH-SERIAL")
        .replace("{id}", "999999")
        .replace("{card_no}", LI_CARD)
        .replace("{username}", "clara")
        .replace("{name}", "no-such-device")
}

fn lookup(c: &Client) -> (u16, Value) {
    c.post(
        "/api/staff/lookup",
        json!({"purpose": "citizen_request", "ssn": LI}),
    )
}

/// `sskiosk staff passwd` with the password on standard input.
fn passwd(db: &TestDb, username: &str, password: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["staff", "passwd", "--username", username];
    args.extend_from_slice(extra);
    with_password(db, &args, password)
}

#[test]
fn an_account_an_admin_created_must_change_its_password_before_anything_else() {
    for db in TestDb::all() {
        load_fixtures(&db);
        add_staff(&db, "ada", "admin");
        let server = Served::start(&db);
        let ada = Client::login(&server.base, "ada");
        let (status, created) = ada.post(
            "/api/staff/accounts",
            json!({"username": "clara", "display_name": "Clara", "window_no": "3",
                   "role": "clerk", "password": TEMPORARY}),
        );
        assert_eq!(status, 201, "{}: {created}", db.label);
        assert_eq!(created["must_change_password"], true);
        assert!(must_change(&db, "clara"));

        let (clara, login) = signed_in(&server.base, "clara", TEMPORARY);
        assert_eq!(login["must_change_password"], true, "{login}");
        let (status, me) = clara.get("/api/staff/session");
        assert_eq!(status, 200, "{me}");
        assert_eq!(me["must_change_password"], true);
        assert_eq!(me["staff"]["must_change_password"], true);

        // Everything else is closed, whatever role it needs: the temporary password is
        // checked before the role.
        let mut refused = 0;
        for (method, path) in every_endpoint(&server) {
            if OPEN_WHILE_TEMPORARY.contains(&(method.as_str(), path.as_str())) {
                continue;
            }
            let body = (method == "post").then(|| json!({}));
            let (status, answer, _) = clara.send(&method.to_uppercase(), &concrete(&path), body);
            assert_eq!(
                (status, code(&answer)),
                (403, "password_change_required"),
                "{}: {method} {path}: {answer}",
                db.label
            );
            assert_eq!(answer["error"]["message"], "change your password first");
            refused += 1;
        }
        assert!(refused >= 18, "{refused}");
        let (status, answer) = lookup(&clara);
        assert_eq!((status, code(&answer)), (403, "password_change_required"));
        let (status, answer) = clara.get("/api/staff/audit");
        assert_eq!((status, code(&answer)), (403, "password_change_required"));
        // The CSRF check still comes first.
        let no_csrf = Client {
            csrf: None,
            ..clara.clone()
        };
        let (status, answer) = lookup(&no_csrf);
        assert_eq!((status, code(&answer)), (403, "csrf_failed"));
        assert!(
            audit(&db, "record.").is_empty(),
            "{}: no record was looked at",
            db.label
        );
        assert!(
            audit(&db, "staff.denied").is_empty(),
            "the page's ordinary state, not a probe: not audited"
        );

        // Signing out works, as does the change itself.
        let (other, _) = signed_in(&server.base, "clara", TEMPORARY);
        assert_eq!(other.post("/api/staff/logout", json!({})).0, 204);
        assert_eq!(other.get("/api/staff/session").0, 401);
        let (status, answer) = clara.post(
            "/api/staff/password",
            json!({"current_password": TEMPORARY, "new_password": TEMPORARY}),
        );
        assert_eq!((status, code(&answer)), (422, "same_password"), "{answer}");
        let (status, answer) = clara.post(
            "/api/staff/password",
            json!({"current_password": "not-the-temporary", "new_password": OWN}),
        );
        assert_eq!((status, code(&answer)), (403, "wrong_password"));
        assert!(must_change(&db, "clara"));
        let (status, answer) = clara.post(
            "/api/staff/password",
            json!({"current_password": TEMPORARY, "new_password": OWN}),
        );
        assert_eq!(status, 204, "{}: {answer}", db.label);

        assert!(!must_change(&db, "clara"), "{}", db.label);
        let (_, me) = clara.get("/api/staff/session");
        assert_eq!(me["must_change_password"], false);
        let (status, found) = lookup(&clara);
        assert_eq!(status, 200, "{}: {found}", db.label);
        assert_eq!(found["record"]["person"]["ssn"], LI);
        // Now the role decides again.
        let (status, answer) = clara.get("/api/staff/audit");
        assert_eq!((status, code(&answer)), (403, "role_required"));
        let (_, again) = signed_in(&server.base, "clara", OWN);
        assert_eq!(again["must_change_password"], false);
        server.stop();
    }
}

#[test]
fn an_admin_resets_a_password_ending_the_sessions_and_lifting_a_lockout() {
    for db in TestDb::all() {
        load_fixtures(&db);
        add_the_three(&db);
        let server = Served::start_with(&db, &[("SSKIOSK__STAFF__LOCKOUT_AFTER", "2")]);
        let reset = "/api/staff/accounts/clara/password";
        let clara = Client::login(&server.base, "clara");
        let mut anon = Client::anonymous(&server.base);
        anon.try_login("clara", "not-the-password");
        let (status, body) = anon.try_login("clara", "not-the-password");
        assert_eq!((status, code(&body)), (429, "account_locked"), "{body}");

        // Clara's session outlives her lockout; neither she nor a supervisor may reset.
        let sam = Client::login(&server.base, "sam");
        for (who, c) in [("clara", &clara), ("sam", &sam)] {
            let (status, answer) = c.post(reset, json!({"password": TEMPORARY}));
            assert_eq!(
                (status, code(&answer)),
                (403, "role_required"),
                "{}: {who}",
                db.label
            );
        }
        let ada = Client::login(&server.base, "ada");
        let before = stored_hash(&db, "clara");
        let (status, answer) = ada.post(reset, json!({"password": "short"}));
        assert_eq!((status, code(&answer)), (422, "weak_password"), "{answer}");
        let (status, answer) = ada.post(reset, json!({"password": TEMPORARY, "also": 1}));
        assert_eq!((status, code(&answer)), (400, "invalid_json"), "{answer}");
        let (status, answer) = ada.post(
            "/api/staff/accounts/nobody/password",
            json!({"password": TEMPORARY}),
        );
        assert_eq!((status, code(&answer)), (404, "not_found"), "{answer}");
        // Nothing changed: same hash, not forced, session alive, still locked.
        assert_eq!(stored_hash(&db, "clara"), before);
        assert!(!must_change(&db, "clara"));
        assert_eq!(clara.get("/api/staff/session").0, 200);
        assert_eq!(anon.try_login("clara", PASSWORD).0, 429);
        assert!(audit(&db, "staff.password_reset").is_empty());

        let (status, account) = ada.post(reset, json!({"password": TEMPORARY}));
        assert_eq!(status, 200, "{}: {account}", db.label);
        assert_eq!(account["must_change_password"], true);
        assert_eq!(account["locked_until"], Value::Null);
        let (status, body) = clara.get("/api/staff/session");
        assert_eq!(
            (status, code(&body)),
            (401, "not_signed_in"),
            "{}: the old session ended",
            db.label
        );
        assert_eq!(anon.try_login("clara", PASSWORD).0, 401, "the old password");
        let (clara, login) = signed_in(&server.base, "clara", TEMPORARY);
        assert_eq!(
            login["must_change_password"], true,
            "lockout lifted, forced"
        );
        let (status, answer) = lookup(&clara);
        assert_eq!((status, code(&answer)), (403, "password_change_required"));
        let (status, _) = clara.post(
            "/api/staff/password",
            json!({"current_password": TEMPORARY, "new_password": OWN}),
        );
        assert_eq!(status, 204);
        assert_eq!(lookup(&clara).0, 200);

        let entries = audit(&db, "staff.password_reset");
        assert_eq!(entries.len(), 1, "{}", db.label);
        assert_eq!(entries[0].actor, "staff:ada");
        assert_eq!(entries[0].detail.as_deref(), Some("clara"));
        assert_eq!(entries[0].result, "ok");
        assert_eq!(audit(&db, "staff.password").len(), 1, "clara's own change");
        assert_status(&db.sskiosk(&["audit", "verify"]), 0, "audit verify");
        server.stop();
    }
}

#[test]
fn an_admin_resetting_their_own_password_is_signed_out_and_forced_too() {
    let db = TestDb::sqlite();
    add_staff(&db, "ada", "admin");
    let server = Served::start(&db);
    let ada = Client::login(&server.base, "ada");
    let (status, _) = ada.post(
        "/api/staff/accounts/ada/password",
        json!({"password": TEMPORARY}),
    );
    assert_eq!(status, 200);
    assert_eq!(ada.get("/api/staff/session").0, 401);
    let (ada, login) = signed_in(&server.base, "ada", TEMPORARY);
    assert_eq!(login["must_change_password"], true);
    let (status, answer) = ada.get("/api/staff/accounts");
    assert_eq!((status, code(&answer)), (403, "password_change_required"));
    server.stop();
}

#[test]
fn the_cli_forces_a_change_only_for_a_temporary_password() {
    for db in TestDb::all() {
        add_staff(&db, "ada", "admin");
        assert!(!must_change(&db, "ada"), "{}: staff add", db.label);

        assert_status(&passwd(&db, "ada", OWN, &[]), 0, "passwd");
        assert!(!must_change(&db, "ada"), "{}: staff passwd", db.label);
        assert_eq!(audit(&db, "staff.password").len(), 1);

        let weak = passwd(&db, "ada", "short", &["--temporary"]);
        assert_status(&weak, 2, "weak temporary password");
        assert!(!must_change(&db, "ada"));
        assert_status(
            &passwd(&db, "nobody", TEMPORARY, &["--temporary"]),
            2,
            "unknown account",
        );

        let out = passwd(&db, "ada", TEMPORARY, &["--temporary"]);
        assert_status(&out, 0, "passwd --temporary");
        assert!(
            must_change(&db, "ada"),
            "{}: staff passwd --temporary",
            db.label
        );
        assert!(
            stdout(&db.sskiosk(&["staff", "list"])).contains("(temporary password)"),
            "{}",
            db.label
        );
        let resets = audit(&db, "staff.password_reset");
        assert_eq!(resets.len(), 1);
        assert_eq!(resets[0].actor, "cli:staff");

        let server = Served::start(&db);
        let (ada, login) = signed_in(&server.base, "ada", TEMPORARY);
        assert_eq!(login["must_change_password"], true);
        let (status, answer) = ada.get("/api/staff/accounts");
        assert_eq!((status, code(&answer)), (403, "password_change_required"));
        server.stop();

        // The owner setting their own password on the node lifts it again.
        assert_status(&passwd(&db, "ada", OWN, &[]), 0, "passwd");
        assert!(!must_change(&db, "ada"));
        assert_status(&db.sskiosk(&["audit", "verify"]), 0, "audit verify");
    }
}
