//! The window's use cases through the real server on SQLite and PostgreSQL: lookups with a
//! purpose (and their refusals) all audited; certificate issue + print, card loss reports and
//! eligibility certifications each acting once however often they are sent; revocation by
//! supervisors only; the audit search; and an intact hash chain at the end.

mod common;
mod staff_support;
use common::*;
use serde_json::{json, Value};
use staff_support::*;

fn setup(db: &TestDb, env: &[(&str, &str)]) -> Served {
    load_fixtures(db);
    add_the_three(db);
    Served::start_with(db, env)
}

fn lookup(c: &Client, body: Value) -> (u16, Value) {
    c.post("/api/staff/lookup", body)
}

fn chain_is_intact(db: &TestDb) {
    assert_status(&db.sskiosk(&["audit", "verify"]), 0, "audit verify");
}

#[test]
fn a_lookup_shows_the_record_and_is_audited_with_the_clerk_and_the_purpose() {
    for db in TestDb::all() {
        let server = setup(&db, &[]);
        let clara = Client::login(&server.base, "clara");
        let (status, found) = lookup(&clara, json!({"purpose": "certificate", "ssn": LI}));
        assert_eq!(status, 200, "{}: {found}", db.label);
        assert_eq!(found["record"]["person"]["name"], "李建国");
        assert!(found["certificates"].is_array());
        let views = audit(&db, "record.view");
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].actor, "staff:clara");
        assert_eq!(views[0].subject_ssn.as_deref(), Some(LI));
        assert_eq!(views[0].purpose.as_deref(), Some("certificate"));
        assert_eq!(views[0].result, "ok");

        let (status, by_name) = lookup(
            &clara,
            json!({"purpose": "other", "purpose_text": "本人来电", "name": "王秀英", "birth_date": "1949-12-31"}),
        );
        assert_eq!(status, 200, "{by_name}");
        assert_eq!(by_name["record"]["person"]["ssn"], WANG);
        assert_eq!(
            audit(&db, "record.view")[0].purpose.as_deref(),
            Some("other: 本人来电")
        );
        chain_is_intact(&db);
        server.stop();
    }
}

#[test]
fn bad_lookups_are_refused_with_a_code_and_audited_without_showing_data() {
    for db in TestDb::all() {
        let server = setup(&db, &[]);
        let clara = Client::login(&server.base, "clara");
        let wrong_check = "440305198503150017";
        let (status, body) = lookup(
            &clara,
            json!({"purpose": "certificate", "ssn": wrong_check}),
        );
        assert_eq!(
            (status, code(&body)),
            (422, "invalid_ssn"),
            "{}: {body}",
            db.label
        );
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("check character"));
        let refused = audit(&db, "record.view");
        assert_eq!(refused.len(), 1);
        assert_eq!(
            (
                refused[0].result.as_str(),
                refused[0].subject_ssn.as_deref()
            ),
            ("refused", None)
        );

        for ssn in ["' OR 1=1 --", "44030519850315001'; DROP TABLE persons; --"] {
            let (status, body) = lookup(&clara, json!({"purpose": "certificate", "ssn": ssn}));
            assert_eq!((status, code(&body)), (422, "invalid_ssn"), "{ssn}");
        }
        let (status, body) = lookup(
            &clara,
            json!({"purpose": "certificate", "ssn": "1".repeat(5000)}),
        );
        assert_eq!((status, code(&body)), (422, "invalid_input"), "{body}");
        let (status, body) = lookup(&clara, json!({"ssn": LI}));
        assert_eq!(
            (status, code(&body)),
            (400, "invalid_json"),
            "purpose is required"
        );
        let (status, body) = lookup(&clara, json!({"purpose": "other", "ssn": LI}));
        assert_eq!(
            (status, code(&body)),
            (422, "invalid_input"),
            "other needs a text"
        );
        let (status, body) = lookup(
            &clara,
            json!({"purpose": "certificate", "ssn": LI, "name": "李建国", "birth_date": "1985-03-15"}),
        );
        assert_eq!(
            (status, code(&body)),
            (422, "invalid_input"),
            "one way only"
        );
        let (status, body) = lookup(
            &clara,
            json!({"purpose": "certificate", "name": "' OR ''='", "birth_date": "1985-03-15"}),
        );
        assert_eq!((status, code(&body)), (404, "not_found"), "{body}");

        let unknown = "110101199001010015";
        let (status, _) = lookup(
            &clara,
            json!({"purpose": "citizen_request", "ssn": unknown}),
        );
        assert_eq!(status, 404);
        assert_eq!(audit(&db, "record.view")[0].result, "not_found");
        assert_eq!(count(&db, "persons"), 3, "nothing dropped");
        chain_is_intact(&db);
        server.stop();
    }
}

#[test]
fn issuing_and_printing_at_the_window_acts_once_per_key_and_all_or_nothing() {
    for db in TestDb::all() {
        let prints = db.dir.path().join("window-prints");
        let printer = format!("file://{}", prints.display());
        let server = setup(
            &db,
            &[
                ("SSKIOSK__WINDOW__PRINTER_URI", printer.as_str()),
                ("SSKIOSK__PRINT__MONTHLY_LIMIT_PER_CITIZEN", "1"),
            ],
        );
        let clara = Client::login(&server.base, "clara");
        let request = json!({"ssn": LI, "kind": "contribution", "print": true, "idempotency_key": "double-click-1"});
        // A double click: both requests at once.
        let (a, b) = std::thread::scope(|s| {
            let first = s.spawn(|| clara.post("/api/staff/certificates", request.clone()));
            let second = s.spawn(|| clara.post("/api/staff/certificates", request.clone()));
            (first.join().unwrap(), second.join().unwrap())
        });
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 201], "{}: {a:?} {b:?}", db.label);
        assert_eq!(a.1["serial"], b.1["serial"], "the same certificate");
        assert!(a.1["print_job"].is_i64());
        assert_eq!(count(&db, "certificates"), 1, "{}", db.label);
        assert_eq!(count(&db, "print_jobs"), 1);
        assert_eq!(audit(&db, "certificate.issue").len(), 1);
        assert_eq!(audit(&db, "certificate.print").len(), 1);
        let job = a.1["print_job"].as_i64().unwrap();
        let (status, state) = clara.get(&format!("/api/staff/print-jobs/{job}"));
        assert_eq!(status, 200);
        assert_eq!(state["state"], "queued", "the worker is off in tests");

        // Over the monthly limit: nothing of the second certificate remains.
        let (status, body) = clara.post(
            "/api/staff/certificates",
            json!({"ssn": LI, "kind": "contribution", "print": true, "idempotency_key": "second-visit-1"}),
        );
        assert_eq!(
            (status, code(&body)),
            (409, "print_limit_reached"),
            "{body}"
        );
        assert_eq!(count(&db, "certificates"), 1, "{}: rolled back", db.label);
        assert_eq!(audit(&db, "certificate.issue").len(), 1);
        // The key of a failed action is free again.
        assert_eq!(count(&db, "window_requests"), 1);
        // The window serves the person the kiosk sent: the limit overridden with a reason,
        // audited; without a real reason it is refused and nothing changes.
        let (status, body) = clara.post(
            "/api/staff/certificates",
            json!({"ssn": LI, "kind": "contribution", "print": true,
                   "idempotency_key": "second-visit-2", "limit_override_reason": "  "}),
        );
        assert_eq!((status, code(&body)), (422, "invalid_input"), "{body}");
        assert_eq!(count(&db, "certificates"), 1);
        let (status, body) = clara.post(
            "/api/staff/certificates",
            json!({"ssn": LI, "kind": "contribution", "print": true,
                   "idempotency_key": "second-visit-3", "limit_override_reason": "自助机已达上限，本人急需"}),
        );
        assert_eq!(status, 201, "{body}");
        assert!(body["print_job"].is_i64());
        assert_eq!(count(&db, "certificates"), 2, "{}", db.label);
        let overrides = audit(&db, "print.limit_override");
        assert_eq!(overrides.len(), 1, "{overrides:?}");
        assert!(format!("{overrides:?}").contains("自助机已达上限"));

        let sam = Client::login(&server.base, "sam");
        let (status, body) = sam.post(
            "/api/staff/certificates",
            json!({"ssn": LI, "kind": "contribution", "idempotency_key": "double-click-1"}),
        );
        assert_eq!((status, code(&body)), (409, "idempotency_key_reused"));
        let (status, body) = clara.post(
            "/api/staff/certificates",
            json!({"ssn": LI, "kind": "pension", "idempotency_key": "x"}),
        );
        assert_eq!((status, code(&body)), (422, "invalid_input"), "{body}");
        chain_is_intact(&db);
        server.stop();
    }
}

#[test]
fn card_loss_reports_act_once_and_a_lost_card_cannot_be_released() {
    for db in TestDb::all() {
        let server = setup(&db, &[]);
        let clara = Client::login(&server.base, "clara");
        let path = format!("/api/staff/cards/{LI_CARD}/status");
        let status_of = || {
            use diesel::prelude::*;
            use sskiosk::db::schema::cards;
            let mut conn = db.pool().get().unwrap();
            cards::table
                .find(LI_CARD)
                .select(cards::status)
                .first::<String>(&mut *conn)
                .unwrap()
        };
        let (s, first) = clara.post(&path, json!({"action": "temp_loss"}));
        assert_eq!((s, first["changed"].as_bool()), (200, Some(true)));
        let (s, again) = clara.post(&path, json!({"action": "temp_loss"}));
        assert_eq!((s, again["changed"].as_bool()), (200, Some(false)));
        assert_eq!(status_of(), "temp_lost");
        assert_eq!(audit(&db, "card.temp_loss").len(), 1, "{}", db.label);
        assert_eq!(
            clara.post(&path, json!({"action": "release"})).1["status"],
            "active"
        );
        assert_eq!(
            clara.post(&path, json!({"action": "lost"})).1["status"],
            "lost"
        );
        let (s, body) = clara.post(&path, json!({"action": "release"}));
        assert_eq!((s, code(&body)), (409, "conflict"), "{body}");
        assert_eq!(
            status_of(),
            "lost",
            "what the kiosk reads to refuse the card"
        );
        let (s, _) = clara.post("/api/staff/cards/NOSUCH/status", json!({"action": "lost"}));
        assert_eq!(s, 404);
        let (s, body) = clara.post(
            "/api/staff/cards/'%20OR%201=1/status",
            json!({"action": "lost"}),
        );
        assert_eq!((s, code(&body)), (422, "invalid_input"));
        let card_audit = audit(&db, "card.");
        assert_eq!(card_audit.len(), 3);
        assert!(card_audit
            .iter()
            .all(|e| e.subject_ssn.as_deref() == Some(LI)));
        chain_is_intact(&db);
        server.stop();
    }
}

#[test]
fn an_eligibility_certification_is_recorded_once_per_year() {
    for db in TestDb::all() {
        let server = setup(&db, &[]);
        let clara = Client::login(&server.base, "clara");
        let body = json!({"ssn": WANG, "year": 2026, "method": "in_person"});
        let (s, first) = clara.post("/api/staff/eligibility", body.clone());
        assert_eq!(s, 201, "{}: {first}", db.label);
        assert_eq!(first["certification"]["staff_username"], "clara");
        let (s, second) = clara.post(
            "/api/staff/eligibility",
            json!({"ssn": WANG, "year": 2026, "method": "home_visit"}),
        );
        assert_eq!((s, second["created"].as_bool()), (200, Some(false)));
        assert_eq!(
            second["certification"]["method"], "in_person",
            "the first stays"
        );
        assert_eq!(count(&db, "eligibility_certifications"), 1);
        assert_eq!(audit(&db, "eligibility.certify").len(), 1);
        let (s, body) = clara.post(
            "/api/staff/eligibility",
            json!({"ssn": WANG, "year": 1900, "method": "in_person"}),
        );
        assert_eq!((s, code(&body)), (422, "invalid_input"));
        let (s, body) = clara.post(
            "/api/staff/eligibility",
            json!({"ssn": "11010519491231002Y", "year": 2026, "method": "in_person"}),
        );
        assert_eq!((s, code(&body)), (422, "invalid_ssn"));
        let (_, found) = lookup(&clara, json!({"purpose": "benefit_review", "ssn": WANG}));
        assert_eq!(found["eligibility"][0]["year"], 2026);
        server.stop();
    }
}

#[test]
fn only_a_supervisor_revokes_and_the_audit_search_shows_who_did_what() {
    for db in TestDb::all() {
        let server = setup(&db, &[]);
        let clara = Client::login(&server.base, "clara");
        let (s, issued) = clara.post(
            "/api/staff/certificates",
            json!({"ssn": LI, "kind": "contribution", "idempotency_key": "revoke-me-1"}),
        );
        assert_eq!(s, 201, "{issued}");
        let serial = issued["serial"].as_str().unwrap().to_string();
        let path = format!("/api/staff/certificates/{serial}/revoke");
        let (s, body) = clara.post(&path, json!({"reason": "wrong person"}));
        assert_eq!((s, code(&body)), (403, "role_required"));
        let sam = Client::login(&server.base, "sam");
        let (s, body) = sam.post(&path, json!({"reason": "  "}));
        assert_eq!((s, code(&body)), (422, "invalid_input"));
        let (s, body) = sam.post(&path, json!({"reason": "issued for the wrong months"}));
        assert_eq!(
            (s, body["changed"].as_bool()),
            (200, Some(true)),
            "{}: {body}",
            db.label
        );
        let (s, body) = sam.post(&path, json!({"reason": "again"}));
        assert_eq!((s, body["changed"].as_bool()), (200, Some(false)));
        let (_, verdict) = server.json(&format!("/api/verify/{serial}"));
        assert_eq!(verdict["verdict"]["status"], "revoked", "{verdict}");
        let (s, body) = clara.post(
            &format!("/api/staff/certificates/{serial}/print"),
            json!({"idempotency_key": "print-revoked"}),
        );
        assert_eq!((s, code(&body)), (409, "conflict"), "{body}");

        let (s, page) = sam.get(&format!("/api/staff/audit?subject_ssn={LI}"));
        assert_eq!(s, 200, "{page}");
        let entries = page["entries"].as_array().unwrap();
        let actions: Vec<&str> = entries
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(actions.contains(&"certificate.issue"), "{actions:?}");
        assert!(actions.contains(&"certificate.revoke"));
        assert!(entries
            .iter()
            .any(|e| e["actor"] == "staff:sam" && e["action"] == "certificate.revoke"));
        assert_eq!(
            audit(&db, "audit.search").len(),
            1,
            "searching by citizen is audited"
        );
        let (s, body) = sam.get("/api/staff/audit?subject_ssn=123");
        assert_eq!((s, code(&body)), (422, "invalid_ssn"));
        let (s, body) = sam.get("/api/staff/audit?limit=abc");
        assert_eq!((s, code(&body)), (400, "invalid_query"));
        let (s, page) = sam.get("/api/staff/audit?actor=staff:&action=certificate.&limit=1");
        assert_eq!((s, page["entries"].as_array().unwrap().len()), (200, 1));
        chain_is_intact(&db);
        server.stop();
    }
}

#[test]
fn admins_manage_accounts_and_every_change_is_audited() {
    for db in TestDb::all() {
        let server = setup(&db, &[]);
        let ada = Client::login(&server.base, "ada");
        let (s, created) = ada.post(
            "/api/staff/accounts",
            json!({"username": "bo", "display_name": "柜员 薄", "window_no": "5", "role": "clerk", "password": PASSWORD}),
        );
        assert_eq!(s, 201, "{}: {created}", db.label);
        let bo = Client::login(&server.base, "bo");
        // An account an admin created starts with a temporary password (tests/staff_password.rs).
        let (s, body) = bo.post(
            "/api/staff/password",
            json!({"current_password": PASSWORD, "new_password": "bo-own-password-1"}),
        );
        assert_eq!(s, 204, "{}: {body}", db.label);
        let (s, body) = ada.post(
            "/api/staff/accounts",
            json!({"username": "bo", "display_name": "x", "role": "clerk", "password": PASSWORD}),
        );
        assert_eq!((s, code(&body)), (409, "username_taken"));
        let (s, body) = ada.post(
            "/api/staff/accounts",
            json!({"username": "bad name;", "display_name": "x", "role": "clerk", "password": PASSWORD}),
        );
        assert_eq!((s, code(&body)), (422, "invalid_account"));
        let (s, body) = ada.post("/api/staff/accounts/bo/role", json!({"role": "supervisor"}));
        assert_eq!((s, body["role"].as_str()), (200, Some("supervisor")));
        assert_eq!(
            bo.get("/api/staff/audit").0,
            200,
            "the new role applies at once"
        );
        let (s, _) = ada.post("/api/staff/accounts/bo/disabled", json!({"disabled": true}));
        assert_eq!(s, 200);
        assert_eq!(
            bo.get("/api/staff/session").0,
            401,
            "disabling ends its sessions"
        );
        let mut anon = Client::anonymous(&server.base);
        assert_eq!(anon.try_login("bo", PASSWORD).0, 401);
        let (s, all) = ada.get("/api/staff/accounts");
        assert_eq!(s, 200);
        assert_eq!(all.as_array().unwrap().len(), 4);
        assert!(
            !all.to_string().contains("argon2"),
            "no hashes leave the server"
        );
        assert_eq!(audit(&db, "staff.role").len(), 1);
        assert_eq!(audit(&db, "staff.disable").len(), 1);
        server.stop();
    }
}
