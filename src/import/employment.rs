//! employment.csv — employment and unemployment registrations (就业/失业登记).

use super::fields::{FieldResult, Fields};
use super::{bulk, Subsystem};
use crate::db::{schema::employment_registrations, DbConn};
use crate::domain::EmploymentKind;
use chrono::NaiveDate;
use diesel::prelude::*;

#[derive(Insertable)]
// None is written as NULL, which lets SQLite take the rows in one multi-row INSERT.
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = employment_registrations)]
pub struct RegistrationRow {
    ssn: String,
    kind: &'static str,
    employer_code: String,
    registered_on: NaiveDate,
    employer_name: String,
    ended_on: Option<NaiveDate>,
    batch_id: i64,
}

pub struct Employment;

impl Subsystem for Employment {
    const NAME: &'static str = "employment";
    const TABLE: &'static str = "employment_registrations";
    const COLUMNS: &'static [&'static str] = &[
        "ssn",
        "kind",
        "employer_code",
        "employer_name",
        "registered_on",
        "ended_on",
    ];
    const KEY: &'static [&'static str] = &["ssn", "kind", "employer_code", "registered_on"];
    type Row = RegistrationRow;
    type Key<'a> = (&'a str, &'static str, &'a str, NaiveDate);

    fn parse(f: &Fields, batch_id: i64) -> FieldResult<RegistrationRow> {
        let ssn = f.ssn()?;
        let kind = f.code("kind", EmploymentKind::parse)?;
        // An unemployment registration has no employer; an employment one must name it.
        let (employer_code, employer_name) = match kind {
            EmploymentKind::Employment => {
                (f.text("employer_code", 40)?, f.text("employer_name", 100)?)
            }
            EmploymentKind::Unemployment => (
                f.raw("employer_code").to_string(),
                f.raw("employer_name").to_string(),
            ),
        };
        let registered_on = f.past_date("registered_on")?;
        let ended_on = f.optional_past_date("ended_on")?;
        f.not_before("ended_on", ended_on, "registered_on", registered_on)?;
        Ok(RegistrationRow {
            ssn: ssn.into_string(),
            kind: kind.code(),
            employer_code,
            registered_on,
            employer_name,
            ended_on,
            batch_id,
        })
    }

    fn ssn(row: &RegistrationRow) -> &str {
        &row.ssn
    }

    fn key(row: &RegistrationRow) -> Self::Key<'_> {
        (
            row.ssn.as_str(),
            row.kind,
            row.employer_code.as_str(),
            row.registered_on,
        )
    }

    fn upsert(conn: &mut DbConn, rows: &[RegistrationRow]) -> QueryResult<usize> {
        bulk::upsert_rows!(conn, rows, employment_registrations::table)
    }
}
