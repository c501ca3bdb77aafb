//! The card's PIN at the kiosk (issue 11), against a real center and kiosk terminal, the real
//! pcscd and the virtual card: the card itself checks the PIN and counts the tries, a blocked
//! PIN ends with the locked card, bad PINs are refused before the card sees them, a restart
//! asks again, and the center shows nothing before the PIN.

mod common;
mod kiosk_support;
#[path = "common/pcscd.rs"]
mod pcscd;
mod terminal_support;

use common::*;
use kiosk_support::*;
use terminal_support::card_answer;

#[test]
fn the_pin_is_checked_by_the_card_and_the_center_shows_nothing_before_it() {
    let _bench = Bench::new();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    let s = serve(&db, SLOT0, &[]);
    let mut profile = card_of(&db, LI);
    profile.pin_tries = 3;
    let card = insert(0, &profile);
    let v = wait_state(&s, "the PIN pad", |v| v["screen"] == "pin");
    assert!(v["token"].is_null());
    let pin = |p: &str| {
        call(
            &s,
            "POST",
            "/api/kiosk/pin",
            None,
            Some(serde_json::json!({ "pin": p })),
        )
    };

    // Not a PIN: refused before the card sees it, nothing counted.
    for bad in ["12345", "1234567", "12a456", "", "１２３"] {
        assert_error(&pin(bad), 422, "pin_invalid");
    }
    assert_error(
        &call(
            &s,
            "POST",
            "/api/kiosk/pin",
            None,
            Some(serde_json::json!({"pin": 123456})),
        ),
        400,
        "invalid_json",
    );
    // Wrong: the card's own count of tries left.
    let (status, answer) = pin("000000");
    assert_eq!(
        (status, &answer["outcome"], &answer["tries_left"]),
        (200, &serde_json::json!("wrong"), &serde_json::json!(2)),
        "{answer}"
    );
    let v = wait_state(&s, "the tries left", |v| v["pin_tries_left"] == 2);
    assert_eq!(v["screen"], "pin");
    // Right, as full-width digits: the session opens.
    let (status, answer) = pin("１２３４５６");
    assert_eq!(
        (status, &answer["outcome"]),
        (200, &serde_json::json!("verified")),
        "{answer}"
    );
    wait_state(&s, "the session", |v| v["screen"] == "session");
    let token = token_from_events(&s);
    assert_eq!(get(&s, "/api/kiosk/record", &token).0, 200);
    assert_error(&pin("123456"), 409, "no_pin_pending");

    // After a logout with the card left in, the next session needs the PIN again.
    assert_eq!(
        call(&s, "POST", "/api/kiosk/end", Some(&token), None).0,
        204
    );
    wait_state(&s, "ended", |v| v["screen"] == "ended");
    assert_eq!(call(&s, "POST", "/api/kiosk/restart", None, None).0, 200);
    wait_state(&s, "the PIN pad again", |v| {
        v["screen"] == "pin" && v["token"].is_null()
    });
    // The right PIN put the card's count back to 6: five wrong ones count down, the sixth blocks.
    for left in [5, 4, 3, 2, 1] {
        assert_eq!(pin("111111").1["tries_left"], left);
    }
    let (_, answer) = pin("111111");
    assert_eq!(answer["outcome"], "blocked");
    let v = wait_state(&s, "the locked card", |v| v["screen"] == "refused");
    assert_eq!(v["reason"], "locked");
    card.remove();

    // The center itself refuses data before the PIN (a terminal that skipped it).
    let dir = &s.terminal.dir;
    let state = sskiosk::terminal::state::State::load(&dir.join("state")).unwrap();
    let client = sskiosk::terminal::client::CenterClient::for_state(
        &state,
        std::time::Duration::from_secs(5),
    )
    .unwrap();
    let challenge: sskiosk::protocol::Challenge = client
        .post(
            sskiosk::protocol::path::CHALLENGE,
            None,
            &sskiosk::protocol::ChallengeRequest { reader: "r".into() },
        )
        .unwrap();
    let answer = card_answer(&db, "A12345678", &challenge.challenge);
    let opened: sskiosk::protocol::Opened = client
        .post(
            sskiosk::protocol::path::OPEN,
            None,
            &sskiosk::protocol::OpenSession {
                reader: "r".into(),
                challenge_id: challenge.id,
                answer,
                card: sskiosk::protocol::CardClaim {
                    ssn: LI.into(),
                    card_no: "A12345678".into(),
                },
            },
        )
        .unwrap();
    let sskiosk::protocol::Opened::Opened { token, .. } = opened else {
        panic!("{opened:?}")
    };
    let refused = client
        .forward("GET", "/api/kiosk/record", &token, None, b"")
        .unwrap();
    assert_eq!(refused.status, 403);
    assert!(String::from_utf8_lossy(&refused.body).contains("pin_required"));
}
