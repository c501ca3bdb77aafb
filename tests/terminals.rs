//! Terminals hold no secrets (issue 10): a real center (`sskiosk serve`) and real terminals
//! (`sskiosk terminal`) as separate processes over real mutual TLS, on SQLite and PostgreSQL.
//! Card proofs that are forged, replayed or relayed from another terminal, tokens that stay with
//! their terminal, the center going away and coming back, and what a stolen terminal holds.
//! (Enrolment and certificates: tests/terminal_enrolment.rs.)

mod certificate_support;
mod common;
mod kiosk_support;
#[path = "common/pcscd.rs"]
mod pcscd;
mod terminal_support;

use common::terminal::{self, enrol, enrol_code};
use common::*;
use kiosk_support::*;
use serde_json::json;
use terminal_support::*;

#[test]
fn forged_replayed_and_relayed_card_proofs_open_nothing_and_tokens_stay_with_their_terminal() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let center = Served::start(&db);
        let port = center.terminal_port.clone().unwrap();
        let url = |p: &str| format!("{port}{p}");
        let (a_dir, b_dir, w_dir) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        for (dir, name, kind) in [
            (&a_dir, "kiosk-a", "kiosk"),
            (&b_dir, "kiosk-b", "kiosk"),
            (&w_dir, "window-1", "window"),
        ] {
            assert_status(
                &enrol(
                    &center,
                    dir.path(),
                    &enrol_code(&db, name, kind, &["--window", "1"]),
                ),
                0,
                name,
            );
        }
        let (a, b, w) = (
            agent_of(a_dir.path()),
            agent_of(b_dir.path()),
            agent_of(w_dir.path()),
        );
        let challenge = |who: &ureq::Agent| challenge(who, &port);
        let open = |who: &ureq::Agent, id: &str, answer: &str| {
            open_session(who, &port, id, answer, (LI, "A12345678"))
        };

        // Li's card data with an answer the card did not give: refused as not genuine.
        let (id, _) = challenge(&a);
        let (status, body) = open(&a, &id, &"00".repeat(16));
        assert_eq!(
            (status, &body["outcome"], &body["reason"]),
            (200, &json!("refused"), &json!("not_genuine")),
            "{body}"
        );

        // The card's own answer opens a session; the same answer again finds no challenge.
        let (id, c) = challenge(&a);
        let answer = card_answer(&db, "A12345678", &c);
        let (status, body) = open(&a, &id, &answer);
        assert_eq!(
            (status, &body["outcome"]),
            (200, &json!("opened")),
            "{body}"
        );
        let token = body["token"].as_str().unwrap().to_string();
        let (status, body) = open(&a, &id, &answer);
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("card_challenge_unknown")),
            "replay: {body}"
        );

        // A's challenge answered through B (a relay) finds nothing either.
        let (id, c) = challenge(&a);
        let (status, body) = open(&b, &id, &card_answer(&db, "A12345678", &c));
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("card_challenge_unknown")),
            "relay: {body}"
        );

        // No data before the card accepted its holder's PIN (which only the terminal sees).
        let (status, body) = get_json(&a, &url("/api/kiosk/record"), &token);
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("pin_required")),
            "{body}"
        );
        assert_eq!(
            post(&b, &url("/terminal/v1/card/pin"), Some(&token), json!({}))
                .unwrap()
                .0,
            401,
            "B reports A's PIN"
        );
        assert_eq!(
            post(&a, &url("/terminal/v1/card/pin"), Some(&token), json!({}))
                .unwrap()
                .0,
            204
        );

        // The session reads Li's record from A only; B presenting A's token gets 401.
        let (status, record) = get_json(&a, &url("/api/kiosk/record"), &token);
        assert_eq!(
            (status, &record["name"]),
            (200, &json!("李建国")),
            "{record}"
        );
        let (status, record) = get_json(&b, &url("/api/kiosk/record"), &token);
        assert_eq!(
            (status, record["error"]["code"].as_str()),
            (401, Some("kiosk_session_ended")),
            "{record}"
        );
        // Without any session, no record at all.
        let (status, _) = get_json(&b, &url("/api/kiosk/record"), &"ab".repeat(32));
        assert_eq!(status, 401);

        // A window terminal opens no kiosk session; the certificate needs a fresh proof.
        let (id, c) = challenge(&w);
        let (status, body) = open(&w, &id, &card_answer(&db, "A12345678", &c));
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (403, Some("wrong_terminal_kind")),
            "{body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
        let (status, body) = post(
            &a,
            &url("/api/kiosk/certificates"),
            Some(&token),
            json!({"kind": "contribution", "items": []}),
        )
        .unwrap();
        assert_eq!(status, 201, "a proof 0 s old is fresh: {body}");

        // Every refused proof is in the audit log against the claimed citizen.
        let trail = audit_of(&db, LI);
        let proofs = trail.iter().filter(|e| e.action == "card.proof").count();
        assert_eq!(proofs, 3, "{}: {trail:#?}", db.label);
        // Ending the session ends it for good.
        assert_eq!(
            post(&a, &url("/terminal/v1/card/end"), Some(&token), json!({}))
                .unwrap()
                .0,
            204
        );
        assert_eq!(get_json(&a, &url("/api/kiosk/record"), &token).0, 401);
    }
}

#[test]
fn the_kiosk_pauses_when_the_center_stops_keeps_nothing_and_recovers_by_itself() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let port = certificate_support::free_port();
    let center = center_on(&db, port);
    let kiosk = terminal::Terminal::enrolled(
        &db,
        &center,
        "kiosk-p",
        "kiosk",
        &[("SSKIOSK__CARD__READERS", "[\"Virtual PCD 00 00\"]")],
    );
    wait_state(&kiosk, "ready", |v| v["screen"] == "ready");
    let card = insert(0, &card_of(&db, LI));
    let token = session_token(&kiosk);
    assert_eq!(get(&kiosk, "/api/kiosk/record", &token).0, 200);

    center.stop();
    let v = wait_state(&kiosk, "暂停服务", |v| v["screen"] == "center_down");
    assert!(v["token"].is_null());
    assert_error(
        &get(&kiosk, "/api/kiosk/record", &token),
        401,
        "kiosk_session_ended",
    );
    card.remove();

    let center = center_on(&db, port);
    wait_state(&kiosk, "the start screen again", |v| v["screen"] == "ready");
    let _card = insert(0, &card_of(&db, LI));
    let token = session_token(&kiosk);
    assert_eq!(get(&kiosk, "/api/kiosk/record", &token).0, 200);

    // Revoked while a citizen is at the screen: the next call fails and the kiosk pauses.
    assert_status(&db.sskiosk(&["device", "revoke", "kiosk-p"]), 0, "revoke");
    assert_eq!(get(&kiosk, "/api/kiosk/record", &token).0, 403);
    wait_state(&kiosk, "暂停服务 after revocation", |v| {
        v["screen"] == "center_down"
    });
    drop(center);
}

#[test]
fn a_stolen_terminal_holds_no_database_url_signing_key_or_card_master_key() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let hall = serve(&db, "Virtual PCD 00 00", &[]);
    // A whole visit: card, record, a certificate issued and queued for print.
    let _card = insert(0, &card_of(&db, LI));
    let token = session_token(&hall);
    assert_eq!(get(&hall, "/api/kiosk/record", &token).0, 200);
    let (status, issued) = call(
        &hall,
        "POST",
        "/api/kiosk/certificates",
        Some(&token),
        Some(json!({"kind": "contribution", "items": []})),
    );
    assert_eq!(status, 201, "{issued}");
    let serial = issued["serial"].as_str().unwrap();
    let (status, _) = call(
        &hall,
        "POST",
        &format!("/api/kiosk/certificates/{serial}/print"),
        Some(&token),
        None,
    );
    assert_eq!(status, 202);

    let office_key =
        std::fs::read_to_string(db.dir.path().join("data/office-key.ed25519")).unwrap();
    let ca_key = std::fs::read_to_string(db.dir.path().join("data/center/ca.key")).unwrap();
    let secrets: Vec<(&str, String)> = vec![
        ("the database URL", db.url.clone()),
        ("a database URL scheme", "sqlite://".into()),
        ("a database URL scheme", "postgres://".into()),
        ("the office signing key", office_key.trim().to_string()),
        (
            "the device CA's key",
            ca_key.lines().nth(1).unwrap().to_string(),
        ),
        (
            "the card master key",
            "53534B494F534B2D544553542D4B4559".into(),
        ),
        ("the card master key", "SSKIOSK-TEST-KEY".into()),
        ("the citizen's ID number", LI.into()),
    ];
    let mut places: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in walk(&hall.terminal.state_dir()) {
        places.push((entry.display().to_string(), std::fs::read(&entry).unwrap()));
    }
    assert!(places.len() >= 4, "the state folder: {places:?}");
    places.push((
        "the process environment".into(),
        std::fs::read(format!("/proc/{}/environ", hall.terminal.pid())).unwrap(),
    ));
    for (place, bytes) in &places {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for (what, secret) in &secrets {
            assert!(
                !text.contains(&secret.to_lowercase()),
                "{place} holds {what}"
            );
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
