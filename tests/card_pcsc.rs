//! The card reader against the real pcscd and vpcd, with the project's virtual card on the other
//! side of the wire. Every test holds the pcscd lock: pcscd is one per machine.

mod common;
#[path = "common/pcscd.rs"]
mod pcscd;

use pcscd::{Pcscd, SLOT0, SLOT1};
use sskiosk::card::virtual_card::vpcd::InsertedCard;
use sskiosk::card::virtual_card::{CardProfile, Fault, Variant, VirtualCard, VirtualPsam};
use sskiosk::card::{CardError, CardEvent, Monitor, MonitorConfig, SecurityChoice};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// The default `card.test_master_key`.
const MASTER: [u8; 16] = *b"SSKIOSK-TEST-KEY";

struct Events {
    rx: broadcast::Receiver<CardEvent>,
    seen: Vec<String>,
}

impl Events {
    /// The next event `want` accepts; the events skipped on the way are kept for the message.
    /// The bound only keeps a broken build from hanging: it is not what the test checks.
    fn next(&mut self, what: &str, want: impl Fn(&CardEvent) -> bool) -> CardEvent {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self.rx.try_recv() {
                Ok(e) if want(&e) => return e,
                Ok(e) => self.seen.push(format!("{e:?}")),
                Err(broadcast::error::TryRecvError::Empty) => {
                    assert!(
                        Instant::now() < deadline,
                        "no {what}; events seen: {:#?}",
                        self.seen
                    );
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => panic!("event channel: {e}"),
            }
        }
    }

    fn inserted(&mut self, reader: &str) -> Box<sskiosk::card::SocialSecurityCard> {
        match self.next("card event", |e| is_card_event(e, reader)) {
            CardEvent::CardInserted { card, timing, .. } => {
                assert!(timing.apdus > 0);
                card
            }
            other => panic!("expected CardInserted on {reader}, got {other:?}"),
        }
    }

    fn failed(&mut self, reader: &str) -> CardError {
        match self.next("card event", |e| is_card_event(e, reader)) {
            CardEvent::CardReadFailed { error, .. } => error,
            other => panic!("expected CardReadFailed on {reader}, got {other:?}"),
        }
    }

    fn removed(&mut self, reader: &str) {
        self.next(
            "CardRemoved",
            |e| matches!(e, CardEvent::CardRemoved { reader: r } if r == reader),
        );
    }
}

fn is_card_event(e: &CardEvent, reader: &str) -> bool {
    matches!(e, CardEvent::CardInserted { reader: r, .. } | CardEvent::CardReadFailed { reader: r, .. } if r == reader)
}

fn monitor(
    readers: &[&str],
    psam_reader: Option<&str>,
    security: SecurityChoice,
) -> (Monitor, Events) {
    let (tx, rx) = broadcast::channel(1024);
    let config = MonitorConfig {
        excluded: Vec::new(),
        readers: readers.iter().map(|r| r.to_string()).collect(),
        psam_reader: psam_reader.map(str::to_string),
        security,
    };
    let m = Monitor::start_with(config, tx);
    let mut events = Events {
        rx,
        seen: Vec::new(),
    };
    events.next("ServiceUp", |e| matches!(e, CardEvent::ServiceUp));
    (m, events)
}

fn profile(spec: &str) -> CardProfile {
    serde_json::from_str(
        &std::fs::read_to_string(common::fixture("cards/zhang-san-2.00.json")).unwrap(),
    )
    .map(|mut p: CardProfile| {
        p.spec_version = spec.into();
        p
    })
    .unwrap()
}

fn insert(slot: u8, p: &CardProfile) -> InsertedCard {
    let card = VirtualCard::new(p, MASTER);
    InsertedCard::insert(
        &pcscd::vpcd_address(slot),
        Box::new(card),
        p.variant.drop_after_apdus,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_generation_and_every_apdu_variant_is_read_and_removal_is_seen() {
    let _lock = pcscd::lock();
    let _pcscd = Pcscd::ensure();
    let (_m, mut events) = monitor(&[SLOT0], None, SecurityChoice::Test(MASTER));
    let d = Variant::default;
    let variants = [
        ("plain", d()),
        (
            "MF first",
            Variant {
                require_mf: true,
                ..d()
            },
        ),
        (
            "61xx on SELECT",
            Variant {
                select_61xx: true,
                ..d()
            },
        ),
        (
            "6Cxx on wrong Le, item by item",
            Variant {
                exact_le: true,
                read_all: false,
                ..d()
            },
        ),
        (
            "61xx + GET RESPONSE",
            Variant {
                get_response: true,
                ..d()
            },
        ),
        (
            "no 4E record",
            Variant {
                name_extension: false,
                read_all: false,
                ..d()
            },
        ),
    ];
    for spec in ["1.00", "2.00", "3.00"] {
        for (label, variant) in &variants {
            let mut p = profile(spec);
            p.variant = variant.clone();
            let card = insert(0, &p);
            let read = events.inserted(SLOT0);
            assert_eq!(read.spec_version, spec, "{label}");
            assert_eq!(read.ssn.as_str(), "110101198506150019", "{spec} {label}");
            assert_eq!(read.name, "张三", "{spec} {label}");
            assert_eq!(read.card_no, "X00000019");
            assert_eq!(read.birthplace, "110101");
            assert_eq!(read.atr_historical, "00814E43238697159900BF7C7A");
            card.remove();
            events.removed(SLOT0);
        }
    }
}

/// The corpus of other vendors' behaviours (tests/fixtures/cards/quirks/, ≥ 8 of them): each is
/// read through pcscd to the same citizen (ISO/IEC 7816-4 status words, docs/card.md).
#[test]
fn every_vendor_quirk_of_the_corpus_is_read_through_pcscd() {
    let _lock = pcscd::lock();
    let _pcscd = Pcscd::ensure();
    let (_m, mut events) = monitor(&[SLOT0], None, SecurityChoice::Test(MASTER));
    let dir = common::fixture("cards/quirks");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "{} quirks", files.len());
    for file in files {
        let label = file.file_name().unwrap().to_string_lossy().into_owned();
        let p = CardProfile::load(&file).unwrap_or_else(|e| panic!("{label}: {e}"));
        let card = insert(0, &p);
        let read = events.inserted(SLOT0);
        assert_eq!(read.ssn.as_str(), "110101198506150019", "{label}");
        assert_eq!(read.name, "张三", "{label}");
        assert_eq!(read.spec_version, p.spec_version, "{label}");
        card.remove();
        events.removed(SLOT0);
    }
}

/// The card of quirk 12 answers `67 00` to a short Le = 00 and announces extended lengths in its
/// ATR (T = 1): through pcscd the reader sees that ATR and takes the extended path — as many
/// APDUs as the same read in process with that ATR, fewer than a reader that ignored the
/// announcement would need (it would ask every record for its length first).
#[test]
fn wrong_length_to_le_00_is_resent_with_an_extended_le_through_pcscd() {
    struct InProcess(VirtualCard);
    impl sskiosk::card::Transport for InProcess {
        fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, sskiosk::card::TransportError> {
            Ok(sskiosk::card::virtual_card::Applet::process(
                &mut self.0,
                apdu,
            ))
        }
    }
    let p = CardProfile::load(&common::fixture(
        "cards/quirks/12-le-00-wrong-length-extended.json",
    ))
    .unwrap();
    let apdus_in_process = |historical: &[u8]| {
        let mut module = sskiosk::card::TestSecurityModule::new(MASTER);
        let mut t = InProcess(VirtualCard::new(&p, MASTER));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let (card, stats) = sskiosk::card::read_card(&mut t, historical, Some(&mut module), today);
        card.unwrap();
        stats.apdus
    };
    let atr = sskiosk::card::virtual_card::EXTENDED_LENGTH_ATR;
    let extended = apdus_in_process(sskiosk::card::reader::historical_bytes(&atr));
    let by_length = apdus_in_process(&[]);
    assert!(extended < by_length, "{extended} vs {by_length} APDUs");

    let _lock = pcscd::lock();
    let _pcscd = Pcscd::ensure();
    let (_m, mut events) = monitor(&[SLOT0], None, SecurityChoice::Test(MASTER));
    let card = insert(0, &p);
    match events.next("card event", |e| is_card_event(e, SLOT0)) {
        CardEvent::CardInserted {
            card: read, timing, ..
        } => {
            assert_eq!(
                read.atr_historical, "8073000040",
                "the ATR as pcscd gave it"
            );
            assert_eq!(read.name, "张三");
            assert_eq!(timing.apdus, extended);
        }
        other => panic!("expected CardInserted, got {other:?}"),
    }
    card.remove();
    events.removed(SLOT0);
}

#[test]
fn a_card_pulled_between_two_apdus_fails_as_removed() {
    let _lock = pcscd::lock();
    let _pcscd = Pcscd::ensure();
    let (_m, mut events) = monitor(&[SLOT0], None, SecurityChoice::None);
    let mut p = profile("2.00");
    p.variant.drop_after_apdus = Some(1);
    let _card = insert(0, &p);
    assert_eq!(events.failed(SLOT0), CardError::Removed);
    events.removed(SLOT0);
}

/// Whether an error is the one a fault must cause.
type Expected = fn(&CardError) -> bool;

#[test]
fn other_cards_and_malformed_cards_fail_with_their_reason() {
    let _lock = pcscd::lock();
    let _pcscd = Pcscd::ensure();
    let (_m, mut events) = monitor(&[SLOT0], None, SecurityChoice::None);
    let cases: [(Fault, Expected); 5] = [
        (Fault::NoSsse, |e| *e == CardError::NotSocialSecurityCard),
        (Fault::MissingEf06, |e| matches!(e, CardError::BlankCard(_))),
        (Fault::BadTlvLength, |e| {
            matches!(e, CardError::UnreadableRecord { .. })
        }),
        (Fault::WrongCheckCharacter, |e| {
            matches!(e, CardError::InvalidData { .. })
        }),
        (Fault::GbkGarbage, |e| {
            matches!(
                e,
                CardError::InvalidData {
                    field: "姓名", ..
                }
            )
        }),
    ];
    for (fault, expected) in cases {
        let mut p = profile("2.00");
        p.fault = Some(fault);
        let card = insert(0, &p);
        let error = events.failed(SLOT0);
        assert!(expected(&error), "{fault:?}: {error}");
        card.remove();
        events.removed(SLOT0);
    }
    let card = insert(0, &profile("3.00"));
    assert_eq!(events.failed(SLOT0), CardError::AuthenticationNeeded);
    drop(card);
    events.removed(SLOT0);
}

#[test]
fn two_readers_at_once() {
    let _lock = pcscd::lock();
    let _pcscd = Pcscd::ensure();
    let (_m, mut events) = monitor(&[], None, SecurityChoice::Test(MASTER));
    let mut other = profile("2.00");
    other.ssn = "11010519491231002X".into();
    other.birth_date = chrono::NaiveDate::from_ymd_opt(1949, 12, 31).unwrap();
    other.name = "王秀英".into();
    other.gender = "2".into();
    let _a = insert(0, &profile("2.00"));
    let _b = insert(1, &other);
    // The two reads may come in either order.
    let mut names = std::collections::BTreeMap::new();
    for _ in 0..2 {
        match events.next("CardInserted", |e| {
            matches!(e, CardEvent::CardInserted { .. })
        }) {
            CardEvent::CardInserted { reader, card, .. } => names.insert(reader, card.name),
            _ => unreachable!(),
        };
    }
    assert_eq!(names[SLOT0], "张三");
    assert_eq!(names[SLOT1], "王秀英");
}

#[test]
fn third_generation_with_a_wrong_key_shows_no_data_and_the_psam_path_works() {
    let _lock = pcscd::lock();
    let _pcscd = Pcscd::ensure();
    {
        let (_m, mut events) = monitor(&[SLOT0], None, SecurityChoice::Test(MASTER));
        let mut p = profile("3.00");
        p.master_key = Some("000102030405060708090A0B0C0D0E0F".into());
        let card = insert(0, &p);
        let error = events.failed(SLOT0);
        assert!(
            matches!(error, CardError::AuthenticationFailed(_)),
            "{error}"
        );
        card.remove();
        events.removed(SLOT0);
    }
    let _psam = InsertedCard::insert(
        &pcscd::vpcd_address(1),
        Box::new(VirtualPsam::new(MASTER)),
        None,
    )
    .unwrap();
    pcscd::wait_present(SLOT1);
    let (_m, mut events) = monitor(&[], Some("00 01"), SecurityChoice::Psam);
    let _card = insert(0, &profile("3.00"));
    assert_eq!(events.inserted(SLOT0).spec_version, "3.00");
    assert!(
        !events
            .seen
            .iter()
            .any(|e| e.contains(SLOT1) && e.contains("Card")),
        "the PSAM reader is not watched: {:?}",
        events.seen
    );
}

#[test]
fn pcscd_absent_killed_and_restarted_while_the_monitor_runs() {
    let _lock = pcscd::lock();
    let mut pcscd = Pcscd::ensure();
    if !pcscd.owned() {
        eprintln!("skipped: a pcscd not started by the tests is running; stop it to run this test");
        return;
    }
    pcscd.kill();
    let (tx, rx) = broadcast::channel(1024);
    let mut events = Events {
        rx,
        seen: Vec::new(),
    };
    let config = MonitorConfig {
        excluded: Vec::new(),
        readers: vec![SLOT0.into()],
        psam_reader: None,
        security: SecurityChoice::None,
    };
    let mut m = Monitor::start_with(config, tx);
    events.next("ServiceDown at start", |e| {
        matches!(e, CardEvent::ServiceDown { .. })
    });
    pcscd.start();
    events.next("ServiceUp", |e| matches!(e, CardEvent::ServiceUp));
    let _card = insert(0, &profile("2.00"));
    events.inserted(SLOT0);

    pcscd.kill();
    events.removed(SLOT0);
    events.next("ServiceDown", |e| {
        matches!(e, CardEvent::ServiceDown { .. })
    });
    pcscd.start();
    events.next("ServiceUp after restart", |e| {
        matches!(e, CardEvent::ServiceUp)
    });
    events.next(
        "ReaderAdded",
        |e| matches!(e, CardEvent::ReaderAdded { reader } if reader == SLOT0),
    );
    let _card = insert(0, &profile("1.00"));
    assert_eq!(events.inserted(SLOT0).spec_version, "1.00");
    m.shutdown();
}

/// Takes the CLI's virtual cards out even when the test fails half-way.
struct RemoveOnDrop<'a>(&'a common::TestDb);

impl Drop for RemoveOnDrop<'_> {
    fn drop(&mut self) {
        for slot in ["0", "1"] {
            let _ = cli(self.0, &["virtual-card", "remove", "--slot", slot]);
        }
    }
}

/// The binary with its PID files in the test's own folder.
fn cli(db: &common::TestDb, args: &[&str]) -> std::process::Output {
    db.command(args)
        .env("XDG_RUNTIME_DIR", db.dir.path())
        .output()
        .expect("run sskiosk")
}

#[test]
fn virtual_card_insert_and_remove_from_the_command_line() {
    let _lock = pcscd::lock();
    let _pcscd = Pcscd::ensure();
    let db = common::TestDb::sqlite();
    let _cleanup = RemoveOnDrop(&db);
    let ssn = sskiosk::demo::SHOWCASE_SSN;
    common::assert_status(&cli(&db, &["demo-data", "--citizens", "1"]), 0, "demo-data");
    let (_m, mut events) = monitor(&[SLOT0], None, SecurityChoice::Test(MASTER));

    let out = cli(&db, &["virtual-card", "insert", ssn]);
    common::assert_status(&out, 0, "insert");
    let card = events.inserted(SLOT0);
    assert_eq!(card.ssn.as_str(), ssn);
    assert_eq!(card.name, sskiosk::demo::SHOWCASE_NAME);
    assert_eq!(card.spec_version, "2.00");

    let out = cli(&db, &["virtual-card", "read", "--reader", "00 00"]);
    common::assert_status(&out, 0, "read");
    let line = common::stdout(&out)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    let parsed = sskiosk::card::interop::BasicCardRead::parse(&line).unwrap();
    assert_eq!(parsed.ssn.as_str(), ssn);

    let again = cli(&db, &["virtual-card", "insert", ssn]);
    common::assert_status(&again, 1, "second insert into the same slot");
    assert!(
        common::stderr(&again).contains("already holds"),
        "{}",
        common::stderr(&again)
    );

    common::assert_status(&cli(&db, &["virtual-card", "remove"]), 0, "remove");
    events.removed(SLOT0);
    let empty = cli(&db, &["virtual-card", "remove"]);
    common::assert_status(&empty, 1, "remove from an empty slot");
    assert!(common::stderr(&empty).contains("no virtual card in slot 0"));

    let unknown = cli(&db, &["virtual-card", "insert", "11010519491231002X"]);
    common::assert_status(&unknown, 4, "insert of a person not in the store");

    // A third-generation card from a profile, authenticated by the virtual PSAM in slot 1.
    common::assert_status(
        &cli(&db, &["virtual-card", "insert", "--psam", "--slot", "1"]),
        0,
        "insert PSAM",
    );
    let profile = common::fixture("cards/zhang-san-2.00.json");
    let profile = profile.to_str().unwrap();
    let out = cli(
        &db,
        &[
            "virtual-card",
            "insert",
            "--profile",
            profile,
            "--generation",
            "3",
        ],
    );
    common::assert_status(&out, 0, "insert 3.00 profile");
    assert_eq!(events.inserted(SLOT0).spec_version, "3.00");
    let out = db
        .command(&["virtual-card", "read", "--reader", "00 00"])
        .env("SSKIOSK__CARD__SECURITY_MODULE", "psam")
        .env("SSKIOSK__CARD__PSAM_READER", "00 01")
        .output()
        .unwrap();
    common::assert_status(&out, 0, "read a 3.00 card through the PSAM");
    assert!(
        common::stdout(&out).contains("|3.00|"),
        "{}",
        common::stdout(&out)
    );
}
