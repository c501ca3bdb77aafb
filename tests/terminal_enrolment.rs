//! Terminal enrolment and certificates (issue 10): a real center (`sskiosk serve`) and real
//! `sskiosk terminal enrol` runs over real mutual TLS, on SQLite and PostgreSQL — reused,
//! expired, guessed and mispinned codes, requests for a CA certificate, oversized requests,
//! certificates that get nothing (none, self-made, another CA's, expired, unlisted, revoked), a
//! center answering with another CA, and renewal.

mod common;
mod terminal_support;

use common::terminal::{enrol, enrol_code};
use common::*;
use serde_json::json;
use terminal_support::*;

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
