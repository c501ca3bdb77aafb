//! A deterministic, realistic demo population, written as the six subsystem exports so that it
//! enters the store through the ordinary importer.
//!
//! Each citizen is drawn from its own random stream, keyed by the seed and the citizen's index:
//! citizen *i* is the same whatever the population size, and the same seed and `today` give
//! byte-identical files. Citizen 0 is always the showcase person described in `showcase.rs`
//! ([`SHOWCASE_SSN`], 张三).
//!
//! The population, shaped after China's: adults of 18 to 85 along the age pyramid. About half
//! are insured at work: careers of one to five employers (enterprise pension, or institution
//! pension with an occupational annuity for public employees, plus unemployment and work-injury
//! insurance, each from the year it was introduced), gaps between jobs, jobs that were never
//! insured (common before the 2011 Social Insurance Law, above all for migrant workers from the
//! rural counties), arrears sometimes paid back later, registered unemployment with benefit, and
//! retirement at 60 (men) or 55 (women) with a monthly pension. Most others, farmers and
//! self-employed city people, are in the resident pension scheme, paying once a year and drawing
//! a small pension from 60. Contribution bases follow the national average wage of each year,
//! so they are much lower in the 1990s than today, and pensions in payment rise every January.
//! On average a citizen has a little over 200 contribution rows.

mod calendar;
mod career;
mod csv_out;
mod employers;
mod identity;
mod ledger;
mod names;
mod places;
mod planted;
mod population;
mod showcase;
mod wages;

#[cfg(test)]
mod tests;

pub use identity::MAX_CITIZENS;
pub use planted::{planted_cases, Planted};
pub use showcase::{SHOWCASE_NAME, SHOWCASE_SSN};

use crate::domain::CitizenId;
use chrono::NaiveDate;
use std::io;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// How many citizens, the showcase included; at most [`MAX_CITIZENS`].
    pub citizens: u32,
    pub seed: u64,
    /// The day the population is seen from: ages, and the last dated facts, are relative to it.
    pub today: NaiveDate,
}

/// Rows written per file (headers not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoCounts {
    pub persons: u64,
    pub cards: u64,
    pub enrolments: u64,
    pub contributions: u64,
    pub benefits: u64,
    pub employment: u64,
    pub deaths: u64,
}

/// Writes persons.csv, cards.csv, enrolments.csv, contributions.csv, benefits.csv, employment.csv
/// and deaths.csv into `dir` (created if missing), streaming (never holding all rows in memory: generate one
/// citizen, write its rows, move on). Returns counts per file.
pub fn write_csv(dir: &Path, opts: &DemoOptions) -> io::Result<DemoCounts> {
    if opts.citizens > MAX_CITIZENS {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "at most {MAX_CITIZENS} demo citizens can be generated with distinct ID numbers, \
                 {} were asked for",
                opts.citizens
            ),
        ));
    }
    std::fs::create_dir_all(dir)?;
    let mut files = csv_out::CsvFiles::create(dir)?;
    let mut rows = ledger::Rows::default();
    for index in 0..opts.citizens {
        let citizen = population::citizen(opts, index);
        ledger::fill(&citizen, opts.today, &mut rows);
        planted::plant(&citizen, opts.today, &mut rows);
        files.write(&citizen, &rows)?;
    }
    files.finish()
}

/// The ID numbers (ssn) of the first `n` generated citizens, without writing anything (for
/// benchmarks/tests picking random citizens). `n` is capped at [`MAX_CITIZENS`].
pub fn citizen_ids(opts: &DemoOptions, n: u32) -> Vec<CitizenId> {
    (0..n.min(MAX_CITIZENS))
        .map(|index| population::identity_of(opts, index).id)
        .collect()
}
