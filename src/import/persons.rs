//! persons.csv — the card system's register of insured people (人员基本信息).

use super::fields::{FieldResult, Fields};
use super::{bulk, Subsystem};
use crate::db::{schema::persons, DbConn};
use crate::domain::Gender;
use chrono::NaiveDate;
use diesel::prelude::*;

#[derive(Insertable)]
// None is written as NULL, which lets SQLite take the rows in one multi-row INSERT.
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = persons)]
pub struct PersonRow {
    ssn: String,
    name: String,
    gender: &'static str,
    ethnicity: String,
    birth_date: NaiveDate,
    region_code: String,
    phone: Option<String>,
    address: Option<String>,
    batch_id: i64,
}

pub struct Persons;

impl Subsystem for Persons {
    const NAME: &'static str = "persons";
    const TABLE: &'static str = "persons";
    const COLUMNS: &'static [&'static str] = &[
        "ssn",
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "region_code",
        "phone",
        "address",
    ];
    const KEY: &'static [&'static str] = &["ssn"];
    const NEEDS_PERSON: bool = false;
    type Row = PersonRow;
    type Key<'a> = &'a str;

    fn parse(f: &Fields, batch_id: i64) -> FieldResult<PersonRow> {
        let ssn = f.ssn()?;
        let name = f.text("name", 50)?;
        let gender = f.code("gender", Gender::parse)?;
        if gender != ssn.gender() {
            return Err(f.reject(
                "gender",
                f.raw("gender"),
                format!(
                    "gender {} does not match the ID number, whose sequence digit says {}",
                    gender.name_zh(),
                    ssn.gender().name_zh()
                ),
            ));
        }
        let birth_date = f.past_date("birth_date")?;
        if birth_date != ssn.birth_date() {
            return Err(f.reject(
                "birth_date",
                f.raw("birth_date"),
                format!(
                    "birth_date differs from the one in the ID number ({})",
                    ssn.birth_date()
                ),
            ));
        }
        let phone = f.optional("phone");
        if let Some(p) = &phone {
            if p.len() > 20 || !p.bytes().all(|b| b.is_ascii_digit() || b"+- ".contains(&b)) {
                return Err(f.reject("phone", p, "phone may hold only digits, spaces, + and -"));
            }
        }
        let address = f.optional("address");
        if address.as_ref().is_some_and(|a| a.chars().count() > 200) {
            return Err(f.reject(
                "address",
                f.raw("address"),
                "address is longer than 200 characters",
            ));
        }
        Ok(PersonRow {
            ssn: ssn.into_string(),
            name,
            gender: gender.code(),
            ethnicity: f.digits("ethnicity", 2)?,
            birth_date,
            region_code: f.digits("region_code", 6)?,
            phone,
            address,
            batch_id,
        })
    }

    fn ssn(row: &PersonRow) -> &str {
        &row.ssn
    }

    fn key(row: &PersonRow) -> Self::Key<'_> {
        row.ssn.as_str()
    }

    fn upsert(conn: &mut DbConn, rows: &[PersonRow]) -> QueryResult<usize> {
        bulk::upsert_rows!(conn, rows, persons::table)
    }
}
