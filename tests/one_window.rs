//! The kiosk and the window on one node and one store, as a citizen meets them: a clerk's look
//! at the record appears in the citizen's own access log at the kiosk, with the clerk's name,
//! window and purpose; a card reported lost at the window stops the kiosk session at once, and
//! the card is refused at the kiosk until the window releases it.

mod common;
mod kiosk_support;
#[path = "common/pcscd.rs"]
mod pcscd;
mod staff_support;

use common::*;
use kiosk_support::{assert_error, card_of, get, insert, serve, session_token, wait_state, Bench};
use serde_json::json;
use staff_support::{add_staff, Client, LI, LI_CARD};

#[test]
fn window_actions_reach_the_citizen_at_the_kiosk() {
    let _bench = Bench::new();
    for db in TestDb::all() {
        load_fixtures(&db);
        add_staff(&db, "clara", "clerk");
        let s = serve(&db, "Virtual PCD 00 00", &[]);
        let clara = Client::login(&s.center.base, "clara");

        let (status, body) = clara.post(
            "/api/staff/lookup",
            json!({"purpose": "benefit_review", "ssn": LI}),
        );
        assert_eq!(status, 200, "{}: {body}", db.label);

        let card = insert(0, &card_of(&db, LI));
        let token = session_token(&s);
        let (status, log) = get(&s, "/api/kiosk/access-log", &token);
        assert_eq!(status, 200, "{log}");
        let by_staff: Vec<&serde_json::Value> = log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["who_kind"] == "staff")
            .collect();
        assert_eq!(by_staff.len(), 1, "{}: {log}", db.label);
        assert_eq!(by_staff[0]["who"], "窗口工作人员 clara（3号窗口）");
        assert_eq!(by_staff[0]["purpose"], "benefit_review");
        assert_eq!(by_staff[0]["action"], "record.view");

        // Temporary loss reported at the window: the open kiosk session stops at once.
        let path = format!("/api/staff/cards/{LI_CARD}/status");
        let (status, body) = clara.post(&path, json!({"action": "temp_loss"}));
        assert_eq!(status, 200, "{body}");
        assert_error(
            &get(&s, "/api/kiosk/record", &token),
            401,
            "kiosk_card_blocked",
        );
        let v = wait_state(&s, "the refusal", |v| v["screen"] == "refused");
        assert_eq!(v["reason"], "card_temp_lost", "{v}");
        card.remove();
        wait_state(&s, "the start screen", |v| v["screen"] == "ready");

        // Inserted again while reported: refused, no session.
        let card = insert(0, &card_of(&db, LI));
        let v = wait_state(&s, "the refusal", |v| v["screen"] == "refused");
        assert_eq!(v["reason"], "card_temp_lost");
        assert!(v["token"].is_null(), "no session for a reported card: {v}");
        card.remove();
        wait_state(&s, "the start screen", |v| v["screen"] == "ready");

        // Released at the window: the card works again.
        let (status, body) = clara.post(&path, json!({"action": "release"}));
        assert_eq!((status, &body["status"]), (200, &json!("active")), "{body}");
        let card = insert(0, &card_of(&db, LI));
        let token = session_token(&s);
        assert_eq!(get(&s, "/api/kiosk/record", &token).0, 200);
        card.remove();
        assert_status(&db.sskiosk(&["audit", "verify"]), 0, "audit verify");
        drop(s);
    }
}
