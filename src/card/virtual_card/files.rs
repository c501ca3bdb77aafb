//! A profile laid out as the card's records (ssc-card.md §1), faults included.

use super::profile::{CardProfile, Fault};
use crate::card::{bcd, security, tlv};

/// One record of an EF: its identifier and its bytes as READ RECORD returns them (a TLV).
#[derive(Debug, Clone)]
pub struct Record {
    pub tag: u8,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct CardFiles {
    pub has_ssse: bool,
    pub ef05: Vec<Record>,
    /// `None`: the card has no EF06.
    pub ef06: Option<Vec<Record>>,
    /// Per-card key of the test scheme, for a 3.00 card.
    /// The card's own key (test scheme): every generation answers INTERNAL AUTHENTICATE with
    /// it, the proof a center checks (docs/terminals.md).
    pub card_key: [u8; 16],
    /// 3.00 cards: EF05 02/04/05/06 and EF06 only after EXTERNAL AUTHENTICATE.
    pub protected: bool,
}

fn fixed(mut bytes: Vec<u8>, len: usize) -> Vec<u8> {
    bytes.resize(len, 0x00);
    bytes
}

fn record(tag: u8, value: &[u8]) -> Record {
    Record {
        tag,
        bytes: tlv::encode(tag, value),
    }
}

/// GBK name split at a character boundary into 姓名 (30 bytes) and 姓名扩展 (20 bytes).
fn split_name(name: &str) -> (Vec<u8>, Vec<u8>) {
    let mut head = Vec::new();
    let mut tail = Vec::new();
    for c in name.chars() {
        let mut utf8 = [0; 4];
        let (bytes, _, _) = encoding_rs::GBK.encode(c.encode_utf8(&mut utf8));
        if tail.is_empty() && head.len() + bytes.len() <= 30 {
            head.extend_from_slice(&bytes);
        } else {
            tail.extend_from_slice(&bytes);
        }
    }
    (fixed(head, 30), fixed(tail, 20))
}

impl CardFiles {
    /// `default_master` is the configured test key, used when the profile names none.
    pub fn build(p: &CardProfile, default_master: [u8; 16]) -> CardFiles {
        let hex_or_empty = |s: &str| hex::decode(s).unwrap_or_default();
        let card_id = hex_or_empty(&p.card_id_code);
        let ef05 = vec![
            record(0x01, &card_id),
            record(0x02, &hex_or_empty(&p.card_type)),
            record(0x03, p.spec_version.as_bytes()),
            record(0x04, &hex_or_empty(&p.institution)),
            record(0x05, &bcd::encode_date(p.issued_on)),
            record(0x06, &bcd::encode_date(p.expires_on)),
            record(0x07, p.card_no.as_bytes()),
        ];
        let mut ssn = p.ssn.clone().into_bytes();
        if p.fault == Some(Fault::WrongCheckCharacter) {
            if let Some(last) = ssn.last_mut() {
                *last = if *last == b'0' { b'1' } else { b'0' };
            }
        }
        let (mut name, extension) = split_name(&p.name);
        if p.fault == Some(Fault::GbkGarbage) {
            // 0x81 starts a double-byte GBK character; 0x20 can never be its second byte.
            name = fixed(vec![0x81, 0x20, 0x81, 0x20], 30);
        }
        let mut ef06 = vec![record(0x08, &ssn), record(0x09, &name)];
        if p.variant.name_extension {
            ef06.push(record(0x4E, &extension));
        }
        ef06.extend([
            record(0x0A, p.gender.as_bytes()),
            record(0x0B, &[p.ethnicity.parse().unwrap_or(0)]),
            record(0x0C, &bcd::encode(&p.birthplace).unwrap_or_default()),
            record(0x0D, &bcd::encode_date(p.birth_date)),
        ]);
        if p.fault == Some(Fault::BadTlvLength) {
            ef06[0].bytes[1] = 0xFE;
        }
        let master = p
            .master_key
            .as_deref()
            .and_then(|k| security::parse_key(k).ok())
            .unwrap_or(default_master);
        let id: [u8; 16] = card_id.clone().try_into().unwrap_or([0; 16]);
        let card_key = security::card_key(&master, &id);
        CardFiles {
            has_ssse: p.fault != Some(Fault::NoSsse),
            ef05,
            ef06: (p.fault != Some(Fault::MissingEf06)).then_some(ef06),
            card_key,
            protected: p.spec_version == "3.00",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_overflow_into_the_extension_at_a_character_boundary() {
        let name = format!("A{}", "阿".repeat(15));
        let (head, tail) = split_name(&name);
        assert_eq!(head[29], 0, "a double-byte character is never split");
        assert_eq!(encoding_rs::GBK.decode(&tail[..2]).0, "阿");
    }
}
