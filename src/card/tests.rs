//! The reading dialogue against the virtual card in process, for every variant and fault of
//! ssc-card.md §2 (the same cases run through real pcscd in tests/card_pcsc.rs).

use super::virtual_card::{Applet, CardProfile, Fault, Variant, VirtualCard};
use super::{read_card, CardError, SecurityModule, TestSecurityModule, Transport, TransportError};
use chrono::NaiveDate;

const MASTER: [u8; 16] = *b"SSKIOSK-TEST-KEY";

/// The virtual card as a transport, optionally "pulled" after some APDUs.
struct InProcess {
    card: VirtualCard,
    pulled_after: Option<u32>,
    sent: u32,
}

impl Transport for InProcess {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.pulled_after == Some(self.sent) {
            return Err(TransportError::Removed);
        }
        self.sent += 1;
        Ok(self.card.process(apdu))
    }
}

pub fn profile(spec: &str) -> CardProfile {
    serde_json::from_value(serde_json::json!({
        "card_id_code": "110101D15600000500BF7C7A48FB4966",
        "spec_version": spec,
        "issued_on": "2020-09-15",
        "expires_on": "2030-09-15",
        "card_no": "X00000019",
        "ssn": "110101198506150019",
        "name": "张三",
        "gender": "1",
        "ethnicity": "01",
        "birthplace": "110101",
        "birth_date": "1985-06-15"
    }))
    .unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn read(
    p: &CardProfile,
    security: Option<&mut dyn SecurityModule>,
) -> (Result<super::SocialSecurityCard, CardError>, u32) {
    let mut t = InProcess {
        card: VirtualCard::new(p, MASTER),
        pulled_after: p.variant.drop_after_apdus,
        sent: 0,
    };
    // The card's own ATR: whether it announces extended lengths decides how a `67 00` is met.
    let atr = t.card.atr();
    let (r, stats) = read_card(
        &mut t,
        super::reader::historical_bytes(&atr),
        security,
        today(),
    );
    // The APDU that met a pulled card counts as sent by the reader, not by the card.
    assert!(stats.apdus - t.sent <= 1);
    (r, stats.apdus)
}

fn variants() -> Vec<(&'static str, Variant)> {
    let v = Variant::default;
    vec![
        ("plain", v()),
        (
            "mf first",
            Variant {
                require_mf: true,
                ..v()
            },
        ),
        (
            "61xx on select",
            Variant {
                select_61xx: true,
                ..v()
            },
        ),
        (
            "6Cxx on wrong Le",
            Variant {
                exact_le: true,
                read_all: false,
                ..v()
            },
        ),
        (
            "61xx on every answer",
            Variant {
                get_response: true,
                ..v()
            },
        ),
        (
            "no 4E record",
            Variant {
                name_extension: false,
                ..v()
            },
        ),
        (
            "item by item",
            Variant {
                read_all: false,
                ..v()
            },
        ),
        (
            "62 82 with short records",
            Variant {
                warn_short_record: true,
                ..v()
            },
        ),
        (
            "62 82 item by item",
            Variant {
                warn_short_record: true,
                read_all: false,
                ..v()
            },
        ),
        (
            "62 84 on select",
            Variant {
                select_warning: true,
                read_all: false,
                ..v()
            },
        ),
        (
            "67 00 unless Le = 00",
            Variant {
                challenge_le_zero: true,
                ..v()
            },
        ),
        (
            "67 00 to Le = 00, extended lengths",
            Variant {
                le_zero_wrong_length: true,
                extended_length: true,
                ..v()
            },
        ),
        (
            "67 00 to Le = 00, short lengths only",
            Variant {
                le_zero_wrong_length: true,
                ..v()
            },
        ),
        (
            "everything at once",
            Variant {
                require_mf: true,
                select_61xx: true,
                exact_le: true,
                read_all: false,
                name_extension: false,
                ..v()
            },
        ),
    ]
}

#[test]
fn every_variant_reads_the_same_card_for_every_generation() {
    for spec in ["1.00", "2.00", "3.00"] {
        for (label, variant) in variants() {
            let mut p = profile(spec);
            p.variant = variant;
            let mut module = TestSecurityModule::new(MASTER);
            let (card, apdus) = read(&p, Some(&mut module));
            let card = card.unwrap_or_else(|e| panic!("{spec} {label}: {e}"));
            assert_eq!(card.name, "张三", "{spec} {label}");
            assert_eq!(card.spec_version, spec);
            assert_eq!(card.ssn.as_str(), "110101198506150019");
            assert_eq!(card.region_code, "110101");
            if label == "plain" && spec != "3.00" {
                assert!(apdus <= 12, "{spec}: {apdus} APDUs");
            }
        }
    }
}

/// The virtual card as a transport that keeps every command APDU sent.
struct Recorded {
    card: VirtualCard,
    sent: Vec<String>,
}

impl Transport for Recorded {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.sent.push(hex::encode_upper(apdu));
        Ok(self.card.process(apdu))
    }
}

fn transcript(
    variant: Variant,
    spec: &str,
) -> (Result<super::SocialSecurityCard, CardError>, Vec<String>) {
    let mut p = profile(spec);
    p.variant = variant;
    let mut t = Recorded {
        card: VirtualCard::new(&p, MASTER),
        sent: Vec::new(),
    };
    let atr = t.card.atr();
    let mut module = TestSecurityModule::new(MASTER);
    let (r, _) = read_card(
        &mut t,
        super::reader::historical_bytes(&atr),
        Some(&mut module),
        today(),
    );
    (r, t.sent)
}

#[test]
fn wrong_length_to_le_00_is_met_with_an_extended_le_or_the_record_s_own_length() {
    let extended = Variant {
        le_zero_wrong_length: true,
        extended_length: true,
        ..Variant::default()
    };
    let (card, sent) = transcript(extended, "2.00");
    assert_eq!(card.unwrap().name, "张三");
    // READ RECORD all of EF05 (P2 = 05 << 3 | 101): short, refused, then extended (Le 00 00).
    let i = sent.iter().position(|a| a == "00B2012D00").unwrap();
    assert_eq!(sent[i + 1], "00B2012D000000", "{sent:?}");

    let short = Variant {
        le_zero_wrong_length: true,
        ..Variant::default()
    };
    let (card, sent) = transcript(short, "2.00");
    assert_eq!(card.unwrap().name, "张三");
    assert!(
        !sent.iter().any(|a| a.len() > 10 && a.starts_with("00B2")),
        "no extended APDU: {sent:?}"
    );
    // Item 08 (the name): Le 00 refused, the first two bytes, then exactly 2 + length.
    let i = sent.iter().position(|a| a == "00B2080000").unwrap();
    assert_eq!(sent[i + 1], "00B2080002", "{sent:?}");
    assert!(sent[i + 2].starts_with("00B20800") && sent[i + 2] != "00B2080000");
}

#[test]
fn a_card_that_answers_wrong_length_to_every_le_fails_after_a_bounded_number_of_tries() {
    struct Stubborn(u32);
    impl Transport for Stubborn {
        fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.0 += 1;
            // SELECT succeeds; everything with an Le is "wrong length".
            Ok(if apdu[1] == 0xA4 {
                vec![0x90, 0]
            } else {
                vec![0x67, 0]
            })
        }
    }
    let mut t = Stubborn(0);
    let (r, stats) = read_card(&mut t, &[0x80, 0x73, 0, 0, 0x40], None, today());
    assert!(
        matches!(r, Err(CardError::UnexpectedStatus { sw: 0x6700, .. })),
        "{r:?}"
    );
    assert!(stats.apdus < 12, "{} APDUs", stats.apdus);
}

#[test]
fn a_second_generation_card_takes_three_apdus_or_eighteen_item_by_item() {
    let (_, apdus) = read(&profile("2.00"), None);
    assert_eq!(apdus, 3);
    let mut p = profile("2.00");
    p.variant.read_all = false;
    let (r, apdus) = read(&p, None);
    r.unwrap();
    assert_eq!(
        apdus, 18,
        "select SSSE, refused read-all, 2 × (select EF + 7 items)"
    );
}

#[test]
fn long_names_use_the_extension_record() {
    let mut p = profile("2.00");
    p.name = format!("A{}", "阿".repeat(17));
    assert_eq!(read(&p, None).0.unwrap().name, p.name);
}

#[test]
fn third_generation_needs_a_security_module_with_the_right_key() {
    let p = profile("3.00");
    assert_eq!(
        read(&p, None).0.unwrap_err(),
        CardError::AuthenticationNeeded
    );
    let mut wrong = TestSecurityModule::new([9; 16]);
    let err = read(&p, Some(&mut wrong)).0.unwrap_err();
    assert!(matches!(err, CardError::AuthenticationFailed(_)), "{err}");
    let mut right = TestSecurityModule::new(MASTER);
    assert!(read(&p, Some(&mut right)).0.is_ok());
}

/// A module that answers the card's internal authentication but computes a wrong cryptogram:
/// the card itself must refuse the external authentication.
struct WrongCryptogram(TestSecurityModule);

impl SecurityModule for WrongCryptogram {
    fn external_cryptogram(
        &mut self,
        _: &[u8; 16],
        _: &[u8; 8],
    ) -> Result<[u8; 16], super::SecurityError> {
        Ok([0; 16])
    }
    fn verify_internal(
        &mut self,
        id: &[u8; 16],
        c: &[u8; 8],
        r: &[u8],
    ) -> Result<bool, super::SecurityError> {
        self.0.verify_internal(id, c, r)
    }
}

#[test]
fn the_card_refuses_a_wrong_external_cryptogram() {
    let mut m = WrongCryptogram(TestSecurityModule::new(MASTER));
    let err = read(&profile("3.00"), Some(&mut m)).0.unwrap_err();
    assert_eq!(
        err,
        CardError::AuthenticationFailed("the card refused the external authentication".into())
    );
}

/// Whether an error is the one a fault must cause.
type Expected = fn(&CardError) -> bool;

#[test]
fn malformed_cards_give_their_own_errors() {
    let cases: [(Fault, Expected); 5] = [
        (Fault::BadTlvLength, |e| {
            matches!(e, CardError::UnreadableRecord { .. })
        }),
        (Fault::WrongCheckCharacter, |e| {
            matches!(
                e,
                CardError::InvalidData {
                    field: "社会保障号码",
                    ..
                }
            )
        }),
        (Fault::GbkGarbage, |e| {
            matches!(
                e,
                CardError::InvalidData {
                    field: "姓名", ..
                }
            )
        }),
        (Fault::MissingEf06, |e| matches!(e, CardError::BlankCard(_))),
        (Fault::NoSsse, |e| *e == CardError::NotSocialSecurityCard),
    ];
    for (fault, expected) in cases {
        for read_all in [true, false] {
            let mut p = profile("2.00");
            p.fault = Some(fault);
            p.variant.read_all = read_all;
            let err = read(&p, None).0.unwrap_err();
            assert!(expected(&err), "{fault:?} read_all={read_all}: {err}");
        }
    }
}

#[test]
fn an_expired_card_and_a_card_pulled_mid_read() {
    let mut p = profile("2.00");
    p.expires_on = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    assert!(matches!(read(&p, None).0, Err(CardError::Expired { .. })));
    let mut p = profile("2.00");
    p.variant.drop_after_apdus = Some(2);
    assert_eq!(read(&p, None).0.unwrap_err(), CardError::Removed);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// A card that answers anything at all.
    struct Noise(Vec<Vec<u8>>);

    impl Transport for Noise {
        fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.0.pop().ok_or(TransportError::Removed)
        }
    }

    proptest! {
        #[test]
        fn reading_never_panics_whatever_the_card_answers(answers in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..80), 0..30), extended in any::<bool>()) {
            let mut t = Noise(answers);
            // With extended lengths announced, `67 00` takes the other retry path.
            let historical: &[u8] = if extended { &[0x80, 0x73, 0, 0, 0x40] } else { &[] };
            let _ = read_card(&mut t, historical, None, today());
        }

        #[test]
        fn record_parsing_never_panics(items in prop::collection::btree_map(any::<u8>(), prop::collection::vec(any::<u8>(), 0..40), 0..20)) {
            let _ = super::super::records::parse(&items, &items, &[], today());
        }

        #[test]
        fn the_virtual_card_answers_every_apdu_with_a_status_word(apdus in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 1..20)) {
            let mut card = VirtualCard::new(&profile("3.00"), MASTER);
            for apdu in apdus {
                prop_assert!(card.process(&apdu).len() >= 2);
            }
        }
    }
}

#[test]
fn every_fixture_profile_loads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cards");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue; // quirks/: loaded by the quirk tests
        }
        CardProfile::load(&path).unwrap_or_else(|e| panic!("{e}"));
        n += 1;
    }
    assert!(n >= 10);
}
