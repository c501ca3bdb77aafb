//! An admin's printer must be one of the office's printers (issue 13, review D14): any other
//! host is refused before any node connects to it, and the refusal says nothing about that host.

mod common;
mod staff_support;

use common::*;
use serde_json::json;
use staff_support::*;

#[test]
fn a_printer_outside_the_allow_list_is_refused_and_changes_nothing() {
    let db = TestDb::sqlite();
    add_staff(&db, "ada", "admin");
    let server = Served::start_with(&db, &[("SSKIOSK__DEVICE__NAME", "node-a")]);
    let ada = Client::login(&server.base, "ada");
    let probe = json!({"in_service": true, "note": "", "printer_uri": "ipp://10.255.0.1:18998/internal/probe"});
    let (status, body) = ada.post("/api/staff/devices/node-a", probe);
    assert_eq!(
        (status, code(&body)),
        (422, "printer_not_allowed"),
        "{body}"
    );
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        !message.contains("refused") && !message.contains("os error"),
        "{message}"
    );
    assert!(audit(&db, "device.update").is_empty());

    let allowed =
        json!({"in_service": true, "note": "", "printer_uri": "ipp://127.0.0.1:9/ipp/print"});
    let (status, body) = ada.post("/api/staff/devices/node-a", allowed);
    assert_eq!(status, 200, "{body}");
}
