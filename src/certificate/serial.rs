//! Certificate serial numbers (证明编号): issue date + 8 random Crockford base-32 characters,
//! e.g. `20261126-7K3M9Q2X`. Random rather than sequential so that nodes sharing one store need no
//! counter, and serials do not reveal how many certificates an office issues.

use chrono::NaiveDateTime;
use rand::Rng;

/// Crockford's alphabet: no I, L, O, U, so a serial read aloud or typed is not misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

pub fn new_serial(issued_at: NaiveDateTime) -> String {
    let mut rng = rand::rngs::OsRng;
    let tail: String = (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..32)] as char)
        .collect();
    // The bureau's calendar date, so that the serial and the printed 打印时间 agree.
    let day = crate::domain::bureau_time::date_of(issued_at);
    format!("{}-{tail}", day.format("%Y%m%d"))
}

/// Whether `text` has the shape of a serial; checked before any lookup so that junk in a URL
/// is answered without touching the store.
pub fn is_well_formed(text: &str) -> bool {
    let Some((date, tail)) = text.split_once('-') else {
        return false;
    };
    date.len() == 8
        && date.bytes().all(|b| b.is_ascii_digit())
        && tail.len() == 8
        && tail.bytes().all(|b| ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_well_formed_and_distinct() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let a = new_serial(t);
        assert!(a.starts_with("20261126-"), "{a}");
        assert!(is_well_formed(&a));
        assert_ne!(a, new_serial(t));
        assert!(!is_well_formed("20261126-ILOU0000"));
        assert!(!is_well_formed("../etc/passwd"));
    }
}
