//! benefits.csv — benefits paid out, one row per person, benefit, paying scheme and month (待遇发放).
//!
//! `insurance` (issue 12) says which scheme paid: required for basic_pension and funeral_grant,
//! which several schemes pay; implied for the others. A file without the column still imports:
//! its basic pensions and funeral grants are stored with the scheme unstated ('').

use super::fields::{FieldResult, Fields};
use super::{bulk, Subsystem};
use crate::db::{schema::benefits, DbConn, SqlDate};
use crate::domain::{BenefitKind, Insurance};
use diesel::prelude::*;

#[derive(Insertable)]
// None is written as NULL, which lets SQLite take the rows in one multi-row INSERT.
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = benefits)]
pub struct BenefitRow {
    ssn: String,
    benefit: &'static str,
    insurance: &'static str,
    period: i32,
    amount: i64,
    paid_on: Option<SqlDate>,
    batch_id: i64,
}

pub struct Benefits;

impl Subsystem for Benefits {
    const NAME: &'static str = "benefits";
    const TABLE: &'static str = "benefits";
    const COLUMNS: &'static [&'static str] =
        &["ssn", "benefit", "insurance", "period", "amount", "paid_on"];
    const OPTIONAL: &'static [&'static str] = &["insurance"];
    const KEY: &'static [&'static str] = &["ssn", "benefit", "insurance", "period"];
    type Row = BenefitRow;
    type Key<'a> = (&'a str, &'static str, &'static str, i32);

    fn parse(f: &Fields, batch_id: i64) -> FieldResult<BenefitRow> {
        let ssn = f.ssn()?.into_string();
        let benefit = f.code("benefit", BenefitKind::parse)?;
        Ok(BenefitRow {
            ssn,
            benefit: benefit.code(),
            insurance: paying_scheme(f, benefit)?,
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
        (row.ssn.as_str(), row.benefit, row.insurance, row.period)
    }

    fn upsert(conn: &mut DbConn, rows: &[BenefitRow]) -> QueryResult<usize> {
        bulk::upsert_rows!(conn, rows, benefits::table)
    }
}

/// The schemes that may pay each benefit; the first is implied when the file does not say.
fn schemes(benefit: BenefitKind) -> &'static [Insurance] {
    use Insurance::*;
    match benefit {
        BenefitKind::BasicPension => &[EnterprisePension, InstitutionPension, ResidentPension],
        BenefitKind::FuneralGrant => &[
            EnterprisePension,
            InstitutionPension,
            ResidentPension,
            WorkInjury,
            Unemployment,
        ],
        BenefitKind::UnemploymentBenefit => &[Unemployment],
        BenefitKind::InjuryAllowance | BenefitKind::InjuryPension => &[WorkInjury],
    }
}

/// Several schemes pay a basic pension or a funeral grant: there the file must say which.
fn needs_scheme(benefit: BenefitKind) -> bool {
    matches!(
        benefit,
        BenefitKind::BasicPension | BenefitKind::FuneralGrant
    )
}

fn paying_scheme(f: &Fields, benefit: BenefitKind) -> FieldResult<&'static str> {
    let allowed = schemes(benefit);
    let text = f.raw("insurance");
    if text.is_empty() {
        return match (needs_scheme(benefit), f.has("insurance")) {
            (false, _) => Ok(allowed[0].code()),
            (true, false) => Ok(""),
            (true, true) => Err(f.reject(
                "insurance",
                text,
                format!(
                    "insurance is required for {}: say which scheme paid it",
                    benefit.code()
                ),
            )),
        };
    }
    let insurance = f.code("insurance", Insurance::parse)?;
    if !allowed.contains(&insurance) {
        let names: Vec<&str> = allowed.iter().map(|i| i.code()).collect();
        return Err(f.reject(
            "insurance",
            text,
            format!(
                "{} is not paid by {insurance}; expected one of: {}",
                benefit.code(),
                names.join(", ")
            ),
        ));
    }
    Ok(insurance.code())
}
