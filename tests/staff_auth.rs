//! Staff accounts and sessions against the real binary on SQLite and PostgreSQL: the first
//! admin from stdin, argon2id at rest, cookie attributes, lockout and unlock, the per-address
//! rate limit, CSRF refusal, forged and ended sessions, idle expiry, sessions surviving a
//! restart, and a password change ending the other sessions.

mod common;
mod staff_support;
use common::*;
use serde_json::json;
use staff_support::*;

fn stored_hash(db: &TestDb, username: &str) -> String {
    stored_password(db, username).0
}

#[test]
fn the_first_admin_comes_from_stdin_and_weak_or_missing_passwords_are_refused() {
    for db in TestDb::all() {
        let weak = add_staff_with(&db, "ada", "admin", "short");
        assert_status(&weak, 2, "weak password");
        assert!(
            stderr(&weak).contains("at least 12 characters"),
            "{}",
            stderr(&weak)
        );
        let empty = add_staff_with(&db, "ada", "admin", "");
        assert_status(&empty, 2, "no password");
        let role = add_staff_with(&db, "ada", "root", PASSWORD);
        assert_status(&role, 2, "unknown role");
        let out = db.sskiosk(&["staff", "list"]);
        assert_status(&out, 0, "list");
        assert_eq!(stdout(&out), "", "{}: nothing was created", db.label);

        add_staff(&db, "ada", "admin");
        let again = add_staff_with(&db, "ada", "clerk", PASSWORD);
        assert_status(&again, 2, "duplicate");
        let hash = stored_hash(&db, "ada");
        assert!(hash.starts_with("$argon2id$"), "{}: {hash}", db.label);
        assert!(!hash.contains(PASSWORD));
        assert!(stdout(&db.sskiosk(&["staff", "list"])).starts_with("ada\tadmin\t3"));
        assert_eq!(audit(&db, "staff.create").len(), 1, "{}", db.label);
    }
}

#[test]
fn a_login_gives_an_httponly_strict_cookie_and_wrong_passwords_are_refused_and_audited() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        let server = Served::start(&db);
        let header = Client::login_cookie_header(&server.base, "clara");
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(header.contains(attribute), "{}: {header}", db.label);
        }
        assert!(
            !header.contains("Secure"),
            "off on loopback by default: {header}"
        );

        let clara = Client::login(&server.base, "clara");
        let (status, me) = clara.get("/api/staff/session");
        assert_eq!(status, 200);
        assert_eq!(me["staff"]["username"], "clara");
        assert_eq!(me["staff"]["role"], "clerk");
        assert_eq!(me["csrf_token"], clara.csrf.clone().unwrap().as_str());

        let mut anon = Client::anonymous(&server.base);
        let (status, body) = anon.try_login("clara", "wrong-password-123");
        assert_eq!((status, code(&body)), (401, "bad_credentials"), "{body}");
        let (status, unknown) = anon.try_login("nobody", PASSWORD);
        assert_eq!((status, code(&unknown)), (401, "bad_credentials"));
        assert_eq!(
            body["error"]["message"], unknown["error"]["message"],
            "no username oracle"
        );
        let (status, sql) = anon.try_login("' OR 1=1 --", "' OR '1'='1");
        assert_eq!((status, code(&sql)), (401, "bad_credentials"));
        let failed: Vec<_> = audit(&db, "staff.login")
            .into_iter()
            .filter(|e| e.result == "failed")
            .collect();
        assert_eq!(failed.len(), 3, "{}: every failure audited", db.label);
        assert!(failed.iter().any(|e| e.actor == "staff:clara"));
        server.stop();
    }
}

#[test]
fn repeated_wrong_passwords_lock_the_account_until_a_supervisor_unlocks_it() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        add_staff(&db, "sam", "supervisor");
        let server = Served::start_with(&db, &[("SSKIOSK__STAFF__LOCKOUT_AFTER", "3")]);
        let mut anon = Client::anonymous(&server.base);
        for _ in 0..2 {
            assert_eq!(anon.try_login("clara", "not-the-password").0, 401);
        }
        let (status, third) = anon.try_login("clara", "not-the-password");
        assert_eq!((status, code(&third)), (429, "account_locked"), "{third}");
        let (status, right) = anon.try_login("clara", PASSWORD);
        assert_eq!(
            (status, code(&right)),
            (429, "account_locked"),
            "even the right password"
        );

        let clerk_unlock = Client::login(&server.base, "sam");
        let (status, _) = clerk_unlock.post("/api/staff/accounts/clara/unlock", json!({}));
        assert_eq!(status, 200, "{}", db.label);
        Client::login(&server.base, "clara");
        assert_eq!(audit(&db, "staff.unlock").len(), 1);
        assert!(audit(&db, "staff.login")
            .iter()
            .any(|e| e.result == "locked"));
        server.stop();
    }
}

#[test]
fn the_cli_unlocks_a_locked_account() {
    let db = TestDb::sqlite();
    add_staff(&db, "clara", "clerk");
    let server = Served::start_with(&db, &[("SSKIOSK__STAFF__LOCKOUT_AFTER", "1")]);
    let mut anon = Client::anonymous(&server.base);
    assert_eq!(anon.try_login("clara", "not-the-password").0, 429);
    assert_status(
        &db.sskiosk(&["staff", "unlock", "--username", "clara"]),
        0,
        "unlock",
    );
    Client::login(&server.base, "clara");
    server.stop();
}

#[test]
fn too_many_failures_from_one_address_are_rate_limited_whatever_the_username() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        let server =
            Served::start_with(&db, &[("SSKIOSK__STAFF__ADDRESS_FAILURES_PER_WINDOW", "4")]);
        let mut anon = Client::anonymous(&server.base);
        for name in ["a1", "a2", "a3", "a4"] {
            assert_eq!(anon.try_login(name, "guess-guess-guess").0, 401);
        }
        let (status, body) = anon.try_login("clara", PASSWORD);
        assert_eq!(
            (status, code(&body)),
            (429, "rate_limited"),
            "{}: {body}",
            db.label
        );
        server.stop();
    }
}

#[test]
fn changes_without_the_sessions_csrf_token_are_refused_and_change_nothing() {
    for db in TestDb::all() {
        load_fixtures(&db);
        add_staff(&db, "clara", "clerk");
        let server = Served::start(&db);
        let clara = Client::login(&server.base, "clara");
        let path = format!("/api/staff/cards/{LI_CARD}/status");
        let body = json!({"action": "temp_loss"});
        let missing = Client {
            csrf: None,
            ..clara.clone()
        };
        let (status, refused) = missing.post(&path, body.clone());
        assert_eq!(
            (status, code(&refused)),
            (403, "csrf_failed"),
            "{}",
            db.label
        );
        let forged = Client {
            csrf: Some("0".repeat(64)),
            ..clara.clone()
        };
        assert_eq!(forged.post(&path, body.clone()).0, 403);
        // Another session's token is not this session's.
        let other = Client::login(&server.base, "clara");
        let crossed = Client {
            csrf: other.csrf.clone(),
            ..clara.clone()
        };
        assert_eq!(crossed.post(&path, body.clone()).0, 403);
        assert!(audit(&db, "card.").is_empty(), "nothing changed");
        let (status, done) = clara.post(&path, body);
        assert_eq!((status, done["status"].as_str()), (200, Some("temp_lost")));
        server.stop();
    }
}

#[test]
fn forged_and_ended_sessions_are_refused() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        let server = Served::start(&db);
        let anon = Client::anonymous(&server.base);
        let (status, body) = anon.get("/api/staff/session");
        assert_eq!((status, code(&body)), (401, "not_signed_in"));
        for forged in [
            "sskiosk_staff=abc",
            &format!("sskiosk_staff={}", "a".repeat(64)),
            "sskiosk_staff=' OR 1=1 --",
        ] {
            let c = Client {
                cookie: Some(forged.to_string()),
                ..anon.clone()
            };
            assert_eq!(c.get("/api/staff/session").0, 401, "{forged}");
        }
        let clara = Client::login(&server.base, "clara");
        let (status, _) = clara.post("/api/staff/logout", json!({}));
        assert_eq!(status, 204);
        assert_eq!(
            clara.get("/api/staff/session").0,
            401,
            "{}: logged out",
            db.label
        );
        server.stop();
    }
}

#[test]
fn an_idle_session_expires() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        let server = Served::start_with(
            &db,
            &[
                ("SSKIOSK__STAFF__IDLE_MINUTES", "0"),
                ("SSKIOSK__STAFF__IDLE_SECONDS_EXTRA", "2"),
            ],
        );
        let clara = Client::login(&server.base, "clara");
        assert_eq!(clara.get("/api/staff/session").0, 200);
        std::thread::sleep(std::time::Duration::from_millis(3500));
        let (status, body) = clara.get("/api/staff/session");
        assert_eq!(
            (status, code(&body)),
            (401, "not_signed_in"),
            "{}",
            db.label
        );
        server.stop();
    }
}

#[test]
fn a_busy_session_still_ends_at_its_maximum_age() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        // No idle limit to speak of, but no lifetime either: the sign-in works, the session
        // it opened is already over.
        let server = Served::start_with(&db, &[("SSKIOSK__STAFF__MAX_SESSION_MINUTES", "0")]);
        let clara = Client::login(&server.base, "clara");
        let (status, body) = clara.get("/api/staff/session");
        assert_eq!(
            (status, code(&body)),
            (401, "not_signed_in"),
            "{}",
            db.label
        );
        server.stop();
        // The default (a shift) keeps it.
        let server = Served::start(&db);
        let clara = Client::login(&server.base, "clara");
        assert_eq!(clara.get("/api/staff/session").0, 200, "{}", db.label);
        server.stop();
    }
}

#[test]
fn sessions_survive_a_restart_of_the_server() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        let first = Served::start(&db);
        let clara = Client::login(&first.base, "clara");
        first.stop();
        let second = Served::start(&db);
        let again = Client {
            base: second.base.clone(),
            ..clara
        };
        let (status, me) = again.get("/api/staff/session");
        assert_eq!(status, 200, "{}: {me}", db.label);
        assert_eq!(me["staff"]["username"], "clara");
        second.stop();
    }
}

#[test]
fn a_password_change_ends_the_other_sessions_and_keeps_this_one() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        let server = Served::start(&db);
        let desk = Client::login(&server.base, "clara");
        let laptop = Client::login(&server.base, "clara");
        let new = "a-brand-new-password";
        let (status, body) = desk.post(
            "/api/staff/password",
            json!({"current_password": "wrong-wrong-wrong", "new_password": new}),
        );
        assert_eq!((status, code(&body)), (403, "wrong_password"));
        let (status, body) = desk.post(
            "/api/staff/password",
            json!({"current_password": PASSWORD, "new_password": "short"}),
        );
        assert_eq!((status, code(&body)), (422, "weak_password"));
        let (status, body) = desk.post(
            "/api/staff/password",
            json!({"current_password": PASSWORD, "new_password": new}),
        );
        assert_eq!(status, 204, "{body}");
        assert_eq!(desk.get("/api/staff/session").0, 200);
        assert_eq!(laptop.get("/api/staff/session").0, 401, "{}", db.label);
        let mut anon = Client::anonymous(&server.base);
        assert_eq!(anon.try_login("clara", PASSWORD).0, 401);
        assert_eq!(anon.try_login("clara", new).0, 200);
        server.stop();
    }
}

#[test]
fn oversized_and_malformed_bodies_get_the_error_shape() {
    let db = TestDb::sqlite();
    add_staff(&db, "clara", "clerk");
    let server = Served::start(&db);
    let mut anon = Client::anonymous(&server.base);
    let (status, body) = anon.try_login(&"u".repeat(100_000), PASSWORD);
    assert_eq!((status, code(&body)), (400, "invalid_json"), "{body}");
    let (status, body) = anon.try_login("clara", &"p".repeat(10_000));
    assert_eq!((status, code(&body)), (401, "bad_credentials"), "{body}");
    let (status, body, _) = anon.send("POST", "/api/staff/login", Some(json!({"user": "x"})));
    assert_eq!((status, code(&body)), (400, "invalid_json"));
    server.stop();
}

#[test]
fn a_session_opened_on_one_node_works_on_another_node_of_the_same_store() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        let a = Served::start(&db);
        let b = Served::start(&db);
        let on_a = Client::login(&a.base, "clara");
        let on_b = Client {
            base: b.base.clone(),
            ..on_a.clone()
        };
        assert_eq!(on_b.get("/api/staff/session").0, 200, "{}", db.label);
        let (status, _) = on_b.post("/api/staff/logout", json!({}));
        assert_eq!(status, 204);
        assert_eq!(
            on_a.get("/api/staff/session").0,
            401,
            "logged out everywhere"
        );
        a.stop();
        b.stop();
    }
}

#[test]
fn the_lockout_counts_failures_on_every_node_of_the_store() {
    for db in TestDb::all() {
        add_staff(&db, "clara", "clerk");
        let env = [("SSKIOSK__STAFF__LOCKOUT_AFTER", "4")];
        let a = Served::start_with(&db, &env);
        let b = Served::start_with(&db, &env);
        // Four wrong passwords at once, two on each node.
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let tries: Vec<_> = [&a, &b, &a, &b]
                .into_iter()
                .map(|node| {
                    s.spawn(move || {
                        Client::anonymous(&node.base)
                            .try_login("clara", "wrong-wrong-wrong")
                            .0
                    })
                })
                .collect();
            tries.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert_eq!(
            statuses.iter().filter(|s| **s == 429).count(),
            1,
            "{}: {statuses:?}",
            db.label
        );
        let (status, body) = Client::anonymous(&b.base).try_login("clara", PASSWORD);
        assert_eq!(
            (status, code(&body)),
            (429, "account_locked"),
            "{}",
            db.label
        );
        a.stop();
        b.stop();
    }
}
