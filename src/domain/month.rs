//! A calendar month (费款所属期), the unit contributions and benefits are paid for.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Stored as `year * 100 + month` (e.g. `201907`), which sorts correctly and reads plainly in the
/// database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonthError {
    #[error("month {0:?} is not in the form YYYY-MM")]
    Syntax(String),
    #[error("month {0:?} is out of range (months are 01 to 12, years 1950 to 2100)")]
    Range(String),
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1950..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Month(year * 100 + month as i32))
    }

    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Result<Month, MonthError> {
        let t = text.trim();
        let syntax = || MonthError::Syntax(t.to_string());
        let (y, m) = t.split_once('-').ok_or_else(syntax)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(syntax());
        }
        let year: i32 = y.parse().map_err(|_| syntax())?;
        let month: u32 = m.parse().map_err(|_| syntax())?;
        Month::new(year, month).ok_or_else(|| MonthError::Range(t.to_string()))
    }

    pub fn of_date(date: NaiveDate) -> Month {
        Month(date.year() * 100 + date.month() as i32)
    }

    /// Rebuilds a month from its stored number; `None` for numbers no `Month` could produce.
    pub fn from_number(n: i32) -> Option<Month> {
        Month::new(n / 100, (n % 100) as u32)
    }

    pub fn number(self) -> i32 {
        self.0
    }

    pub fn year(self) -> i32 {
        self.0 / 100
    }

    pub fn month(self) -> u32 {
        (self.0 % 100) as u32
    }

    /// Months since year 0, so that month arithmetic is integer arithmetic.
    fn index(self) -> i32 {
        self.year() * 12 + self.month() as i32 - 1
    }

    fn from_index(i: i32) -> Month {
        Month((i / 12) * 100 + i % 12 + 1)
    }

    pub fn next(self) -> Month {
        Month::from_index(self.index() + 1)
    }

    /// The month `months` later (earlier when negative); `None` outside the years a `Month` holds.
    pub fn offset(self, months: i32) -> Option<Month> {
        let m = Month::from_index(self.index() + months);
        Month::new(m.year(), m.month())
    }

    /// Signed number of months from `self` to `other` (0 for the same month).
    pub fn months_until(self, other: Month) -> i32 {
        other.index() - self.index()
    }

    /// Number of months from `self` to `other`, counting both ends; 0 when `other` is earlier.
    pub fn count_to(self, other: Month) -> u32 {
        (other.index() - self.index() + 1).max(0) as u32
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        (self.index()..=last.index()).map(Month::from_index)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let m = Month::parse("2019-07").unwrap();
        assert_eq!((m.year(), m.month(), m.number()), (2019, 7, 201907));
        assert_eq!(m.to_string(), "2019-07");
        assert!(matches!(Month::parse("2019-13"), Err(MonthError::Range(_))));
        assert!(matches!(
            Month::parse("2019/07"),
            Err(MonthError::Syntax(_))
        ));
        assert!(matches!(Month::parse("19-07"), Err(MonthError::Syntax(_))));
    }

    #[test]
    fn arithmetic_crosses_years() {
        let dec = Month::parse("2019-12").unwrap();
        assert_eq!(dec.next().to_string(), "2020-01");
        assert_eq!(dec.count_to(Month::parse("2020-02").unwrap()), 3);
        assert_eq!(dec.next().count_to(dec), 0);
        assert_eq!(dec.through(Month::parse("2020-01").unwrap()).count(), 2);
        assert_eq!(Month::from_number(201913), None);
    }
}
