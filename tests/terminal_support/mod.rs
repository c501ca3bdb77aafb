//! Helpers of the terminal tests: TLS clients of the center's terminal port built from nothing
//! but a CA and an identity, certificate requests, and the virtual card's answer to a challenge.
#![allow(dead_code)]

use crate::common::*;
use serde_json::Value;
use sskiosk::card::security::{card_key, cryptogram, INTERNAL_DOMAIN};
use std::sync::Arc;

/// The default `card.test_master_key`.
const MASTER: [u8; 16] = *b"SSKIOSK-TEST-KEY";

/// A center whose terminal port is on a fixed free port (so it can come back on it).
pub fn center_on(db: &TestDb, port: u16) -> Served {
    let bind = format!("127.0.0.1:{port}");
    Served::start_with(db, &[("SSKIOSK__CENTER__TERMINAL_BIND", bind.as_str())])
}

pub fn ca_pem(db: &TestDb) -> String {
    std::fs::read_to_string(db.dir.path().join("data/center/ca.pem")).unwrap()
}

pub fn certs(pem: &str) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    sskiosk::center::ca::pem_certificates(pem).unwrap()
}

/// A TLS client of the terminal port trusting `ca` and presenting `identity` (chain, key).
pub fn agent(ca: &str, identity: Option<(&str, &str)>) -> ureq::Agent {
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
pub fn post(
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

pub fn get_json(agent: &ureq::Agent, url: &str, token: &str) -> (u16, Value) {
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

pub fn csr(is_ca: bool, padding: usize) -> (rcgen::KeyPair, String) {
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

pub fn secret(code: &str) -> String {
    code.rsplit_once('-').unwrap().0.to_string()
}

pub fn enrolled_state(dir: &std::path::Path) -> sskiosk::terminal::state::State {
    sskiosk::terminal::state::State::load(&dir.join("state")).unwrap()
}

pub fn agent_of(dir: &std::path::Path) -> ureq::Agent {
    let s = enrolled_state(dir);
    agent(&s.ca_pem, Some((&s.certificate_pem, &s.key_pem)))
}

/// The virtual card's answer to `challenge` (the test scheme, with the store's card id code).
pub fn card_answer(db: &TestDb, card_no: &str, challenge: &str) -> String {
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

/// A challenge of the center's terminal port for `who`: (id, challenge hex).
pub fn challenge(who: &ureq::Agent, port: &str) -> (String, String) {
    let (status, c) = post(
        who,
        &format!("{port}/terminal/v1/card/challenge"),
        None,
        serde_json::json!({"reader": "r"}),
    )
    .unwrap();
    assert_eq!(status, 200, "{c}");
    (
        c["id"].as_str().unwrap().to_string(),
        c["challenge"].as_str().unwrap().to_string(),
    )
}

/// `POST /terminal/v1/card/session` for the card (`ssn`, `card_no`) with `answer` to challenge `id`.
pub fn open_session(
    who: &ureq::Agent,
    port: &str,
    id: &str,
    answer: &str,
    (ssn, card_no): (&str, &str),
) -> (u16, Value) {
    post(
        who,
        &format!("{port}/terminal/v1/card/session"),
        None,
        serde_json::json!({
            "reader": "r", "challenge_id": id, "answer": answer,
            "card": {"ssn": ssn, "card_no": card_no}
        }),
    )
    .unwrap()
}
