//! Money as an integer number of fen (分, 1/100 yuan): no floating point ever touches an amount.

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fen(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("amount is empty")]
    Empty,
    #[error("amount {0:?} is not a number of yuan such as 1234.56")]
    Syntax(String),
    #[error("amount {0:?} has more than 2 decimals (fen is the smallest unit)")]
    TooPrecise(String),
    #[error("amount {0:?} is too large")]
    Overflow(String),
    #[error("amount {0:?} must not be negative")]
    Negative(String),
}

impl Fen {
    /// Parses a non-negative yuan amount with at most two decimals (`1234`, `1234.5`, `1234.56`).
    pub fn parse_yuan(text: &str) -> Result<Fen, MoneyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        if t.starts_with('-') {
            return Err(MoneyError::Negative(t.to_string()));
        }
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(frac)
            || (t.contains('.') && frac.is_empty())
        {
            return Err(MoneyError::Syntax(t.to_string()));
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise(t.to_string()));
        }
        let overflow = || MoneyError::Overflow(t.to_string());
        let yuan: i64 = whole.parse().map_err(|_| overflow())?;
        let mut fen: i64 = frac.parse().unwrap_or(0);
        if frac.len() == 1 {
            fen *= 10;
        }
        yuan.checked_mul(100)
            .and_then(|v| v.checked_add(fen))
            .map(Fen)
            .ok_or_else(overflow)
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, other: Fen) -> Fen {
        Fen(self.0 + other.0)
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

/// Shown as yuan with two decimals, the way amounts appear on certificates and exports.
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// Serialised as a string of yuan (`"1234.56"`) so JSON clients never round through a float.
impl serde::Serialize for Fen {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_whole_and_decimal_yuan() {
        assert_eq!(Fen::parse_yuan("1234").unwrap(), Fen(123_400));
        assert_eq!(Fen::parse_yuan("1234.5").unwrap(), Fen(123_450));
        assert_eq!(Fen::parse_yuan(" 0.07 ").unwrap(), Fen(7));
    }

    #[test]
    fn rejects_what_a_clerk_could_mistype() {
        assert_eq!(Fen::parse_yuan("").unwrap_err(), MoneyError::Empty);
        assert!(matches!(
            Fen::parse_yuan("12.345"),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(
            Fen::parse_yuan("-5"),
            Err(MoneyError::Negative(_))
        ));
        assert!(matches!(
            Fen::parse_yuan("1,234"),
            Err(MoneyError::Syntax(_))
        ));
        assert!(matches!(Fen::parse_yuan("12."), Err(MoneyError::Syntax(_))));
        assert!(matches!(Fen::parse_yuan(".5"), Err(MoneyError::Syntax(_))));
        assert!(matches!(
            Fen::parse_yuan("99999999999999999999"),
            Err(MoneyError::Overflow(_))
        ));
    }

    #[test]
    fn displays_as_yuan_with_two_decimals() {
        assert_eq!(Fen(123_405).to_string(), "1234.05");
        assert_eq!(Fen(-5).to_string(), "-0.05");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(fen in 0i64..i64::MAX / 200) {
            prop_assert_eq!(Fen::parse_yuan(&Fen(fen).to_string()).unwrap(), Fen(fen));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = Fen::parse_yuan(&s);
        }
    }
}
