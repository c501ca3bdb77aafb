//! `sskiosk serve` as a newcomer runs it: an empty store is created and filled with demo data,
//! the server answers on the port it printed, errors have one JSON shape, logs mask ID numbers.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db: &TestDb, demo_citizens: u32) -> Server {
        let mut child = db
            .command(&["serve"])
            .env("SSKIOSK__SERVER__BIND", "127.0.0.1:0")
            .env("SSKIOSK__SERVER__WORKERS", "1")
            .env(
                "SSKIOSK__DEMO__CITIZENS_ON_EMPTY_STORE",
                demo_citizens.to_string(),
            )
            .env("SSKIOSK__LOG__FILTER", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sskiosk serve");
        // The server prints its address once the listener is bound: wait on that, not on time.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.strip_prefix("sskiosk listening on ") {
                        break url.to_string();
                    }
                }
                _ => {
                    let mut err = String::new();
                    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
                    panic!("serve exited before listening:\n{err}");
                }
            }
        };
        Server { child, base }
    }

    fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let url = format!("{}{path}", self.base);
        actix_web::rt::System::new().block_on(async move {
            let client = awc::Client::default();
            let mut res = client.get(url).send().await.expect("request");
            let body = res.body().limit(8 << 20).await.expect("body");
            (
                res.status().as_u16(),
                serde_json::from_slice(&body).expect("JSON body"),
            )
        })
    }

    /// Stops the server (by its own PID) and returns what it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        let _ = self.child.stderr.take().unwrap().read_to_string(&mut err);
        err
    }
}

#[test]
fn a_first_start_creates_the_store_with_demo_data_and_answers_probes() {
    for db in TestDb::all() {
        let server = Server::start(&db, 25);
        assert_eq!(
            server.get("/healthz"),
            (200, serde_json::json!({"status": "ok"}))
        );
        assert_eq!(
            server.get("/readyz"),
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
    let server = Server::start(&db, 0);
    let (status, body) = server.get("/no/such/thing");
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].is_string());
    server.stop();
}

#[test]
fn the_openapi_document_lists_every_route() {
    let db = TestDb::sqlite();
    let server = Server::start(&db, 0);
    let (status, doc) = server.get("/api/openapi.json");
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
    let server = Server::start(&db, 5);
    // An ID-shaped path lands in the access log.
    let (status, _) = server.get("/records/440305198503150016");
    assert_eq!(status, 404);
    let log = server.stop();
    assert!(
        log.contains("4403**********0016"),
        "the access log shows the masked form:\n{log}"
    );
    assert!(!log.contains("440305198503150016"), "{log}");
}
