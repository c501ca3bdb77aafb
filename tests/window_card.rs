//! Lookup by the card in the window's own reader: the real pcscd with the project's virtual
//! card (built from the store's record) in the reader named by `window.reader`.

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
    let server = Served::start_with(&db, &[("SSKIOSK__WINDOW__READER", SLOT0)]);
    let clara = Client::login(&server.base, "clara");
    let request = json!({"purpose": "card_service", "card": true});

    let (status, body) = clara.post("/api/staff/lookup", request.clone());
    assert_eq!(
        (status, code(&body)),
        (422, "card_unreadable"),
        "no card yet: {body}"
    );

    let card = card_of(&db, LI);
    pcscd::wait_present(SLOT0);
    let (status, found) = clara.post("/api/staff/lookup", request.clone());
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["record"]["person"]["ssn"], LI);
    let view = &audit(&db, "record.view")[0];
    assert_eq!(view.detail.as_deref(), Some("by card"));
    assert_eq!(view.purpose.as_deref(), Some("card_service"));
    drop(card);
    server.stop();

    let unconfigured = Served::start(&db);
    let clara = Client::login(&unconfigured.base, "clara");
    let (status, body) = clara.post("/api/staff/lookup", request);
    assert_eq!((status, code(&body)), (409, "reader_unavailable"), "{body}");
    unconfigured.stop();
}
