//! `log.format = "json"`: every line the server logs is one JSON object, and ID numbers are
//! masked in it as in the text format (issue 13).

mod common;
use common::*;

#[test]
fn json_log_lines_parse_and_mask_id_numbers() {
    let db = TestDb::sqlite();
    let server = Served::start_with(
        &db,
        &[
            ("SSKIOSK__LOG__FORMAT", "json"),
            ("SSKIOSK__LOG__FILTER", "info"),
        ],
    );
    let (status, _) = server.get("/api/verify/110101198506150019");
    assert_eq!(status, 200);
    let log = server.stop();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(lines
        .iter()
        .all(|l| l["level"].is_string() && l["time"].is_string()));
    let access = lines
        .iter()
        .find(|l| l["message"].as_str().unwrap_or("").contains("/api/verify/"))
        .unwrap_or_else(|| panic!("no access line in {log}"));
    assert!(access["message"]
        .as_str()
        .unwrap()
        .contains("1101**********0019"));
    assert!(!log.contains("110101198506150019"));
}
