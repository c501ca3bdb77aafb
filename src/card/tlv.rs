//! The record format of EF05/EF06: `tag (1 byte) | length (1 byte) | value`, the tag being the
//! data-item number (ssc-card.md §1). A response to "read all records" is such records end to end.

/// One record: its tag and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tlv {
    pub tag: u8,
    pub value: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlvError {
    #[error("record ends inside its header at byte {0}")]
    TruncatedHeader(usize),
    #[error("record {tag:02X} declares {declared} bytes but only {available} follow")]
    TruncatedValue {
        tag: u8,
        declared: usize,
        available: usize,
    },
}

/// Parses records end to end. Trailing 0x00/0xFF bytes (unused record space on some cards) end
/// the sequence.
pub fn parse_all(mut bytes: &[u8]) -> Result<Vec<Tlv>, TlvError> {
    let mut out = Vec::new();
    let mut offset = 0;
    while let Some(&tag) = bytes.first() {
        if tag == 0x00 || tag == 0xFF {
            break;
        }
        let Some(&len) = bytes.get(1) else {
            return Err(TlvError::TruncatedHeader(offset));
        };
        let len = len as usize;
        let available = bytes.len() - 2;
        if len > available {
            return Err(TlvError::TruncatedValue {
                tag,
                declared: len,
                available,
            });
        }
        out.push(Tlv {
            tag,
            value: bytes[2..2 + len].to_vec(),
        });
        bytes = &bytes[2 + len..];
        offset += 2 + len;
    }
    Ok(out)
}

/// Encodes one record; values longer than 255 bytes are cut (no card item is that long).
pub fn encode(tag: u8, value: &[u8]) -> Vec<u8> {
    let value = &value[..value.len().min(255)];
    let mut out = vec![tag, value.len() as u8];
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_records_end_to_end_and_stops_at_padding() {
        let bytes = [
            0x03, 0x04, b'2', b'.', b'0', b'0', 0x07, 0x01, b'X', 0x00, 0x00,
        ];
        let records = parse_all(&bytes).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].value, b"X");
    }

    #[test]
    fn a_length_past_the_end_is_an_error() {
        assert_eq!(
            parse_all(&[0x08, 0x12, b'1']),
            Err(TlvError::TruncatedValue {
                tag: 8,
                declared: 18,
                available: 1
            })
        );
        assert_eq!(parse_all(&[0x08]), Err(TlvError::TruncatedHeader(0)));
    }

    proptest! {
        #[test]
        fn never_panics_and_round_trips(records in prop::collection::vec((1u8..0xFF, prop::collection::vec(any::<u8>(), 0..40)), 0..10), junk in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = parse_all(&junk);
            let bytes: Vec<u8> = records.iter().flat_map(|(t, v)| encode(*t, v)).collect();
            let parsed = parse_all(&bytes).unwrap();
            prop_assert_eq!(parsed.len(), records.len());
        }
    }
}
