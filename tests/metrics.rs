//! `GET /metrics` (issue 13): Prometheus text with the requests by route pattern (never a path's
//! values) and what the store holds, for the configured addresses only.

mod common;
mod http_support;

use common::*;
use http_support::{address, request};
use std::net::Ipv4Addr;

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
