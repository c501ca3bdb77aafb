//! Rows as stored, and their conversion into domain types. Stored codes were validated on
//! import; a value that fails here means the store was changed behind the importer's back.

use super::RecordError;
use crate::db::schema::*;
use crate::domain::record::{Benefit, Card, Contribution, Death, Enrolment, Person, Registration};
use crate::domain::*;
use chrono::NaiveDate;
use diesel::prelude::*;

fn corrupt(table: &str, e: impl std::fmt::Display) -> RecordError {
    RecordError::Corrupt(format!("{table}: {e}"))
}

fn month(table: &str, n: i32) -> Result<Month, RecordError> {
    Month::from_number(n).ok_or_else(|| corrupt(table, format!("period {n} is not a month")))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = persons)]
pub struct PersonRow {
    pub ssn: String,
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: NaiveDate,
    pub region_code: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub batch_id: i64,
    pub retirement_category: Option<String>,
}

impl TryFrom<PersonRow> for Person {
    type Error = RecordError;
    fn try_from(r: PersonRow) -> Result<Person, RecordError> {
        Ok(Person {
            ssn: CitizenId::parse(&r.ssn).map_err(|e| corrupt("persons", e))?,
            name: r.name,
            gender: Gender::parse(&r.gender).map_err(|e| corrupt("persons", e))?,
            ethnicity: r.ethnicity,
            birth_date: r.birth_date,
            region_code: r.region_code,
            phone: r.phone,
            address: r.address,
            retirement_category: r
                .retirement_category
                .as_deref()
                .map(RetirementCategory::parse)
                .transpose()
                .map_err(|e| corrupt("persons", e))?,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = cards)]
pub struct CardRow {
    pub card_no: String,
    pub card_id_code: String,
    pub region_code: String,
    pub spec_version: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: String,
    pub batch_id: i64,
}

impl TryFrom<CardRow> for Card {
    type Error = RecordError;
    fn try_from(r: CardRow) -> Result<Card, RecordError> {
        Ok(Card {
            card_no: r.card_no,
            card_id_code: r.card_id_code,
            region_code: r.region_code,
            spec_version: r.spec_version,
            issued_on: r.issued_on,
            expires_on: r.expires_on,
            status: CardStatus::parse(&r.status).map_err(|e| corrupt("cards", e))?,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = enrolments)]
pub struct EnrolmentRow {
    pub insurance: String,
    pub employer_code: String,
    pub started_on: NaiveDate,
    pub employer_name: String,
    pub region_code: String,
    pub ended_on: Option<NaiveDate>,
    pub status: String,
    pub batch_id: i64,
}

impl TryFrom<EnrolmentRow> for Enrolment {
    type Error = RecordError;
    fn try_from(r: EnrolmentRow) -> Result<Enrolment, RecordError> {
        Ok(Enrolment {
            insurance: Insurance::parse(&r.insurance).map_err(|e| corrupt("enrolments", e))?,
            employer_code: r.employer_code,
            employer_name: r.employer_name,
            region_code: r.region_code,
            started_on: r.started_on,
            ended_on: r.ended_on,
            status: EnrolmentStatus::parse(&r.status).map_err(|e| corrupt("enrolments", e))?,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = contributions)]
pub struct ContributionRow {
    pub insurance: String,
    pub period: i32,
    pub base: i64,
    pub employer_amount: i64,
    pub personal_amount: i64,
    pub paid_on: Option<NaiveDate>,
    pub employer_code: String,
    pub status: String,
    pub batch_id: i64,
}

impl TryFrom<ContributionRow> for Contribution {
    type Error = RecordError;
    fn try_from(r: ContributionRow) -> Result<Contribution, RecordError> {
        Ok(Contribution {
            insurance: Insurance::parse(&r.insurance).map_err(|e| corrupt("contributions", e))?,
            period: month("contributions", r.period)?,
            base: Fen(r.base),
            employer_amount: Fen(r.employer_amount),
            personal_amount: Fen(r.personal_amount),
            paid_on: r.paid_on,
            employer_code: r.employer_code,
            status: ContributionStatus::parse(&r.status)
                .map_err(|e| corrupt("contributions", e))?,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = benefits)]
pub struct BenefitRow {
    pub benefit: String,
    pub insurance: String,
    pub period: i32,
    pub amount: i64,
    pub paid_on: Option<NaiveDate>,
    pub batch_id: i64,
}

impl TryFrom<BenefitRow> for Benefit {
    type Error = RecordError;
    fn try_from(r: BenefitRow) -> Result<Benefit, RecordError> {
        Ok(Benefit {
            benefit: BenefitKind::parse(&r.benefit).map_err(|e| corrupt("benefits", e))?,
            insurance: match r.insurance.as_str() {
                "" => None,
                code => Some(Insurance::parse(code).map_err(|e| corrupt("benefits", e))?),
            },
            period: month("benefits", r.period)?,
            amount: Fen(r.amount),
            paid_on: r.paid_on,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = employment_registrations)]
pub struct RegistrationRow {
    pub kind: String,
    pub employer_code: String,
    pub registered_on: NaiveDate,
    pub employer_name: String,
    pub ended_on: Option<NaiveDate>,
    pub batch_id: i64,
}

impl TryFrom<RegistrationRow> for Registration {
    type Error = RecordError;
    fn try_from(r: RegistrationRow) -> Result<Registration, RecordError> {
        Ok(Registration {
            kind: EmploymentKind::parse(&r.kind)
                .map_err(|e| corrupt("employment_registrations", e))?,
            employer_code: r.employer_code,
            employer_name: r.employer_name,
            registered_on: r.registered_on,
            ended_on: r.ended_on,
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = deaths)]
pub struct DeathRow {
    pub source: String,
    pub death_date: NaiveDate,
    pub reported_on: NaiveDate,
    pub batch_id: i64,
}

impl TryFrom<DeathRow> for Death {
    type Error = RecordError;
    fn try_from(r: DeathRow) -> Result<Death, RecordError> {
        Ok(Death {
            source: DeathSource::parse(&r.source).map_err(|e| corrupt("deaths", e))?,
            death_date: r.death_date,
            reported_on: r.reported_on,
        })
    }
}
