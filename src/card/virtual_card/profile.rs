//! What a virtual card holds and how it behaves, as JSON (tests/fixtures/cards/*.json) or built
//! from a citizen in the store.

use crate::domain::record::UnifiedRecord;
use crate::domain::CardStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The card's data items, as written to EF05/EF06 (ssc-card.md §1), plus behaviour.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardProfile {
    /// 卡识别码, 32 hex characters.
    pub card_id_code: String,
    /// 卡的类别, hex.
    #[serde(default = "default_card_type")]
    pub card_type: String,
    /// "1.00", "2.00" or "3.00"; 3.00 protects its data behind the test security scheme.
    pub spec_version: String,
    /// 初始化机构编号, 24 hex characters.
    #[serde(default = "default_institution")]
    pub institution: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub card_no: String,
    /// Kept as text (not a validated ID) so that a profile can hold a wrong one on purpose.
    pub ssn: String,
    pub name: String,
    /// "1" male, "2" female.
    pub gender: String,
    /// Two digits, e.g. "01" (汉族).
    pub ethnicity: String,
    /// 6-digit region code.
    pub birthplace: String,
    pub birth_date: NaiveDate,
    /// Master key of the test scheme for a 3.00 card (32 hex); the configured one when absent.
    #[serde(default)]
    pub master_key: Option<String>,
    /// The card's PIN (社保卡密码), 6 digits; the demo cards' is 123456.
    #[serde(default = "default_pin")]
    pub pin: String,
    /// Wrong PINs the card still takes before it blocks (a real card starts at 6).
    #[serde(default = "default_pin_tries")]
    pub pin_tries: u8,
    #[serde(default)]
    pub variant: Variant,
    #[serde(default)]
    pub fault: Option<Fault>,
}

/// The behaviours of ssc-card.md §2 a real card may have; the reader must tolerate each.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Variant {
    /// SSSE answers `6A 82` until MF has been selected.
    pub require_mf: bool,
    /// SELECT SSSE answers `61 xx` (FCI pending) instead of `90 00`.
    pub select_61xx: bool,
    /// READ RECORD with a Le other than the exact length answers `6C xx`.
    pub exact_le: bool,
    /// Every answer with data comes as `61 xx`, to be fetched with GET RESPONSE.
    pub get_response: bool,
    /// EF06 has the name-extension record 4E (absent on some 2nd-generation cards).
    pub name_extension: bool,
    /// The card supports READ RECORD "all records from P1" (P2 = SFI << 3 | 101).
    pub read_all: bool,
    /// Drop the connection (card pulled) when APDU number N + 1 arrives.
    pub drop_after_apdus: Option<u32>,
    /// READ RECORD data comes with the warning `62 82` (end of record reached before Le bytes)
    /// instead of `90 00`, as cards of some vendors answer Le = 00.
    pub warn_short_record: bool,
    /// SELECT answers `62 84` (FCI not formatted according to ISO) instead of `90 00`.
    pub select_warning: bool,
    /// GET CHALLENGE with a Le other than 00 answers `67 00` (wrong length) and no `6C xx`.
    pub challenge_le_zero: bool,
    /// A case-2 command (no data, data back) with a short Le of 00 answers `67 00`: the card
    /// takes the exact Le, a shorter one (it then sends that many bytes), or an extended Le.
    pub le_zero_wrong_length: bool,
    /// The card takes extended-length APDUs and says so in its ATR (card capabilities).
    pub extended_length: bool,
}

impl Default for Variant {
    fn default() -> Self {
        Variant {
            require_mf: false,
            select_61xx: false,
            exact_le: false,
            get_response: false,
            name_extension: true,
            read_all: true,
            drop_after_apdus: None,
            warn_short_record: false,
            select_warning: false,
            challenge_le_zero: false,
            le_zero_wrong_length: false,
            extended_length: false,
        }
    }
}

/// Malformed cards, to test the error paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// EF06 record 08 declares more bytes than the file holds.
    BadTlvLength,
    /// The ID number's check character is wrong.
    WrongCheckCharacter,
    /// The name is not valid GBK.
    GbkGarbage,
    /// SSSE without EF06.
    MissingEf06,
    /// No SSSE at all (`6A 82`): any other smart card.
    NoSsse,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("cannot read profile {0}: {1}")]
    Io(String, std::io::Error),
    #[error("profile {0} is invalid: {1}")]
    Json(String, serde_json::Error),
    #[error("{0}")]
    Invalid(String),
}

/// The PIN of every demo and test card (README).
pub const DEMO_PIN: &str = "123456";
/// Wrong PINs a fresh card takes before it blocks.
pub const PIN_TRIES: u8 = 6;

fn default_pin() -> String {
    DEMO_PIN.to_string()
}

fn default_pin_tries() -> u8 {
    PIN_TRIES
}

fn default_card_type() -> String {
    "01".into()
}

fn default_institution() -> String {
    "000000000000000000000000".into()
}

impl CardProfile {
    pub fn load(path: &std::path::Path) -> Result<CardProfile, ProfileError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError::Io(name.clone(), e))?;
        let profile: CardProfile =
            serde_json::from_str(&text).map_err(|e| ProfileError::Json(name, e))?;
        profile.check()?;
        Ok(profile)
    }

    /// The citizen's card in use (the active one, else the latest issued) with the person's data.
    pub fn from_record(record: &UnifiedRecord) -> Result<CardProfile, ProfileError> {
        let card = record
            .cards
            .iter()
            .find(|c| c.status == CardStatus::Active)
            .or(record.cards.first())
            .ok_or_else(|| {
                ProfileError::Invalid(format!(
                    "{} has no social security card in the store",
                    record.person.ssn.masked()
                ))
            })?;
        let p = &record.person;
        let profile = CardProfile {
            card_id_code: card.card_id_code.clone(),
            card_type: default_card_type(),
            spec_version: card.spec_version.clone(),
            institution: default_institution(),
            issued_on: card.issued_on,
            expires_on: card.expires_on,
            card_no: card.card_no.clone(),
            ssn: p.ssn.as_str().to_string(),
            name: p.name.clone(),
            gender: p.gender.code().to_string(),
            ethnicity: p.ethnicity.clone(),
            birthplace: p.ssn.region_code().to_string(),
            birth_date: p.birth_date,
            master_key: None,
            pin: default_pin(),
            pin_tries: default_pin_tries(),
            variant: Variant::default(),
            fault: None,
        };
        profile.check()?;
        Ok(profile)
    }

    /// `generation` 1, 2 or 3 → spec version "1.00"…"3.00".
    pub fn set_generation(&mut self, generation: u8) -> Result<(), ProfileError> {
        if !(1..=3).contains(&generation) {
            return Err(ProfileError::Invalid("generation must be 1, 2 or 3".into()));
        }
        self.spec_version = format!("{generation}.00");
        Ok(())
    }

    /// What can be encoded at all; content errors (on purpose) are left to the reader to catch.
    fn check(&self) -> Result<(), ProfileError> {
        let bad = |what: &str| Err(ProfileError::Invalid(format!("profile: {what}")));
        if hex::decode(&self.card_id_code).map(|b| b.len()) != Ok(16) {
            return bad("card_id_code must be 32 hex characters");
        }
        if hex::decode(&self.card_type).is_err() || hex::decode(&self.institution).is_err() {
            return bad("card_type and institution must be hex");
        }
        if crate::card::bcd::encode(&self.birthplace).is_none() {
            return bad("birthplace must be an even number of digits");
        }
        if self.ethnicity.parse::<u8>().is_err() {
            return bad("ethnicity must be a number below 256");
        }
        if let Some(key) = &self.master_key {
            crate::card::security::parse_key(key).map_err(ProfileError::Invalid)?;
        }
        Ok(())
    }
}
