//! Packed BCD as the card stores dates (`YYYYMMDD` in 4 bytes) and region codes (6 digits in 3).

use chrono::NaiveDate;

/// Digits of packed BCD, or `None` when a nibble is not 0–9.
pub fn decode(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0F] {
            if nibble > 9 {
                return None;
            }
            out.push((b'0' + nibble) as char);
        }
    }
    Some(out)
}

/// Packs an even number of ASCII digits; `None` for anything else.
pub fn encode(digits: &str) -> Option<Vec<u8>> {
    let d = digits.as_bytes();
    if !d.len().is_multiple_of(2) || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        d.chunks(2)
            .map(|p| ((p[0] - b'0') << 4) | (p[1] - b'0'))
            .collect(),
    )
}

pub fn decode_date(bytes: &[u8]) -> Option<NaiveDate> {
    if bytes.len() != 4 {
        return None;
    }
    NaiveDate::parse_from_str(&decode(bytes)?, "%Y%m%d").ok()
}

pub fn encode_date(date: NaiveDate) -> Vec<u8> {
    encode(&date.format("%Y%m%d").to_string()).expect("a formatted date is 8 digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_bad_nibbles_are_refused() {
        let d = NaiveDate::from_ymd_opt(2020, 9, 15).unwrap();
        assert_eq!(encode_date(d), [0x20, 0x20, 0x09, 0x15]);
        assert_eq!(decode_date(&[0x20, 0x20, 0x09, 0x15]), Some(d));
        assert_eq!(decode_date(&[0x20, 0x20, 0x13, 0x01]), None);
        assert_eq!(decode(&[0x1A]), None);
        assert_eq!(encode("11010"), None);
    }
}
