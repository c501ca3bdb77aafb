//! The authorization matrix: every staff endpoint the OpenAPI document lists is called as
//! anonymous, clerk, supervisor and admin. Anonymous gets 401; a role below the endpoint's gets
//! 403 `role_required`; the roles at or above it get past the guard (whatever the handler then
//! says about the deliberately empty request). A new endpoint missing from the table below
//! fails the test, so the matrix stays complete.

mod common;
mod staff_support;
use common::*;
use serde_json::json;
use staff_support::*;
use std::collections::BTreeMap;

/// The lowest role of each endpoint (issue 6: clerk ⊂ supervisor ⊂ admin).
fn expected() -> BTreeMap<(&'static str, &'static str), &'static str> {
    BTreeMap::from([
        (("post", "/api/staff/logout"), "clerk"),
        (("get", "/api/staff/session"), "clerk"),
        (("post", "/api/staff/password"), "clerk"),
        (("post", "/api/staff/lookup"), "clerk"),
        (("post", "/api/staff/certificates"), "clerk"),
        (("post", "/api/staff/certificates/{serial}/print"), "clerk"),
        (("get", "/api/staff/print-jobs/{id}"), "clerk"),
        (("post", "/api/staff/cards/{card_no}/status"), "clerk"),
        (("post", "/api/staff/eligibility"), "clerk"),
        (
            ("post", "/api/staff/certificates/{serial}/revoke"),
            "supervisor",
        ),
        (("get", "/api/staff/audit"), "supervisor"),
        (("get", "/api/staff/audit/export.csv"), "supervisor"),
        (
            ("post", "/api/staff/accounts/{username}/unlock"),
            "supervisor",
        ),
        (("get", "/api/staff/accounts"), "admin"),
        (("post", "/api/staff/accounts"), "admin"),
        (("post", "/api/staff/accounts/{username}/role"), "admin"),
        (("post", "/api/staff/accounts/{username}/disabled"), "admin"),
        (("post", "/api/staff/accounts/{username}/password"), "admin"),
        (("get", "/api/staff/devices"), "admin"),
        (("post", "/api/staff/devices/{name}"), "admin"),
        (("get", "/api/staff/terminals"), "admin"),
        (("post", "/api/staff/terminals"), "admin"),
        (("post", "/api/staff/terminals/{name}/revoke"), "admin"),
        (("post", "/api/staff/imports"), "admin"),
        (("get", "/api/staff/print-jobs"), "supervisor"),
        (("post", "/api/staff/print-jobs/{id}/retry"), "supervisor"),
        (("post", "/api/staff/print-jobs/{id}/cancel"), "supervisor"),
        (
            ("post", "/api/staff/print-jobs/{id}/redirect"),
            "supervisor",
        ),
        (("get", "/api/staff/cases"), "supervisor"),
        (("get", "/api/staff/cases/figures"), "supervisor"),
        (("get", "/api/staff/cases/export.csv"), "supervisor"),
        (("get", "/api/staff/cases/{id}"), "supervisor"),
        (("post", "/api/staff/cases/{id}/state"), "supervisor"),
        (("get", "/api/staff/hall/panel"), "clerk"),
        (("post", "/api/staff/hall/call"), "clerk"),
        (("post", "/api/staff/hall/tickets"), "clerk"),
        (("get", "/api/staff/hall/record"), "clerk"),
        (("post", "/api/staff/hall/tickets/{id}/act"), "clerk"),
        (("post", "/api/staff/hall/tickets/{id}/transfer"), "clerk"),
        (("post", "/api/staff/hall/tickets/{id}/reactivate"), "clerk"),
        (("get", "/api/staff/hall/cases"), "supervisor"),
        (("post", "/api/staff/hall/cases/{id}/close"), "supervisor"),
        (("post", "/api/staff/hall/cases/{id}/appeal"), "clerk"),
        (
            ("post", "/api/staff/hall/cases/{id}/decision"),
            "supervisor",
        ),
        (("get", "/api/staff/hall/figures"), "supervisor"),
        (("get", "/api/staff/hall/figures.csv"), "supervisor"),
    ])
}

const ROLES: [&str; 3] = ["clerk", "supervisor", "admin"];

fn concrete(path: &str) -> String {
    path.replace("{serial}", "NO-SUCH-SERIAL")
        .replace("{id}", "999999")
        .replace("{card_no}", "NOSUCHCARD")
        .replace("{username}", "nobody")
        .replace("{name}", "no-such-device")
}

#[test]
fn every_staff_endpoint_admits_exactly_the_roles_of_the_matrix() {
    for db in TestDb::all() {
        add_the_three(&db);
        let server = Served::start(&db);
        let (status, doc) = server.json("/api/openapi.json");
        assert_eq!(status, 200);
        let mut listed = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            if !path.starts_with("/api/staff/") || path == "/api/staff/login" {
                continue;
            }
            for method in item.as_object().unwrap().keys() {
                listed.push((method.clone(), path.clone()));
            }
        }
        let table = expected();
        let in_table: Vec<(String, String)> = table
            .keys()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        listed.sort();
        let mut sorted_table = in_table.clone();
        sorted_table.sort();
        assert_eq!(
            listed, sorted_table,
            "the OpenAPI document and the matrix disagree"
        );

        let login = |role: &str| match role {
            "clerk" => Client::login(&server.base, "clara"),
            "supervisor" => Client::login(&server.base, "sam"),
            _ => Client::login(&server.base, "ada"),
        };
        let mut sessions: BTreeMap<&str, Client> = ROLES.iter().map(|r| (*r, login(r))).collect();
        for ((method, path), lowest) in &table {
            let url = concrete(path);
            let body = (*method == "post").then(|| json!({}));
            let method_upper = method.to_uppercase();
            let (status, answer, _) =
                Client::anonymous(&server.base).send(&method_upper, &url, body.clone());
            assert_eq!(
                status, 401,
                "{}: anonymous {method} {path}: {answer}",
                db.label
            );
            assert_eq!(code(&answer), "not_signed_in");
            let lowest_rank = ROLES.iter().position(|r| r == lowest).unwrap();
            for (rank, role) in ROLES.iter().enumerate() {
                let client = sessions[role].clone();
                let (status, answer, _) = client.send(&method_upper, &url, body.clone());
                if rank < lowest_rank {
                    assert_eq!(
                        (status, code(&answer)),
                        (403, "role_required"),
                        "{}: {role} {method} {path}",
                        db.label
                    );
                } else {
                    assert!(
                        status != 401 && status != 403,
                        "{}: {role} may {method} {path}, got {status} {answer}",
                        db.label
                    );
                }
                if *path == "/api/staff/logout" && status == 204 {
                    sessions.insert(role, login(role));
                }
            }
        }
        // Refusals for a too-low role are audited.
        let denied = audit(&db, "staff.denied");
        assert!(denied.iter().any(
            |e| e.actor == "staff:clara" && e.detail.as_deref() == Some("GET /api/staff/audit")
        ));
        server.stop();
    }
}
