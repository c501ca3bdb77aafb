//! One citizen's facts as the rules read them: only the columns they need, each row with the
//! import batch that wrote it (the evidence names its source and import time).

use crate::domain::{
    BenefitKind, CardStatus, ContributionStatus, DeathSource, EmploymentKind, Fen, Insurance, Month,
};
use chrono::NaiveDate;

#[derive(Debug, Clone)]
pub struct BenefitFact {
    pub benefit: BenefitKind,
    /// `None`: a row of an export older than the `insurance` column.
    pub insurance: Option<Insurance>,
    pub period: Month,
    pub amount: Fen,
    pub batch_id: i64,
}

#[derive(Debug, Clone)]
pub struct ContributionFact {
    pub insurance: Insurance,
    pub period: Month,
    pub employer_amount: Fen,
    pub employer_code: String,
    pub status: ContributionStatus,
    pub batch_id: i64,
}

#[derive(Debug, Clone)]
pub struct RegistrationFact {
    pub kind: EmploymentKind,
    pub employer_code: String,
    pub registered_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub batch_id: i64,
}

#[derive(Debug, Clone)]
pub struct DeathFact {
    pub source: DeathSource,
    pub death_date: NaiveDate,
    pub batch_id: i64,
}

#[derive(Debug, Clone)]
pub struct CardFact {
    pub card_no: String,
    pub status: CardStatus,
    pub batch_id: i64,
}

/// Everything the rules may look at for one citizen. The scan loads contributions only from the
/// earliest month a rule could use, and registrations and cards only for citizens a rule needs
/// them for (claimants, the dead).
#[derive(Debug, Clone, Default)]
pub struct CitizenFacts {
    pub ssn: String,
    pub benefits: Vec<BenefitFact>,
    pub contributions: Vec<ContributionFact>,
    pub registrations: Vec<RegistrationFact>,
    pub deaths: Vec<DeathFact>,
    pub cards: Vec<CardFact>,
}

impl CitizenFacts {
    pub fn benefits_of(&self, kind: BenefitKind) -> impl Iterator<Item = &BenefitFact> {
        self.benefits.iter().filter(move |b| b.benefit == kind)
    }

    /// The earliest reported death month, whoever reported it.
    pub fn death_month(&self) -> Option<Month> {
        self.deaths
            .iter()
            .map(|d| Month::of_date(d.death_date))
            .min()
    }
}
