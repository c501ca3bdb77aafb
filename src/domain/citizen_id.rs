//! The 18-character citizen ID number (公民身份号码, GB 11643-1999), which is also the social
//! security number (社会保障号码) on the card and the key of every record in the store.
//!
//! Layout: 6-digit region code (GB/T 2260) + birth date YYYYMMDD + 3-digit sequence (odd = male)
//! + a check character computed over the first 17 digits (ISO 7064 MOD 11-2).

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Weights of digits 1..17 for the check character (GB 11643-1999 §7.2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by (weighted sum mod 11).
const CHECK: [u8; 11] = *b"10X98765432";

/// A validated citizen ID number. The only way to build one is [`CitizenId::parse`], so holding
/// one proves the text is well formed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CitizenId(String);

/// Why a text is not a citizen ID number, worded for the person who typed or exported it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CitizenIdError {
    #[error("ID number must have 18 characters, this one has {0}")]
    Length(usize),
    #[error("ID number may contain only digits (and X as the last character); found {0:?} at position {1}")]
    Character(char, usize),
    #[error("ID number contains an invalid birth date {0}")]
    BirthDate(String),
    #[error("ID number check character is wrong: expected {expected}, found {found} (a digit was probably mistyped)")]
    Check { expected: char, found: char },
}

impl CitizenIdError {
    /// The same fault in a sentence a clerk reads, saying what to check.
    pub fn zh(&self) -> String {
        match self {
            CitizenIdError::Length(n) => {
                format!("身份证号码应为18位（或15位旧号码），您输入了{n}位，请核对。")
            }
            CitizenIdError::Character(c, at) => {
                format!("身份证号码第{at}位“{c}”不是数字（只有最后一位可以是X），请核对。")
            }
            CitizenIdError::BirthDate(d) => {
                format!("身份证号码中的出生日期{d}不存在，请核对第7至14位。")
            }
            CitizenIdError::Check { expected, .. } => {
                format!("身份证号码校验位错误：按前17位计算应为{expected}，请核对各位数字。")
            }
        }
    }
}

impl CitizenId {
    /// Parses an ID number as people type or paste it: spaces, hyphens and full-width
    /// characters are dropped or made half-width, and a 15-digit number of the first
    /// generation (before 1999) is converted to its 18-digit form (19 inserted before the
    /// year, check character computed), as GB 11643 describes.
    pub fn parse_loose(text: &str) -> Result<Self, CitizenIdError> {
        let cleaned: String = text
            .chars()
            .filter_map(|c| match c {
                ' ' | '-' | '\u{3000}' | '\t' | '－' => None,
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                'Ｘ' | 'ｘ' => Some('X'),
                other => Some(other),
            })
            .collect();
        if cleaned.len() == 15 && cleaned.bytes().all(|b| b.is_ascii_digit()) {
            let first17 = format!("{}19{}", &cleaned[..6], &cleaned[6..]);
            let sum: u32 = first17
                .bytes()
                .zip(WEIGHTS.iter())
                .map(|(b, w)| (b - b'0') as u32 * w)
                .sum();
            let check = CHECK[(sum % 11) as usize] as char;
            return CitizenId::parse(&format!("{first17}{check}"));
        }
        CitizenId::parse(&cleaned)
    }

    /// Parses and validates an ID number. A lowercase `x` as check character is accepted and
    /// normalised to `X`, as ID readers and clerks produce both.
    pub fn parse(text: &str) -> Result<Self, CitizenIdError> {
        let text = text.trim();
        let count = text.chars().count();
        if count != 18 {
            return Err(CitizenIdError::Length(count));
        }
        let mut normalised = String::with_capacity(18);
        let mut sum = 0u32;
        for (i, c) in text.chars().enumerate() {
            match (i, c) {
                (0..=16, '0'..='9') => sum += (c as u32 - '0' as u32) * WEIGHTS[i],
                (17, '0'..='9' | 'X' | 'x') => {}
                _ => return Err(CitizenIdError::Character(c, i + 1)),
            }
            normalised.push(c.to_ascii_uppercase());
        }
        let expected = CHECK[(sum % 11) as usize] as char;
        let found = normalised.as_bytes()[17] as char;
        if expected != found {
            return Err(CitizenIdError::Check { expected, found });
        }
        let id = CitizenId(normalised);
        if id.birth_date_checked().is_none() {
            return Err(CitizenIdError::BirthDate(id.0[6..14].to_string()));
        }
        Ok(id)
    }

    /// Builds a valid ID from its first 17 digits by appending the check character. Used by the
    /// demo-data generator and the tests; returns `None` when the prefix is not 17 digits.
    pub fn with_check_character(first17: &str) -> Option<Self> {
        if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let sum: u32 = first17
            .bytes()
            .zip(WEIGHTS)
            .map(|(b, w)| (b - b'0') as u32 * w)
            .sum();
        let mut s = first17.to_string();
        s.push(CHECK[(sum % 11) as usize] as char);
        Self::parse(&s).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The 6-digit administrative region code of the place the number was first issued.
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date_checked()
            .expect("birth date validated in parse")
    }

    fn birth_date_checked(&self) -> Option<NaiveDate> {
        let y = self.0[6..10].parse().ok()?;
        let m = self.0[10..12].parse().ok()?;
        let d = self.0[12..14].parse().ok()?;
        NaiveDate::from_ymd_opt(y, m, d).filter(|date| date.year() >= 1850)
    }

    /// Gender implied by the sequence number: odd = male.
    pub fn gender(&self) -> super::Gender {
        let seq = self.0.as_bytes()[16] - b'0';
        if seq % 2 == 1 {
            super::Gender::Male
        } else {
            super::Gender::Female
        }
    }

    /// The form used in logs and on printed documents: region kept, the rest hidden but for the
    /// last four characters (`1101**********002X`).
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks any ID-like text for logs; tolerates invalid input so a bad number never leaks whole
/// through an error message.
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let keep_tail = 4;
    let keep_head = 4;
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_head || i >= chars.len() - keep_tail {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

impl fmt::Display for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Debug masks the number so that `{:?}` in a log line never prints it whole.
impl fmt::Debug for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CitizenId({})", self.masked())
    }
}

impl std::str::FromStr for CitizenId {
    type Err = CitizenIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for CitizenId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_input_is_cleaned_and_old_numbers_converted() {
        let id = CitizenId::parse_loose("110105 19491231-002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        let full_width = CitizenId::parse_loose("１１０１０５１９４９１２３１００２Ｘ").unwrap();
        assert_eq!(full_width, id);
        // 15 digits: 110105 491231 002 → 110105 19491231 002 + check character.
        assert_eq!(CitizenId::parse_loose("110105491231002").unwrap(), id);
        assert!(CitizenId::parse_loose("11010519491231002")
            .unwrap_err()
            .zh()
            .contains("17位"));
    }
    use proptest::prelude::*;

    #[test]
    fn accepts_the_published_examples() {
        for id in [
            "11010519491231002X",
            "440524188001010014",
            "111111198101011110",
        ] {
            assert!(CitizenId::parse(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn lowercase_x_is_normalised() {
        assert_eq!(
            CitizenId::parse("11010519491231002x").unwrap().as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn wrong_check_character_names_the_expected_one() {
        let err = CitizenId::parse("110105194912310021").unwrap_err();
        assert_eq!(
            err,
            CitizenIdError::Check {
                expected: 'X',
                found: '1'
            }
        );
    }

    #[test]
    fn rejects_bad_length_characters_and_dates() {
        assert_eq!(
            CitizenId::parse("1234").unwrap_err(),
            CitizenIdError::Length(4)
        );
        assert!(matches!(
            CitizenId::parse("1101051949123100AX").unwrap_err(),
            CitizenIdError::Character('A', 17)
        ));
        let feb30 = CitizenId::with_check_character("11010519490230002");
        assert!(feb30.is_none());
        let raw = "110105194902300020";
        assert!(matches!(
            CitizenId::parse(raw).unwrap_err(),
            CitizenIdError::BirthDate(_) | CitizenIdError::Check { .. }
        ));
    }

    #[test]
    fn parts_are_read_from_their_positions() {
        let id = CitizenId::parse("11010519491231002X").unwrap();
        assert_eq!(id.region_code(), "110105");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.gender(), crate::domain::Gender::Female);
        assert_eq!(id.masked(), "1101**********002X");
        assert_eq!(format!("{id:?}"), "CitizenId(1101**********002X)");
    }

    proptest! {
        #[test]
        fn any_valid_prefix_gets_a_check_character_that_parses(
            region in 110000u32..660000, days in 0i64..40000, seq in 0u32..1000
        ) {
            let birth = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let prefix = format!("{region:06}{}{seq:03}", birth.format("%Y%m%d"));
            let id = CitizenId::with_check_character(&prefix).unwrap();
            prop_assert_eq!(id.birth_date(), birth);
            prop_assert_eq!(CitizenId::parse(id.as_str()).unwrap(), id);
        }

        #[test]
        fn changing_one_digit_is_always_detected(pos in 0usize..17, delta in 1u8..10) {
            let good = "440524188001010014";
            let mut bytes = good.as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let bad = String::from_utf8(bytes).unwrap();
            prop_assert!(CitizenId::parse(&bad).is_err());
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = CitizenId::parse(&s);
            let _ = mask(&s);
        }
    }
}
