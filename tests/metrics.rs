//! `GET /metrics` (issue 13): Prometheus text with the requests by route pattern (never a path's
//! values) and what the store holds, for the configured addresses only.

mod common;
mod http_support;
mod terminal_support;

use common::terminal::{enrol, enrol_code};
use common::*;
use http_support::{address, request};
use serde_json::json;
use std::net::Ipv4Addr;
use terminal_support::{agent_of, card_answer, challenge, open_session};

const LI: &str = "440305198503150016";
const LI_CARD: &str = "A12345678";

/// The value of the series `name` (with its labels, exactly as printed) in a scrape; 0 when the
/// series is absent (a counter not yet moved).
fn value(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

#[test]
fn metrics_count_requests_by_route_and_answer_only_configured_addresses() {
    let db = TestDb::sqlite();
    let server = Served::start(&db);
    for _ in 0..2 {
        assert_eq!(server.get("/healthz").0, 200);
    }
    assert_eq!(server.get("/api/verify/20261201-ABCD0001").0, 200);
    let (status, text) = server.get("/metrics");
    assert_eq!(status, 200, "{text}");
    for line in [
        "sskiosk_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2",
        "sskiosk_http_request_duration_seconds_count{route=\"/healthz\"} 2",
        "sskiosk_http_requests_total{route=\"/api/verify/{serial}\",method=\"GET\",status=\"200\"} 1",
        "sskiosk_staff_sessions 0",
        "sskiosk_db_pool_connections{state=\"idle\"}",
        "sskiosk_import_rows_total{outcome=\"taken\"} 0",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    assert!(
        !text.contains("ABCD0001"),
        "a path's values never become labels"
    );

    let to = address(&server.base);
    let head = format!("GET /metrics HTTP/1.1\r\nHost: {to}");
    let other = request(to, Ipv4Addr::new(127, 0, 0, 2), &head, "");
    assert_eq!(other.status, 404, "not a configured address");
}

#[test]
fn metrics_are_off_when_no_address_is_configured() {
    let db = TestDb::sqlite();
    let server = Served::start_with(&db, &[("SSKIOSK__HTTP__METRICS_CLIENTS", "[]")]);
    assert_eq!(server.get("/metrics").0, 404);
}

/// Card proofs on the terminal port move the card counters by outcome; every audit append the
/// center makes meanwhile is timed once and counted as a commit of one entry.
#[test]
fn card_proofs_and_audit_appends_move_their_metrics() {
    for db in TestDb::all() {
        load_fixtures(&db);
        let center = Served::start(&db);
        let port = center.terminal_port.clone().unwrap();
        let kiosk = tempfile::tempdir().unwrap();
        let code = enrol_code(&db, "kiosk-m", "kiosk", &[]);
        assert_status(&enrol(&center, kiosk.path(), &code), 0, "terminal enrol");
        let agent = agent_of(kiosk.path());
        let challenge = || challenge(&agent, &port);
        let open = |id: &str, answer: &str| open_session(&agent, &port, id, answer, (LI, LI_CARD));
        let (_, before) = center.get("/metrics");

        let (id, c) = challenge();
        let (status, body) = open(&id, &card_answer(&db, LI_CARD, &c));
        assert_eq!(
            (status, &body["outcome"]),
            (200, &json!("opened")),
            "{body}"
        );
        let (status, body) = open(&id, &card_answer(&db, LI_CARD, &c));
        assert_eq!(status, 403, "a replayed answer: {body}");
        let (id, _) = challenge();
        let (status, body) = open(&id, &"00".repeat(16));
        assert_eq!(body["reason"], json!("not_genuine"), "{status} {body}");

        let (status, after) = center.get("/metrics");
        assert_eq!(status, 200, "{after}");
        let moved = |name: &str| value(&after, name) - value(&before, name);
        assert_eq!(moved("sskiosk_card_reads_total"), 3.0, "{after}");
        assert_eq!(
            moved("sskiosk_card_read_refusals_total{reason=\"not_genuine\"}"),
            1.0,
            "{after}"
        );
        assert_eq!(
            moved("sskiosk_card_read_refusals_total{reason=\"challenge_unknown\"}"),
            1.0,
            "{after}"
        );
        // The refused proofs are audited (card.proof, denied): the appends of this process are
        // exactly the entries the chain grew by.
        let entries = moved("sskiosk_audit_entries");
        assert!(entries >= 2.0, "two refused proofs audited: {after}");
        assert_eq!(
            moved("sskiosk_audit_append_seconds_count"),
            entries,
            "{after}"
        );
        assert_eq!(
            moved("sskiosk_audit_append_batch_entries_count"),
            entries,
            "{after}"
        );
        assert_eq!(
            value(&after, "sskiosk_audit_append_seconds_bucket{le=\"+Inf\"}"),
            value(&after, "sskiosk_audit_append_seconds_count"),
        );
        assert!(value(&after, "sskiosk_audit_append_seconds_sum") > 0.0);
    }
}
