//! persons.csv — the card system's register of insured people (人员基本信息).
//!
//! `retirement_category` (issue 12) is optional, as a column and as a value: a file without it,
//! or an empty field, stores the category as unknown.

use super::fields::{FieldResult, Fields};
use super::{bulk, Subsystem};
use crate::db::{schema::persons, DbConn};
use crate::domain::{Gender, RetirementCategory};
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
    retirement_category: Option<&'static str>,
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
        "retirement_category",
    ];
    const OPTIONAL: &'static [&'static str] = &["retirement_category"];
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
        let retirement_category = match f.raw("retirement_category") {
            "" => None,
            text => {
                let category = f.code("retirement_category", RetirementCategory::parse)?;
                let for_men = category == RetirementCategory::Male;
                if for_men != (gender == Gender::Male) {
                    return Err(f.reject(
                        "retirement_category",
                        text,
                        format!(
                            "{} does not fit the gender {}",
                            category.code(),
                            gender.name_zh()
                        ),
                    ));
                }
                Some(category.code())
            }
        };
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
            retirement_category,
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
