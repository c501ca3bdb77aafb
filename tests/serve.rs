//! `sskiosk serve` as a newcomer runs it: an empty store is created and filled with demo data,
//! the server answers on the port it printed, errors have one JSON shape, logs mask ID numbers.

mod common;
use common::*;

#[test]
fn a_first_start_creates_the_store_with_demo_data_and_answers_probes() {
    for db in TestDb::all() {
        let server = Served::start_with(&db, &[("SSKIOSK__DEMO__CITIZENS_ON_EMPTY_STORE", "25")]);
        assert_eq!(
            server.json("/healthz"),
            (200, serde_json::json!({"status": "ok"}))
        );
        assert_eq!(
            server.json("/readyz"),
            (200, serde_json::json!({"status": "ready"}))
        );
        let log = server.stop();
        assert_eq!(
            count(&db, "persons"),
            25,
            "{}: demo citizens loaded",
            db.label
        );
        assert!(!log.is_empty());
    }
}

#[test]
fn unknown_routes_get_the_common_error_shape() {
    let db = TestDb::sqlite();
    let server = Served::start(&db);
    let (status, body) = server.json("/no/such/thing");
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].is_string());
    server.stop();
}

#[test]
fn the_openapi_document_lists_every_route() {
    let db = TestDb::sqlite();
    let server = Served::start(&db);
    let (status, doc) = server.json("/api/openapi.json");
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().expect("paths");
    for path in ["/healthz", "/readyz"] {
        assert!(paths.contains_key(path), "{path} missing from {paths:?}");
    }
    server.stop();
}

#[test]
fn logs_never_show_a_whole_id_number() {
    let db = TestDb::sqlite();
    let server = Served::start_with(
        &db,
        &[
            ("SSKIOSK__DEMO__CITIZENS_ON_EMPTY_STORE", "5"),
            ("SSKIOSK__LOG__FILTER", "info"),
        ],
    );
    // An ID-shaped path lands in the access log.
    let (status, _) = server.json("/records/440305198503150016");
    assert_eq!(status, 404);
    let log = server.stop();
    assert!(
        log.contains("4403**********0016"),
        "the access log shows the masked form:\n{log}"
    );
    assert!(!log.contains("440305198503150016"), "{log}");
}
