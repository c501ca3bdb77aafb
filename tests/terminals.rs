//! Terminals hold no secrets (issue 10): a real center (`sskiosk serve`) and real terminals
//! (`sskiosk terminal`) as separate processes over real mutual TLS, on SQLite and PostgreSQL.
//! Enrolment (reused, expired, guessed and mispinned codes; requests for a CA certificate;
//! oversized requests), certificates that get nothing (none, self-made, another CA's, expired,
//! revoked), card proofs that are forged, replayed or relayed from another terminal, the center
//! going away and coming back, and what a stolen terminal holds.

mod certificate_support;
mod common;
mod kiosk_support;
#[path = "common/pcscd.rs"]
mod pcscd;

use common::terminal::{self, enrol, enrol_code};
use common::*;
use kiosk_support::*;
use serde_json::{json, Value};
use sskiosk::card::security::{card_key, cryptogram, INTERNAL_DOMAIN};
use std::sync::Arc;

/// A center whose terminal port is on a fixed free port (so it can come back on it).
fn center_on(db: &TestDb, port: u16) -> Served {
    let bind = format!("127.0.0.1:{port}");
    Served::start_with(db, &[("SSKIOSK__CENTER__TERMINAL_BIND", bind.as_str())])
}

fn ca_pem(db: &TestDb) -> String {
    std::fs::read_to_string(db.dir.path().join("data/center/ca.pem")).unwrap()
}

fn certs(pem: &str) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A TLS client of the terminal port trusting `ca` and presenting `identity` (chain, key).
fn agent(ca: &str, identity: Option<(&str, &str)>) -> ureq::Agent {
    use rustls::pki_types::pem::PemObject;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for c in certs(ca) {
        roots.add(c).unwrap();
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    let config = match identity {
        None => builder.with_no_client_auth(),
        Some((chain, key)) => builder
            .with_client_auth_cert(
                certs(chain),
                rustls::pki_types::PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap(),
            )
            .unwrap(),
    };
    ureq::AgentBuilder::new()
        .tls_config(Arc::new(config))
        .timeout(std::time::Duration::from_secs(10))
        .build()
}

/// POST `body` to the terminal port: (status, JSON) or Err(transport error text).
fn post(
    agent: &ureq::Agent,
    url: &str,
    token: Option<&str>,
    body: Value,
) -> Result<(u16, Value), String> {
    let mut req = agent.post(url);
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    match req.send_json(body) {
        Ok(r) => Ok((r.status(), r.into_json().unwrap_or(Value::Null))),
        Err(ureq::Error::Status(s, r)) => Ok((s, r.into_json().unwrap_or(Value::Null))),
        Err(e) => Err(e.to_string()),
    }
}

fn get_json(agent: &ureq::Agent, url: &str, token: &str) -> (u16, Value) {
    match agent
        .get(url)
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) => (r.status(), r.into_json().unwrap_or(Value::Null)),
        Err(ureq::Error::Status(s, r)) => (s, r.into_json().unwrap_or(Value::Null)),
        Err(e) => panic!("{e}"),
    }
}

fn csr(is_ca: bool, padding: usize) -> (rcgen::KeyPair, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["center.example".to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "x".repeat(padding.max(1)));
    if is_ca {
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign];
    }
    let pem = params.serialize_request(&key).unwrap().pem().unwrap();
    (key, pem)
}

fn secret(code: &str) -> String {
    code.rsplit_once('-').unwrap().0.to_string()
}

fn enrolled_state(dir: &std::path::Path) -> sskiosk::terminal::state::State {
    sskiosk::terminal::state::State::load(&dir.join("state")).unwrap()
}

fn agent_of(dir: &std::path::Path) -> ureq::Agent {
    let s = enrolled_state(dir);
    agent(&s.ca_pem, Some((&s.certificate_pem, &s.key_pem)))
}

#[test]
fn enrolment_takes_a_fresh_code_once_pins_the_center_and_rewrites_the_request() {
    for db in TestDb::all() {
        let center =
            Served::start_with(&db, &[("SSKIOSK__CENTER__ENROL_FAILURES_PER_WINDOW", "5")]);
        let port = center.terminal_port.clone().unwrap();
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();

        // A code whose pin is not this center's: refused before anything is sent, and the code
        // still works afterwards.
        let code = enrol_code(&db, "kiosk-a", "kiosk", &[]);
        let wrong_pin = format!("{}-{}", secret(&code), "0".repeat(32));
        let out = enrol(&center, dir, &wrong_pin);
        assert_status(&out, 1, "wrong pin");
        assert!(
            stderr(&out).contains("not the one the code was made for"),
            "{}",
            stderr(&out)
        );
        assert!(
            !dir.join("state/terminal.json").exists(),
            "nothing half-written"
        );
        assert_status(&enrol(&center, dir, &code), 0, "the right code");
        let state = enrolled_state(dir);
        assert_eq!(
            (state.identity.name.as_str(), state.identity.kind.as_str()),
            ("kiosk-a", "kiosk")
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("state/key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);

        // Used once: a second use is refused with the reason, and the state is untouched.
        let before = std::fs::read_to_string(dir.join("state/certificate.pem")).unwrap();
        let out = enrol(&center, dir, &code);
        assert_status(&out, 1, "reused code");
        assert!(stderr(&out).contains("already used"), "{}", stderr(&out));
        assert_eq!(
            std::fs::read_to_string(dir.join("state/certificate.pem")).unwrap(),
            before
        );

        // Expired.
        let late = enrol_code(&db, "kiosk-b", "kiosk", &[]);
        {
            use diesel::RunQueryDsl;
            let mut conn = db.pool().get().unwrap();
            diesel::sql_query("UPDATE terminal_enrolments SET expires_at = '2020-01-01 00:00:00' WHERE name = 'kiosk-b'")
                .execute(&mut *conn)
                .unwrap();
        }
        let other = tempfile::tempdir().unwrap();
        let out = enrol(&center, other.path(), &late);
        assert_status(&out, 1, "expired code");
        assert!(stderr(&out).contains("expired"), "{}", stderr(&out));

        // A request asking for a CA certificate gets a device certificate, and an oversized
        // one is refused with the code left unused.
        let anyone = agent(&ca_pem(&db), None);
        let enrol_url = format!("{port}/terminal/v1/enrol");
        let code_c = enrol_code(&db, "kiosk-c", "kiosk", &[]);
        let (_, huge) = csr(false, 9000);
        let (status, body) = post(
            &anyone,
            &enrol_url,
            None,
            json!({"code": secret(&code_c), "csr": huge}),
        )
        .unwrap();
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("certificate_request_invalid")),
            "{body}"
        );
        let (status, body) = post(
            &anyone,
            &enrol_url,
            None,
            json!({"code": secret(&code_c), "csr": "garbage"}),
        )
        .unwrap();
        assert_eq!(status, 422, "{body}");
        let (_, ca_request) = csr(true, 1);
        let (status, body) = post(
            &anyone,
            &enrol_url,
            None,
            json!({"code": secret(&code_c), "csr": ca_request}),
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        let der = certs(body["certificate"].as_str().unwrap()).remove(0);
        let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert!(
            !cert.is_ca(),
            "{}: a device asked for a CA and got one",
            db.label
        );
        assert_eq!(
            cert.subject()
                .iter_common_name()
                .next()
                .unwrap()
                .as_str()
                .unwrap(),
            "kiosk-c"
        );
        assert!(
            cert.subject_alternative_name().unwrap().is_none(),
            "the request's names are dropped"
        );

        // Guessed codes (the reused and the expired one counted too, limit 5): refused, then
        // rate-limited; the audit log holds one entry per refusal
        // up to the limit, not one per guess.
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let (status, _) = post(
                &anyone,
                &enrol_url,
                None,
                json!({"code": "AAAA-BBBB-CCCC-DDDD", "csr": "x"}),
            )
            .unwrap();
            statuses.push(status);
        }
        assert_eq!(statuses, [403, 403, 403, 429, 429, 429], "{}", db.label);
        let mut conn = db.pool().get().unwrap();
        let refused = sskiosk::audit::search(
            &mut conn,
            &sskiosk::audit::Filter {
                action: Some("terminal.enrol".into()),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap();
        let denied = refused.iter().filter(|e| e.result != "ok").count();
        // wrong-pin attempt sent nothing; reuse, expiry, the two bad requests, 3 guesses.
        assert_eq!(denied, 2 + 2 + 3, "{}: {refused:#?}", db.label);
        assert!(refused.iter().any(|e| e.result == "rate_limited"));
        drop(conn);

        // Garbage instead of a TLS hello: the connection is dropped, the port still serves.
        use std::io::{Read, Write};
        let addr = port.trim_start_matches("https://");
        let mut raw = std::net::TcpStream::connect(addr).unwrap();
        raw.write_all(b"GET / HTTP/1.1\r\n\r\n\x16\x03\x01\xff\xff garbage")
            .unwrap();
        let mut sink = Vec::new();
        let _ = raw.read_to_end(&mut sink);
        let (status, _) = post(
            &agent_of(dir),
            &format!("{port}/terminal/v1/heartbeat"),
            None,
            json!({"state": "ready", "reader": "r"}),
        )
        .unwrap();
        assert_eq!(status, 200, "{}", db.label);
        assert_status(&db.sskiosk(&["audit", "verify"]), 0, "audit verify");
    }
}

#[test]
fn certificates_that_are_missing_self_made_foreign_expired_or_revoked_get_nothing() {
    let db = TestDb::sqlite();
    let center = Served::start(&db);
    let port = center.terminal_port.clone().unwrap();
    let heartbeat = format!("{port}/terminal/v1/heartbeat");
    let body = || json!({"state": "ready", "reader": "r"});
    let ca = ca_pem(&db);

    let (status, answer) = post(&agent(&ca, None), &heartbeat, None, body()).unwrap();
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (401, Some("terminal_certificate_required"))
    );

    // Self-made, and signed by another CA: the handshake itself fails.
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    let own = params.self_signed(&key).unwrap();
    let result = post(
        &agent(&ca, Some((&own.pem(), &key.serialize_pem()))),
        &heartbeat,
        None,
        body(),
    );
    assert!(
        result.is_err(),
        "a self-made certificate was accepted: {result:?}"
    );
    let other_key = rcgen::KeyPair::generate().unwrap();
    let mut other_ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    other_ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let other_issuer = rcgen::Issuer::new(other_ca, other_key);
    let foreign = params.signed_by(&key, &other_issuer).unwrap();
    let result = post(
        &agent(&ca, Some((&foreign.pem(), &key.serialize_pem()))),
        &heartbeat,
        None,
        body(),
    );
    assert!(
        result.is_err(),
        "another CA's certificate was accepted: {result:?}"
    );

    // Signed by the center's own CA, but expired; and valid but never issued by the center.
    let ca_key = rcgen::KeyPair::from_pem(
        &std::fs::read_to_string(db.dir.path().join("data/center/ca.key")).unwrap(),
    )
    .unwrap();
    let issuer = rcgen::Issuer::from_ca_cert_pem(&ca, ca_key).unwrap();
    let mut expired = params.clone();
    expired.not_before = rcgen::date_time_ymd(2020, 1, 1);
    expired.not_after = rcgen::date_time_ymd(2020, 2, 1);
    let old = expired.signed_by(&key, &issuer).unwrap();
    let result = post(
        &agent(&ca, Some((&old.pem(), &key.serialize_pem()))),
        &heartbeat,
        None,
        body(),
    );
    assert!(
        result.is_err(),
        "an expired certificate was accepted: {result:?}"
    );
    let unlisted = params.signed_by(&key, &issuer).unwrap();
    let (status, answer) = post(
        &agent(&ca, Some((&unlisted.pem(), &key.serialize_pem()))),
        &heartbeat,
        None,
        body(),
    )
    .unwrap();
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (403, Some("terminal_not_enrolled"))
    );

    // An enrolled terminal works until it is revoked, then gets nothing, at once.
    let scratch = tempfile::tempdir().unwrap();
    assert_status(
        &enrol(
            &center,
            scratch.path(),
            &enrol_code(&db, "kiosk-r", "kiosk", &[]),
        ),
        0,
        "enrol",
    );
    let mine = agent_of(scratch.path());
    assert_eq!(post(&mine, &heartbeat, None, body()).unwrap().0, 200);
    assert_status(&db.sskiosk(&["device", "revoke", "kiosk-r"]), 0, "revoke");
    let (status, answer) = post(&mine, &heartbeat, None, body()).unwrap();
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (403, Some("terminal_not_enrolled"))
    );
    assert_status(
        &db.sskiosk(&["device", "revoke", "kiosk-r"]),
        1,
        "revoked twice",
    );
    assert_status(
        &db.sskiosk(&["device", "revoke", "no-such"]),
        4,
        "unknown terminal",
    );
}

#[test]
fn a_terminal_renews_its_certificate_over_the_current_one_and_the_old_one_keeps_working_until_it_expires(
) {
    let db = TestDb::sqlite();
    let center = Served::start(&db);
    let scratch = tempfile::tempdir().unwrap();
    assert_status(
        &enrol(
            &center,
            scratch.path(),
            &enrol_code(&db, "kiosk-n", "kiosk", &[]),
        ),
        0,
        "enrol",
    );
    let mut state = enrolled_state(scratch.path());
    let before = state.certificate_pem.clone();
    let old_key = state.key_pem.clone();
    let client = sskiosk::terminal::client::CenterClient::for_state(
        &state,
        std::time::Duration::from_secs(5),
    )
    .unwrap();
    // A fresh certificate is not due; forced, it is renewed with a new key.
    assert!(!sskiosk::terminal::enrol::renew_if_due(&mut state, &client, false).unwrap());
    assert!(sskiosk::terminal::enrol::renew_if_due(&mut state, &client, true).unwrap());
    let stored = enrolled_state(scratch.path());
    assert_ne!(stored.certificate_pem, before);
    assert_ne!(
        stored.key_pem, old_key,
        "a new key with the new certificate"
    );
    let renewed = sskiosk::terminal::client::CenterClient::for_state(
        &stored,
        std::time::Duration::from_secs(5),
    )
    .unwrap();
    let beat = sskiosk::protocol::Heartbeat {
        state: "ready".into(),
        reader: "r".into(),
    };
    assert!(renewed.heartbeat(&beat).is_ok());
    assert!(
        client.heartbeat(&beat).is_ok(),
        "the old certificate until its own expiry"
    );
    let mut conn = db.pool().get().unwrap();
    let renewals = sskiosk::audit::search(
        &mut conn,
        &sskiosk::audit::Filter {
            action: Some("terminal.renew".into()),
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(renewals.len(), 1);
    assert_eq!(renewals[0].actor, "terminal:kiosk-n");
    // After revocation, renewal buys nothing either.
    drop(conn);
    assert_status(&db.sskiosk(&["device", "revoke", "kiosk-n"]), 0, "revoke");
    let mut again = enrolled_state(scratch.path());
    assert!(sskiosk::terminal::enrol::renew_if_due(&mut again, &renewed, true).is_err());
}

/// The virtual card's answer to `challenge` (the test scheme, with the store's card id code).
fn card_answer(db: &TestDb, card_no: &str, challenge: &str) -> String {
    use diesel::prelude::*;
    use sskiosk::db::schema::cards;
    let mut conn = db.pool().get().unwrap();
    let code: String = cards::table
        .find(card_no)
        .select(cards::card_id_code)
        .first(&mut *conn)
        .unwrap();
    let id: [u8; 16] = hex::decode(code).unwrap().try_into().unwrap();
    let c: [u8; 8] = hex::decode(challenge).unwrap().try_into().unwrap();
    hex::encode(cryptogram(&card_key(&MASTER, &id), &c, INTERNAL_DOMAIN))
}

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
        let challenge = |who: &ureq::Agent| {
            let (status, c) = post(
                who,
                &url("/terminal/v1/card/challenge"),
                None,
                json!({"reader": "r"}),
            )
            .unwrap();
            assert_eq!(status, 200, "{c}");
            (
                c["id"].as_str().unwrap().to_string(),
                c["challenge"].as_str().unwrap().to_string(),
            )
        };
        let open = |who: &ureq::Agent, id: &str, answer: &str| {
            post(
                who,
                &url("/terminal/v1/card/session"),
                None,
                json!({
                    "reader": "r", "challenge_id": id, "answer": answer,
                    "card": {"ssn": LI, "card_no": "A12345678"}
                }),
            )
            .unwrap()
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
