//! Reading one CSV row's fields by column name, with each failure turned into a [`Reject`] that
//! names the column and says what a clerk should fix.

use crate::domain::{CitizenId, Fen, Month};
use chrono::NaiveDate;
use csv::ByteRecord;

/// Why one row was not taken. `line` is the 1-based line in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// A row's fields, addressed by the column names of the file's header. The record's bytes have
/// been checked to be UTF-8 as a whole before a `Fields` is made.
pub struct Fields<'a> {
    pub record: &'a ByteRecord,
    pub columns: &'a [&'static str],
    /// Position in the file of each expected column, in `columns` order.
    pub positions: &'a [usize],
    pub line: u64,
    pub today: NaiveDate,
}

pub type FieldResult<T> = Result<T, Reject>;

/// The position of an optional column the file does not have: reads as empty.
pub const ABSENT: usize = usize::MAX;

impl<'a> Fields<'a> {
    pub fn reject(&self, column: &str, value: &str, reason: impl Into<String>) -> Reject {
        Reject {
            line: self.line,
            column: column.to_string(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// The trimmed text of a column (empty when absent from a short row).
    pub fn raw(&self, column: &str) -> &'a str {
        let idx = self
            .columns
            .iter()
            .position(|c| *c == column)
            .expect("column names are constants of the importer");
        let bytes = self.record.get(self.positions[idx]).unwrap_or(b"");
        std::str::from_utf8(bytes).unwrap_or("").trim()
    }

    /// Whether the file has this column (an optional column may be left out of the header).
    pub fn has(&self, column: &str) -> bool {
        self.columns
            .iter()
            .position(|c| *c == column)
            .is_some_and(|idx| self.positions[idx] != ABSENT)
    }

    pub fn optional(&self, column: &str) -> Option<String> {
        let v = self.raw(column);
        (!v.is_empty()).then(|| v.to_string())
    }

    /// A required text of at most `max` characters.
    pub fn text(&self, column: &str, max: usize) -> FieldResult<String> {
        let v = self.raw(column);
        if v.is_empty() {
            return Err(self.reject(column, v, format!("{column} is required")));
        }
        if v.chars().count() > max {
            return Err(self.reject(
                column,
                v,
                format!("{column} is longer than {max} characters"),
            ));
        }
        Ok(v.to_string())
    }

    /// A text of exactly `len` ASCII digits (region codes, ethnicity codes).
    pub fn digits(&self, column: &str, len: usize) -> FieldResult<String> {
        let v = self.raw(column);
        if v.len() != len || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.reject(column, v, format!("{column} must be {len} digits")));
        }
        Ok(v.to_string())
    }

    pub fn ssn(&self) -> FieldResult<CitizenId> {
        let v = self.raw("ssn");
        CitizenId::parse(v).map_err(|e| self.reject("ssn", v, e.to_string()))
    }

    pub fn date(&self, column: &str) -> FieldResult<NaiveDate> {
        let v = self.raw(column);
        parse_date(v).ok_or_else(|| {
            self.reject(
                column,
                v,
                format!("{column} must be a date written YYYY-MM-DD"),
            )
        })
    }

    /// A date that cannot lie after today (a payment, a registration).
    pub fn past_date(&self, column: &str) -> FieldResult<NaiveDate> {
        let d = self.date(column)?;
        if d > self.today {
            return Err(self.reject(
                column,
                self.raw(column),
                format!("{column} is in the future"),
            ));
        }
        Ok(d)
    }

    pub fn optional_past_date(&self, column: &str) -> FieldResult<Option<NaiveDate>> {
        if self.raw(column).is_empty() {
            return Ok(None);
        }
        self.past_date(column).map(Some)
    }

    /// A `YYYY-MM` month that is not after the current month.
    pub fn past_month(&self, column: &str) -> FieldResult<Month> {
        let v = self.raw(column);
        let m = Month::parse(v).map_err(|e| self.reject(column, v, e.to_string()))?;
        if m > Month::of_date(self.today) {
            return Err(self.reject(column, v, format!("{column} {m} is a future month")));
        }
        Ok(m)
    }

    pub fn yuan(&self, column: &str) -> FieldResult<Fen> {
        let v = self.raw(column);
        Fen::parse_yuan(v).map_err(|e| self.reject(column, v, format!("{column}: {e}")))
    }

    /// A value from one of the domain's code lists.
    pub fn code<T, E: std::fmt::Display>(
        &self,
        column: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> FieldResult<T> {
        let v = self.raw(column);
        parse(v).map_err(|e| self.reject(column, v, e.to_string()))
    }

    /// Rejects `later` when it is before `earlier`.
    pub fn not_before(
        &self,
        later_column: &str,
        later: Option<NaiveDate>,
        earlier_column: &str,
        earlier: NaiveDate,
    ) -> FieldResult<()> {
        match later {
            Some(d) if d < earlier => Err(self.reject(
                later_column,
                self.raw(later_column),
                format!("{later_column} is before {earlier_column} ({earlier})"),
            )),
            _ => Ok(()),
        }
    }
}

/// Strict `YYYY-MM-DD`: exports that write `2019/1/5` or `20190105` are rejected rather than
/// guessed at.
pub fn parse_date(v: &str) -> Option<NaiveDate> {
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // Read by hand: chrono's format-string parser was a visible share of a large import.
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(
        number(&b[0..4])? as i32,
        number(&b[5..7])?,
        number(&b[8..10])?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_iso() {
        assert!(parse_date("2019-01-05").is_some());
        assert!(parse_date("2019-1-5").is_none());
        assert!(parse_date("2019/01/05").is_none());
        assert!(parse_date("2019-02-30").is_none());
        assert!(parse_date("20190105").is_none());
    }
}
