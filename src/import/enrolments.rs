//! enrolments.csv — enrolment spells per insurance and employer (参保登记).

use super::fields::{FieldResult, Fields};
use super::{bulk, Subsystem};
use crate::db::{schema::enrolments, DbConn};
use crate::domain::{EnrolmentStatus, Insurance};
use chrono::NaiveDate;
use diesel::prelude::*;

#[derive(Insertable)]
// None is written as NULL, which lets SQLite take the rows in one multi-row INSERT.
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = enrolments)]
pub struct EnrolmentRow {
    ssn: String,
    insurance: &'static str,
    employer_code: String,
    started_on: NaiveDate,
    employer_name: String,
    region_code: String,
    ended_on: Option<NaiveDate>,
    status: &'static str,
    batch_id: i64,
}

pub struct Enrolments;

impl Subsystem for Enrolments {
    const NAME: &'static str = "enrolments";
    const TABLE: &'static str = "enrolments";
    const COLUMNS: &'static [&'static str] = &[
        "ssn",
        "insurance",
        "employer_code",
        "employer_name",
        "region_code",
        "started_on",
        "ended_on",
        "status",
    ];
    const KEY: &'static [&'static str] = &["ssn", "insurance", "employer_code", "started_on"];
    type Row = EnrolmentRow;
    type Key<'a> = (&'a str, &'static str, &'a str, NaiveDate);

    fn parse(f: &Fields, batch_id: i64) -> FieldResult<EnrolmentRow> {
        let ssn = f.ssn()?;
        let insurance = f.code("insurance", Insurance::parse)?;
        // Resident pension (城乡居民) has no employer: the code and name may be empty there.
        let (employer_code, employer_name) = if insurance == Insurance::ResidentPension {
            (
                f.raw("employer_code").to_string(),
                f.raw("employer_name").to_string(),
            )
        } else {
            (f.text("employer_code", 40)?, f.text("employer_name", 100)?)
        };
        let started_on = f.past_date("started_on")?;
        let ended_on = f.optional_past_date("ended_on")?;
        f.not_before("ended_on", ended_on, "started_on", started_on)?;
        Ok(EnrolmentRow {
            ssn: ssn.into_string(),
            insurance: insurance.code(),
            employer_code,
            started_on,
            employer_name,
            region_code: f.digits("region_code", 6)?,
            ended_on,
            status: f.code("status", EnrolmentStatus::parse)?.code(),
            batch_id,
        })
    }

    fn ssn(row: &EnrolmentRow) -> &str {
        &row.ssn
    }

    fn key(row: &EnrolmentRow) -> Self::Key<'_> {
        (
            row.ssn.as_str(),
            row.insurance,
            row.employer_code.as_str(),
            row.started_on,
        )
    }

    fn upsert(conn: &mut DbConn, rows: &[EnrolmentRow]) -> QueryResult<usize> {
        bulk::upsert_rows!(conn, rows, enrolments::table)
    }
}
