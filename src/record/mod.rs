//! The one query path behind every view of a citizen: load what the store holds about an ID
//! number and assemble it into a [`UnifiedRecord`].

pub mod contributions;
mod rows;

use crate::db::{schema, DbConn, DbError};
use crate::domain::record::{Facts, UnifiedRecord};
use crate::domain::unemployment::UnemploymentRules;
use crate::domain::CitizenId;
use diesel::prelude::*;
use rows::*;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// A stored value no importer could have written: the store was edited by hand.
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl From<diesel::result::Error> for RecordError {
    fn from(e: diesel::result::Error) -> Self {
        RecordError::Db(DbError::Query(e))
    }
}

/// Today in the bureau's time zone ([bureau] time_zone).
pub fn bureau_today() -> chrono::NaiveDate {
    crate::domain::bureau_time::today()
}

/// The unified record of `ssn`, or `None` when the store has no such person; the entitlement
/// and projection are computed for today under the national rules.
pub fn unified_record(
    conn: &mut DbConn,
    ssn: &CitizenId,
) -> Result<Option<UnifiedRecord>, RecordError> {
    unified_record_with(conn, ssn, bureau_today(), &UnemploymentRules::default())
}

/// The unified record with the entitlement computed under the province's `rules` for `today`.
pub fn unified_record_with(
    conn: &mut DbConn,
    ssn: &CitizenId,
    today: chrono::NaiveDate,
    rules: &UnemploymentRules,
) -> Result<Option<UnifiedRecord>, RecordError> {
    assembled(conn, ssn, Some(today), rules)
}

/// The record without the entitlement and the projection (`Facts::assessed_on` left `None`):
/// the benchmarks' baseline for what those two add (benches/store.rs, docs/benchmarks.md).
pub fn unified_record_unassessed(
    conn: &mut DbConn,
    ssn: &CitizenId,
) -> Result<Option<UnifiedRecord>, RecordError> {
    assembled(conn, ssn, None, &UnemploymentRules::default())
}

fn assembled(
    conn: &mut DbConn,
    ssn: &CitizenId,
    assessed_on: Option<chrono::NaiveDate>,
    rules: &UnemploymentRules,
) -> Result<Option<UnifiedRecord>, RecordError> {
    use schema::*;
    let id = ssn.as_str();
    let Some(person) = persons::table
        .find(id)
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let cards: Vec<CardRow> = cards::table
        .filter(cards::ssn.eq(id))
        .select(CardRow::as_select())
        .load(conn)?;
    let enrolments: Vec<EnrolmentRow> = enrolments::table
        .filter(enrolments::ssn.eq(id))
        .select(EnrolmentRow::as_select())
        .load(conn)?;
    let contributions: Vec<ContributionRow> = contributions::table
        .filter(contributions::ssn.eq(id))
        .select(ContributionRow::as_select())
        .load(conn)?;
    let benefits: Vec<BenefitRow> = benefits::table
        .filter(benefits::ssn.eq(id))
        .select(BenefitRow::as_select())
        .load(conn)?;
    let registrations: Vec<RegistrationRow> = employment_registrations::table
        .filter(employment_registrations::ssn.eq(id))
        .select(RegistrationRow::as_select())
        .load(conn)?;
    let deaths: Vec<DeathRow> = deaths::table
        .filter(deaths::ssn.eq(id))
        .select(DeathRow::as_select())
        .load(conn)?;

    let mut batch_ids: Vec<i64> = std::iter::once(person.batch_id)
        .chain(cards.iter().map(|r| r.batch_id))
        .chain(enrolments.iter().map(|r| r.batch_id))
        .chain(contributions.iter().map(|r| r.batch_id))
        .chain(benefits.iter().map(|r| r.batch_id))
        .chain(registrations.iter().map(|r| r.batch_id))
        .chain(deaths.iter().map(|r| r.batch_id))
        .collect();
    batch_ids.sort_unstable();
    batch_ids.dedup();
    let sources = latest_import_per_source(conn, &batch_ids)?;

    let facts = Facts {
        cards: convert(cards)?,
        enrolments: convert(enrolments)?,
        contributions: convert(contributions)?,
        benefits: convert(benefits)?,
        registrations: convert(registrations)?,
        deaths: convert(deaths)?,
        sources,
        assessed_on,
        unemployment_rules: rules.clone(),
    };
    Ok(Some(UnifiedRecord::assemble(person.try_into()?, facts)))
}

/// For each source that wrote one of `batch_ids`, the time of that source's latest import (how
/// fresh that subsystem's data is, not just this person's rows).
fn latest_import_per_source(
    conn: &mut DbConn,
    batch_ids: &[i64],
) -> QueryResult<BTreeMap<String, chrono::NaiveDateTime>> {
    use diesel::dsl::max;
    use schema::import_batches::dsl as b;
    let sources: Vec<String> = b::import_batches
        .filter(b::id.eq_any(batch_ids.to_vec()))
        .select(b::source)
        .distinct()
        .load(conn)?;
    let latest: Vec<(String, Option<chrono::NaiveDateTime>)> = b::import_batches
        .filter(b::source.eq_any(sources))
        .group_by(b::source)
        .select((b::source, max(b::imported_at)))
        .load(conn)?;
    Ok(latest
        .into_iter()
        .filter_map(|(s, t)| Some((s, t?)))
        .collect())
}

fn convert<R, T>(rows: Vec<R>) -> Result<Vec<T>, RecordError>
where
    R: TryInto<T, Error = RecordError>,
{
    rows.into_iter().map(TryInto::try_into).collect()
}
