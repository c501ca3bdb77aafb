//! The seven CSV files, written one citizen at a time in the importer's column order.

use super::calendar::month_text;
use super::ledger::Rows;
use super::population::Citizen;
use super::DemoCounts;
use crate::import::ImportKind;
use chrono::NaiveDate;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;

type Out = csv::Writer<BufWriter<File>>;

pub(super) struct CsvFiles {
    persons: Out,
    cards: Out,
    enrolments: Out,
    contributions: Out,
    benefits: Out,
    employment: Out,
    deaths: Out,
    counts: DemoCounts,
}

/// Creates `<kind>.csv` with the importer's own header, so the two can never drift apart.
fn open(dir: &Path, kind: ImportKind) -> io::Result<Out> {
    let file = File::create(dir.join(format!("{}.csv", kind.name())))?;
    let mut out = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file));
    out.write_record(kind.columns())?;
    Ok(out)
}

/// Takes `&str` fields so that `&String` and `&'static str` can be mixed in one array.
fn put<const N: usize>(out: &mut Out, fields: [&str; N]) -> io::Result<()> {
    out.write_record(fields)?;
    Ok(())
}

fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn optional_date(day: Option<NaiveDate>) -> String {
    day.map(date).unwrap_or_default()
}

/// Men are `male`; a woman at work is a cadre (`female_55`) in the public sector and a worker
/// (`female_50`) elsewhere; a woman never insured at work is left unknown, as many exports do.
fn retirement_category(citizen: &Citizen) -> &'static str {
    use crate::domain::{Gender, RetirementCategory};
    let category = match (citizen.who.gender, &citizen.career) {
        (Gender::Male, _) => RetirementCategory::Male,
        (Gender::Female, Some(career)) if career.jobs.iter().any(|j| j.employer.public) => {
            RetirementCategory::Female_55
        }
        (Gender::Female, Some(_)) => RetirementCategory::Female_50,
        (Gender::Female, None) => return "",
    };
    category.code()
}

impl CsvFiles {
    pub fn create(dir: &Path) -> io::Result<CsvFiles> {
        Ok(CsvFiles {
            persons: open(dir, ImportKind::Persons)?,
            cards: open(dir, ImportKind::Cards)?,
            enrolments: open(dir, ImportKind::Enrolments)?,
            contributions: open(dir, ImportKind::Contributions)?,
            benefits: open(dir, ImportKind::Benefits)?,
            employment: open(dir, ImportKind::Employment)?,
            deaths: open(dir, ImportKind::Deaths)?,
            counts: DemoCounts::default(),
        })
    }

    pub fn write(&mut self, citizen: &Citizen, rows: &Rows) -> io::Result<()> {
        let ssn = citizen.who.id.as_str();
        put(
            &mut self.persons,
            [
                ssn,
                &citizen.name,
                citizen.who.gender.code(),
                citizen.ethnicity,
                &date(citizen.who.birth),
                citizen.home.code,
                citizen.phone.as_deref().unwrap_or(""),
                &citizen.address,
                retirement_category(citizen),
            ],
        )?;
        for r in &rows.cards {
            put(
                &mut self.cards,
                [
                    &r.card_no,
                    ssn,
                    &r.card_id_code,
                    r.region_code,
                    r.spec_version,
                    &date(r.issued_on),
                    &date(r.expires_on),
                    r.status.code(),
                ],
            )?;
        }
        for r in &rows.enrolments {
            put(
                &mut self.enrolments,
                [
                    ssn,
                    r.insurance.code(),
                    r.employer_code,
                    r.employer_name,
                    r.region_code,
                    &date(r.started_on),
                    &optional_date(r.ended_on),
                    r.status.code(),
                ],
            )?;
        }
        for r in &rows.contributions {
            put(
                &mut self.contributions,
                [
                    ssn,
                    r.insurance.code(),
                    &month_text(r.period),
                    &r.base.to_string(),
                    &r.employer_amount.to_string(),
                    &r.personal_amount.to_string(),
                    &optional_date(r.paid_on),
                    r.employer_code,
                    r.status.code(),
                ],
            )?;
        }
        for r in &rows.benefits {
            put(
                &mut self.benefits,
                [
                    ssn,
                    r.benefit.code(),
                    r.insurance.code(),
                    &month_text(r.period),
                    &r.amount.to_string(),
                    &optional_date(r.paid_on),
                ],
            )?;
        }
        for r in &rows.registrations {
            put(
                &mut self.employment,
                [
                    ssn,
                    r.kind.code(),
                    r.employer_code,
                    r.employer_name,
                    &date(r.registered_on),
                    &optional_date(r.ended_on),
                ],
            )?;
        }
        for r in &rows.deaths {
            put(
                &mut self.deaths,
                [
                    ssn,
                    &date(r.death_date),
                    r.source.code(),
                    &date(r.reported_on),
                ],
            )?;
        }
        let c = &mut self.counts;
        c.persons += 1;
        c.cards += rows.cards.len() as u64;
        c.enrolments += rows.enrolments.len() as u64;
        c.contributions += rows.contributions.len() as u64;
        c.benefits += rows.benefits.len() as u64;
        c.employment += rows.registrations.len() as u64;
        c.deaths += rows.deaths.len() as u64;
        Ok(())
    }

    /// Flushes every file; an error here (a full disk) would otherwise be lost on drop.
    pub fn finish(mut self) -> io::Result<DemoCounts> {
        for out in [
            &mut self.persons,
            &mut self.cards,
            &mut self.enrolments,
            &mut self.contributions,
            &mut self.benefits,
            &mut self.employment,
            &mut self.deaths,
        ] {
            out.flush()?;
        }
        Ok(self.counts)
    }
}
