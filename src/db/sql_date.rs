//! [`SqlDate`]: a calendar date for bulk inserts. On SQLite a date is stored as `YYYY-MM-DD`
//! text, and diesel writes a `NaiveDate` through chrono's general formatter (parsing a
//! `%Y-%m-%d` pattern for every value), which was ~4 % of a million-row import. This writes the
//! ten characters directly; PostgreSQL keeps chrono's binary encoding.

use chrono::{Datelike, NaiveDate};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Date;
use diesel::sqlite::Sqlite;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::expression::AsExpression)]
#[diesel(sql_type = Date)]
pub struct SqlDate(pub NaiveDate);

impl From<NaiveDate> for SqlDate {
    fn from(date: NaiveDate) -> Self {
        SqlDate(date)
    }
}

/// `YYYY-MM-DD`, exactly as chrono's `%Y-%m-%d` writes years 0–9999 (the only ones the
/// importer lets through); other years go through chrono.
pub fn iso_date(date: NaiveDate) -> String {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return date.format("%Y-%m-%d").to_string();
    }
    let digits = |n: u32, width: usize, out: &mut Vec<u8>| {
        let mut buf = [b'0'; 4];
        let mut n = n;
        for slot in buf[..width].iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
        out.extend_from_slice(&buf[..width]);
    };
    let mut out = Vec::with_capacity(10);
    digits(year as u32, 4, &mut out);
    out.push(b'-');
    digits(date.month(), 2, &mut out);
    out.push(b'-');
    digits(date.day(), 2, &mut out);
    String::from_utf8(out).expect("ASCII digits and dashes")
}

impl ToSql<Date, Sqlite> for SqlDate {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(iso_date(self.0));
        Ok(IsNull::No)
    }
}

impl ToSql<Date, Pg> for SqlDate {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        ToSql::<Date, Pg>::to_sql(&self.0, &mut out.reborrow())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn writes_what_chrono_writes(days in 0i32..3_652_059) {
            let date = NaiveDate::from_num_days_from_ce_opt(days + 1).unwrap();
            prop_assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
        }
    }
}
