//! The supervisor's worklist over HTTP, on every backend: the demo's planted cases after a check
//! run, a case page with its evidence, open → under review → confirmed (and cleared), each change
//! audited with the supervisor's name, the CSV export, the figures, and the clerk's banner.

mod common;
mod staff_support;
use common::*;
use serde_json::json;
use staff_support::*;

#[test]
fn a_supervisor_works_a_case_through_and_the_clerk_sees_only_a_banner() {
    for db in TestDb::all() {
        add_the_three(&db);
        assert_status(&db.sskiosk(&["demo-data", "--citizens", "120"]), 0, "demo");
        assert_status(&db.sskiosk(&["checks", "run"]), 0, "checks run");
        let server = Served::start(&db);
        let sam = Client::login(&server.base, "sam");
        let clara = Client::login(&server.base, "clara");

        let (status, list) = sam.get("/api/staff/cases?sort=amount");
        assert_eq!(status, 200, "{list}");
        let list = list.as_array().unwrap().clone();
        assert!(
            list.len() >= 2,
            "{}: the demo plants cases: {list:?}",
            db.label
        );
        let amounts: Vec<i64> = list
            .iter()
            .map(|c| {
                sskiosk::domain::Fen::parse_yuan(c["amount_at_risk"].as_str().unwrap())
                    .unwrap()
                    .0
            })
            .collect();
        assert!(
            amounts.windows(2).all(|w| w[0] >= w[1]),
            "largest first: {amounts:?}"
        );
        let first = &list[0];
        let (id, ssn) = (
            first["id"].as_i64().unwrap(),
            first["ssn"].as_str().unwrap().to_string(),
        );

        let (status, case) = sam.get(&format!("/api/staff/cases/{id}"));
        assert_eq!(status, 200);
        assert_eq!(case["state"], "open");
        let evidence = case["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty());
        assert!(
            evidence
                .iter()
                .all(|e| e["source"] == "demo" && e["imported_at"].is_string()),
            "{case}"
        );

        // The clerk: a banner without case numbers; the supervisor: with them.
        let (status, answer) = clara.post(
            "/api/staff/lookup",
            json!({"purpose": "citizen_request", "ssn": ssn}),
        );
        assert_eq!(status, 200, "{answer}");
        assert!(answer["fund_safety"]["message_zh"].is_string(), "{answer}");
        assert_eq!(answer["fund_safety"]["case_ids"], json!([]));
        let (_, answer) = sam.post(
            "/api/staff/lookup",
            json!({"purpose": "benefit_review", "ssn": ssn}),
        );
        assert!(answer["fund_safety"]["case_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(id)));
        // The clerk cannot open the case.
        let (status, _) = clara.get(&format!("/api/staff/cases/{id}"));
        assert_eq!(status, 403);

        let path = format!("/api/staff/cases/{id}/state");
        let (status, answer) = sam.post(
            &path,
            json!({"action": "confirm", "amount": "10", "note": "x"}),
        );
        assert_eq!(
            (status, code(&answer)),
            (409, "case_state"),
            "confirm needs a review first"
        );
        let (status, answer) = sam.post(&path, json!({"action": "review", "note": ""}));
        assert_eq!(
            (status, code(&answer)),
            (422, "invalid_input"),
            "a review says what was asked"
        );
        let (status, case) = sam.post(
            &path,
            json!({"action": "review", "note": "暂停发放，待核实"}),
        );
        assert_eq!(
            (status, case["state"].as_str()),
            (200, Some("under_review")),
            "{case}"
        );
        let (status, case) = sam.post(
            &path,
            json!({"action": "confirm", "amount": "1200.50", "note": "经办条例第四十六条"}),
        );
        assert_eq!(status, 200, "{case}");
        assert_eq!(case["state"], "confirmed");
        assert_eq!(case["recover_amount"], "1200.50");
        assert_eq!(case["updated_by"], "staff:sam");
        let (status, _) = sam.post(&path, json!({"action": "recovered", "amount": "600"}));
        assert_eq!(status, 200);

        // A second case is cleared with its reason.
        let other = list[1]["id"].as_i64().unwrap();
        let (status, case) = sam.post(
            &format!("/api/staff/cases/{other}/state"),
            json!({"action": "clear", "reason": "x"}),
        );
        assert_eq!(status, 400, "unknown field: {case}");
        let (status, case) = sam.post(
            &format!("/api/staff/cases/{other}/state"),
            json!({"action": "clear", "note": "已核实为数据录入错误"}),
        );
        assert_eq!((status, case["state"].as_str()), (200, Some("cleared")));

        for action in [
            "case.review",
            "case.confirm",
            "case.recovered",
            "case.clear",
            "case.view",
        ] {
            let entries = audit(&db, action);
            assert!(
                entries.iter().any(|e| e.actor == "staff:sam"),
                "{}: {action} audited",
                db.label
            );
        }

        let (status, csv) = sam.get("/api/staff/cases/export.csv");
        assert_eq!(status, 200);
        let csv = csv.as_str().unwrap().to_string();
        assert!(csv.starts_with("case_id,rule,ssn,"), "{csv}");
        assert_eq!(csv.lines().count(), 2, "only the confirmed case: {csv}");
        assert!(csv.contains("1200.50") && csv.contains("600.00") && csv.contains(&ssn));

        let (status, figures) = sam.get("/api/staff/cases/figures");
        assert_eq!(status, 200);
        let total: u64 = figures
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["confirmed"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 1);
        let (_, pending) = sam.get("/api/staff/cases");
        assert_eq!(
            pending.as_array().unwrap().len(),
            list.len() - 2,
            "the decided ones leave the worklist"
        );
        server.stop();
    }
}
