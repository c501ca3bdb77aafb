//! Streams the store's citizens to the rules a block at a time, so memory depends on the block,
//! not on the population. Each block is a handful of range queries on the primary keys; the
//! contributions, registrations and cards are loaded only for the citizens a rule can use them
//! for (claimants of unemployment benefit, the dead) and contributions only from the earliest
//! month such a rule looks at.

use super::facts::*;
use super::ChecksError;
use crate::db::{schema::*, DbConn};
use crate::domain::*;
use chrono::NaiveDate;
use diesel::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Citizens per block: the IN lists stay far under SQLite's parameter limit, and a block's rows
/// (about 200 contributions each for the claimants among them) a few megabytes.
pub const BLOCK: usize = 2_000;

fn corrupt(table: &str, e: impl std::fmt::Display) -> ChecksError {
    ChecksError::Corrupt(format!("{table}: {e}"))
}

fn month(table: &str, n: i32) -> Result<Month, ChecksError> {
    Month::from_number(n).ok_or_else(|| corrupt(table, format!("period {n} is not a month")))
}

/// The next block of ID numbers after `after`, in key order (the whole store).
pub fn next_block(conn: &mut DbConn, after: Option<&str>) -> QueryResult<Vec<String>> {
    let mut query = persons::table
        .select(persons::ssn)
        .order(persons::ssn)
        .limit(BLOCK as i64)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(persons::ssn.gt(after.to_string()));
    }
    query.load(conn)
}

/// The citizens written by the batches in `(since, up_to]`, sorted.
pub fn touched_since(conn: &mut DbConn, since: i64, up_to: i64) -> QueryResult<Vec<String>> {
    batch_citizens::table
        .filter(batch_citizens::batch_id.gt(since))
        .filter(batch_citizens::batch_id.le(up_to))
        .select(batch_citizens::ssn)
        .distinct()
        .order(batch_citizens::ssn)
        .load(conn)
}

/// The facts of `block`'s citizens that a rule could use; citizens with no benefit and no
/// death record cannot be hit by any rule and are left out.
pub fn load(conn: &mut DbConn, block: &[String]) -> Result<Vec<CitizenFacts>, ChecksError> {
    let mut citizens: BTreeMap<String, CitizenFacts> = BTreeMap::new();
    let rows: Vec<(String, String, String, i32, i64, i64)> = benefits::table
        .filter(benefits::ssn.eq_any(block))
        .select((
            benefits::ssn,
            benefits::benefit,
            benefits::insurance,
            benefits::period,
            benefits::amount,
            benefits::batch_id,
        ))
        .load(conn)?;
    for (ssn, benefit, insurance, period, amount, batch_id) in rows {
        let fact = BenefitFact {
            benefit: BenefitKind::parse(&benefit).map_err(|e| corrupt("benefits", e))?,
            insurance: match insurance.as_str() {
                "" => None,
                code => Some(Insurance::parse(code).map_err(|e| corrupt("benefits", e))?),
            },
            period: month("benefits", period)?,
            amount: Fen(amount),
            batch_id,
        };
        facts_of(&mut citizens, &ssn).benefits.push(fact);
    }
    let rows: Vec<(String, String, NaiveDate, i64)> = deaths::table
        .filter(deaths::ssn.eq_any(block))
        .select((
            deaths::ssn,
            deaths::source,
            deaths::death_date,
            deaths::batch_id,
        ))
        .load(conn)?;
    for (ssn, source, death_date, batch_id) in rows {
        let fact = DeathFact {
            source: DeathSource::parse(&source).map_err(|e| corrupt("deaths", e))?,
            death_date,
            batch_id,
        };
        facts_of(&mut citizens, &ssn).deaths.push(fact);
    }

    // Who needs more than their benefits, and from which month.
    let mut claimants: BTreeSet<String> = BTreeSet::new();
    let mut dead: BTreeSet<String> = BTreeSet::new();
    let mut from: Option<Month> = None;
    for f in citizens.values() {
        let first_claim = f
            .benefits_of(BenefitKind::UnemploymentBenefit)
            .map(|b| b.period)
            .min();
        if let Some(m) = first_claim {
            claimants.insert(f.ssn.clone());
            from = Some(from.map_or(m, |x: Month| x.min(m)));
        }
        if let Some(d) = f.death_month() {
            dead.insert(f.ssn.clone());
            let after = d.next();
            from = Some(from.map_or(after, |x: Month| x.min(after)));
        }
    }
    let either: Vec<&String> = claimants.union(&dead).collect();
    if let (false, Some(from)) = (either.is_empty(), from) {
        let rows: Vec<(String, String, i32, i64, String, String, i64)> = contributions::table
            .filter(contributions::ssn.eq_any(&either))
            .filter(contributions::period.ge(from.number()))
            .select((
                contributions::ssn,
                contributions::insurance,
                contributions::period,
                contributions::employer_amount,
                contributions::employer_code,
                contributions::status,
                contributions::batch_id,
            ))
            .load(conn)?;
        for (ssn, insurance, period, employer_amount, employer_code, status, batch_id) in rows {
            let fact = ContributionFact {
                insurance: Insurance::parse(&insurance).map_err(|e| corrupt("contributions", e))?,
                period: month("contributions", period)?,
                employer_amount: Fen(employer_amount),
                employer_code,
                status: ContributionStatus::parse(&status)
                    .map_err(|e| corrupt("contributions", e))?,
                batch_id,
            };
            facts_of(&mut citizens, &ssn).contributions.push(fact);
        }
    }
    if !claimants.is_empty() {
        let rows: Vec<(String, String, String, NaiveDate, Option<NaiveDate>, i64)> =
            employment_registrations::table
                .filter(employment_registrations::ssn.eq_any(&claimants))
                .select((
                    employment_registrations::ssn,
                    employment_registrations::kind,
                    employment_registrations::employer_code,
                    employment_registrations::registered_on,
                    employment_registrations::ended_on,
                    employment_registrations::batch_id,
                ))
                .load(conn)?;
        for (ssn, kind, employer_code, registered_on, ended_on, batch_id) in rows {
            let fact = RegistrationFact {
                kind: EmploymentKind::parse(&kind)
                    .map_err(|e| corrupt("employment_registrations", e))?,
                employer_code,
                registered_on,
                ended_on,
                batch_id,
            };
            facts_of(&mut citizens, &ssn).registrations.push(fact);
        }
    }
    if !dead.is_empty() {
        let rows: Vec<(String, String, String, i64)> = cards::table
            .filter(cards::ssn.eq_any(&dead))
            .select((cards::ssn, cards::card_no, cards::status, cards::batch_id))
            .load(conn)?;
        for (ssn, card_no, status, batch_id) in rows {
            let fact = CardFact {
                card_no,
                status: CardStatus::parse(&status).map_err(|e| corrupt("cards", e))?,
                batch_id,
            };
            facts_of(&mut citizens, &ssn).cards.push(fact);
        }
    }
    Ok(citizens.into_values().collect())
}

fn facts_of<'a>(
    citizens: &'a mut BTreeMap<String, CitizenFacts>,
    ssn: &str,
) -> &'a mut CitizenFacts {
    citizens
        .entry(ssn.to_string())
        .or_insert_with(|| CitizenFacts {
            ssn: ssn.to_string(),
            ..CitizenFacts::default()
        })
}
