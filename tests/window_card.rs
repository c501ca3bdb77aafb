//! Lookup by the card at the clerk's window: a window terminal (`sskiosk terminal`, kind window)
//! enrolled for window 3 proves the card in its reader to the center, over the real pcscd with
//! the project's virtual card (built from the store's record); only window 3's clerk gets it.

mod common;
#[path = "common/pcscd.rs"]
mod pcscd;
mod staff_support;
use common::*;
use pcscd::{Pcscd, SLOT0};
use serde_json::json;
use sskiosk::card::virtual_card::vpcd::InsertedCard;
use sskiosk::card::virtual_card::{CardProfile, VirtualCard};
use staff_support::*;

/// The default `card.test_master_key`.
const MASTER: [u8; 16] = *b"SSKIOSK-TEST-KEY";

fn card_of(db: &TestDb, ssn: &str) -> InsertedCard {
    let mut conn = db.pool().get().unwrap();
    let id = sskiosk::domain::CitizenId::parse(ssn).unwrap();
    let record = sskiosk::record::unified_record(&mut conn, &id)
        .unwrap()
        .unwrap();
    let profile = CardProfile::from_record(&record).unwrap();
    InsertedCard::insert(
        &pcscd::vpcd_address(0),
        Box::new(VirtualCard::new(&profile, MASTER)),
        profile.variant.drop_after_apdus,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_card_in_the_windows_reader_looks_its_holder_up_and_is_audited_as_by_card() {
    let _lock = pcscd::lock();
    let _pcscd = Pcscd::ensure();
    let db = TestDb::sqlite();
    load_fixtures(&db);
    add_staff(&db, "clara", "clerk");
    let center = Served::start(&db);
    let clara = Client::login(&center.base, "clara");
    let request = json!({"purpose": "card_service", "card": true});

    // Clara's window (3) has no terminal yet.
    let (status, body) = clara.post("/api/staff/lookup", request.clone());
    assert_eq!((status, code(&body)), (409, "reader_unavailable"), "{body}");

    // The window PC of window 3, enrolled and watching its reader.
    let scratch = tempfile::tempdir().unwrap();
    let code3 = terminal::enrol_code(&db, "window-3", "window", &["--window", "3"]);
    assert_status(
        &terminal::enrol(&center, scratch.path(), &code3),
        0,
        "enrol",
    );
    let readers = format!("[\"{SLOT0}\"]");
    let _window = terminal::Terminal::start_in(
        scratch.path(),
        &[("SSKIOSK__CARD__READERS", readers.as_str())],
    );
    let (status, body) = clara.post("/api/staff/lookup", request.clone());
    assert_eq!(
        (status, code(&body)),
        (422, "card_unreadable"),
        "no card yet: {body}"
    );

    let card = card_of(&db, LI);
    pcscd::wait_present(SLOT0);
    let found = wait_for_lookup(&clara, &request);
    assert_eq!(found["record"]["person"]["ssn"], LI);
    let view = &audit(&db, "record.view")[0];
    assert_eq!(view.detail.as_deref(), Some("by card"));
    assert_eq!(view.purpose.as_deref(), Some("card_service"));

    // A clerk of another window does not get window 3's card.
    add_staff_window(&db, "dora", "clerk", "5");
    let dora = Client::login(&center.base, "dora");
    let (status, body) = dora.post("/api/staff/lookup", request.clone());
    assert_eq!((status, code(&body)), (409, "reader_unavailable"), "{body}");

    // The card leaves: nothing to look up by card any more.
    drop(card);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (status, body) = clara.post("/api/staff/lookup", request.clone());
        if status == 422 && code(&body) == "card_unreadable" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the removal was not reported: {status} {body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The terminal proves the card a moment after it is inserted: ask until it has.
fn wait_for_lookup(clerk: &Client, request: &serde_json::Value) -> serde_json::Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (status, found) = clerk.post("/api/staff/lookup", request.clone());
        if status == 200 {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "lookup by card: {status} {found}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
