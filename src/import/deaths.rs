//! deaths.csv — death records shared by public security (户口注销), civil affairs (火化) and
//! health (死亡医学证明), 社会保险经办条例 §8. One row per person and reporting source.

use super::fields::{FieldResult, Fields};
use super::{bulk, Subsystem};
use crate::db::{schema::deaths, DbConn};
use crate::domain::DeathSource;
use chrono::NaiveDate;
use diesel::prelude::*;

#[derive(Insertable)]
// As in the other kinds: the statement shape PostgreSQL's COPY and SQLite's REPLACE expect.
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = deaths)]
pub struct DeathRow {
    ssn: String,
    source: &'static str,
    death_date: NaiveDate,
    reported_on: NaiveDate,
    batch_id: i64,
}

pub struct Deaths;

impl Subsystem for Deaths {
    const NAME: &'static str = "deaths";
    const TABLE: &'static str = "deaths";
    const COLUMNS: &'static [&'static str] = &["ssn", "death_date", "source", "reported_on"];
    const KEY: &'static [&'static str] = &["ssn", "source"];
    type Row = DeathRow;
    type Key<'a> = (&'a str, &'static str);

    fn parse(f: &Fields, batch_id: i64) -> FieldResult<DeathRow> {
        let ssn = f.ssn()?;
        let death_date = f.past_date("death_date")?;
        if death_date < ssn.birth_date() {
            return Err(f.reject(
                "death_date",
                f.raw("death_date"),
                format!(
                    "death_date is before the birth date in the ID number ({})",
                    ssn.birth_date()
                ),
            ));
        }
        let source = f.code("source", DeathSource::parse)?;
        let reported_on = f.past_date("reported_on")?;
        f.not_before("reported_on", Some(reported_on), "death_date", death_date)?;
        Ok(DeathRow {
            ssn: ssn.into_string(),
            source: source.code(),
            death_date,
            reported_on,
            batch_id,
        })
    }

    fn ssn(row: &DeathRow) -> &str {
        &row.ssn
    }

    fn key(row: &DeathRow) -> Self::Key<'_> {
        (row.ssn.as_str(), row.source)
    }

    fn upsert(conn: &mut DbConn, rows: &[DeathRow]) -> QueryResult<usize> {
        bulk::upsert_rows!(conn, rows, deaths::table)
    }
}
