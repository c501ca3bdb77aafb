//! benefits.csv — benefits paid out, one row per person, benefit and month (待遇发放).

use super::fields::{FieldResult, Fields};
use super::{bulk, Subsystem};
use crate::db::{schema::benefits, DbConn, SqlDate};
use crate::domain::BenefitKind;
use diesel::prelude::*;

#[derive(Insertable)]
// None is written as NULL, which lets SQLite take the rows in one multi-row INSERT.
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = benefits)]
pub struct BenefitRow {
    ssn: String,
    benefit: &'static str,
    period: i32,
    amount: i64,
    paid_on: Option<SqlDate>,
    batch_id: i64,
}

pub struct Benefits;

impl Subsystem for Benefits {
    const NAME: &'static str = "benefits";
    const TABLE: &'static str = "benefits";
    const COLUMNS: &'static [&'static str] = &["ssn", "benefit", "period", "amount", "paid_on"];
    const KEY: &'static [&'static str] = &["ssn", "benefit", "period"];
    type Row = BenefitRow;
    type Key<'a> = (&'a str, &'static str, i32);

    fn parse(f: &Fields, batch_id: i64) -> FieldResult<BenefitRow> {
        Ok(BenefitRow {
            ssn: f.ssn()?.into_string(),
            benefit: f.code("benefit", BenefitKind::parse)?.code(),
            period: f.past_month("period")?.number(),
            amount: f.yuan("amount")?.0,
            paid_on: f.optional_past_date("paid_on")?.map(SqlDate),
            batch_id,
        })
    }

    fn ssn(row: &BenefitRow) -> &str {
        &row.ssn
    }

    fn key(row: &BenefitRow) -> Self::Key<'_> {
        (row.ssn.as_str(), row.benefit, row.period)
    }

    fn upsert(conn: &mut DbConn, rows: &[BenefitRow]) -> QueryResult<usize> {
        bulk::upsert_rows!(conn, rows, benefits::table)
    }
}
