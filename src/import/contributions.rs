//! contributions.csv — one row per person, insurance and month paid for (缴费明细).

use super::fields::{FieldResult, Fields};
use super::{bulk, Subsystem};
use crate::db::{schema::contributions, DbConn, SqlDate};
use crate::domain::{ContributionStatus, Insurance};
use diesel::prelude::*;

#[derive(Insertable)]
// None is written as NULL, which lets SQLite take the rows in one multi-row INSERT.
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = contributions)]
pub struct ContributionRow {
    ssn: String,
    insurance: &'static str,
    period: i32,
    base: i64,
    employer_amount: i64,
    personal_amount: i64,
    paid_on: Option<SqlDate>,
    employer_code: String,
    status: &'static str,
    batch_id: i64,
}

pub struct Contributions;

impl Subsystem for Contributions {
    const NAME: &'static str = "contributions";
    const TABLE: &'static str = "contributions";
    const COLUMNS: &'static [&'static str] = &[
        "ssn",
        "insurance",
        "period",
        "base",
        "employer_amount",
        "personal_amount",
        "paid_on",
        "employer_code",
        "status",
    ];
    const KEY: &'static [&'static str] = &["ssn", "insurance", "period"];
    type Row = ContributionRow;
    type Key<'a> = (&'a str, &'static str, i32);

    fn parse(f: &Fields, batch_id: i64) -> FieldResult<ContributionRow> {
        let ssn = f.ssn()?;
        let insurance = f.code("insurance", Insurance::parse)?;
        let period = f.past_month("period")?;
        let status = f.code("status", ContributionStatus::parse)?;
        let paid_on = f.optional_past_date("paid_on")?;
        // A month counted as paid must say when the money arrived; arrears have no date.
        match (status.counts_as_paid(), paid_on) {
            (true, None) => {
                return Err(f.reject(
                    "paid_on",
                    "",
                    format!("paid_on is required when status is {status}"),
                ))
            }
            (false, Some(_)) => {
                return Err(f.reject(
                    "paid_on",
                    f.raw("paid_on"),
                    "paid_on must be empty for arrears",
                ))
            }
            _ => {}
        }
        let employer_code = f.raw("employer_code");
        if employer_code.chars().count() > 40 {
            return Err(f.reject(
                "employer_code",
                employer_code,
                "employer_code is longer than 40 characters",
            ));
        }
        Ok(ContributionRow {
            ssn: ssn.into_string(),
            insurance: insurance.code(),
            period: period.number(),
            base: f.yuan("base")?.0,
            employer_amount: f.yuan("employer_amount")?.0,
            personal_amount: f.yuan("personal_amount")?.0,
            paid_on: paid_on.map(SqlDate),
            employer_code: employer_code.to_string(),
            status: status.code(),
            batch_id,
        })
    }

    fn ssn(row: &ContributionRow) -> &str {
        &row.ssn
    }

    fn key(row: &ContributionRow) -> Self::Key<'_> {
        (row.ssn.as_str(), row.insurance, row.period)
    }

    fn upsert(conn: &mut DbConn, rows: &[ContributionRow]) -> QueryResult<usize> {
        bulk::upsert_rows!(conn, rows, contributions::table)
    }
}
