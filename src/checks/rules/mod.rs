//! The rules, one file each, as pure functions of one citizen's facts. Each returns its hits;
//! a hit's anchor names the facts it is about, and is what makes a case unique.

mod funeral_grant_repeat;
mod injury_overlap;
mod paid_after_death;
mod two_pensions;
mod ui_while_employed;
mod ui_while_pension;

#[cfg(test)]
mod tests;

use super::evidence::Evidence;
use super::facts::{BenefitFact, CitizenFacts};
use crate::domain::{Fen, Month};
use serde::{Deserialize, Serialize};

/// The rules by their stable codes (docs/cross-checks.md).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    TwoPensions,
    PaidAfterDeath,
    UiWhileEmployed,
    UiWhilePension,
    FuneralGrantRepeat,
    InjuryOverlap,
}

impl Rule {
    pub const ALL: [Rule; 6] = [
        Rule::TwoPensions,
        Rule::PaidAfterDeath,
        Rule::UiWhileEmployed,
        Rule::UiWhilePension,
        Rule::FuneralGrantRepeat,
        Rule::InjuryOverlap,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rule::TwoPensions => "two_pensions",
            Rule::PaidAfterDeath => "paid_after_death",
            Rule::UiWhileEmployed => "ui_while_employed",
            Rule::UiWhilePension => "ui_while_pension",
            Rule::FuneralGrantRepeat => "funeral_grant_repeat",
            Rule::InjuryOverlap => "injury_overlap",
        }
    }

    pub fn parse(code: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the worklist calls it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Rule::TwoPensions => "重复领取基本养老金",
            Rule::PaidAfterDeath => "死亡后继续发放",
            Rule::UiWhileEmployed => "就业期间领取失业保险金",
            Rule::UiWhilePension => "领取养老金期间领取失业保险金",
            Rule::FuneralGrantRepeat => "重复领取丧葬补助金",
            Rule::InjuryOverlap => "工伤待遇与其他待遇重叠",
        }
    }
}

/// One rule's finding about one citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: Rule,
    pub ssn: String,
    pub anchor: String,
    /// The months concerned, sorted, each once.
    pub months: Vec<Month>,
    pub evidence: Vec<Evidence>,
    /// Sum of the payments concerned.
    pub amount_at_risk: Fen,
}

impl Hit {
    fn new(rule: Rule, facts: &CitizenFacts, anchor: String) -> Hit {
        Hit {
            rule,
            ssn: facts.ssn.clone(),
            anchor,
            months: Vec::new(),
            evidence: Vec::new(),
            amount_at_risk: Fen(0),
        }
    }

    /// Adds a payment the hit puts at risk.
    fn at_risk(&mut self, b: &BenefitFact) {
        self.amount_at_risk = self.amount_at_risk + b.amount;
        self.months.push(b.period);
        self.evidence.push(b.into());
    }

    fn finish(mut self) -> Hit {
        self.months.sort();
        self.months.dedup();
        self
    }
}

/// Every rule's hits for one citizen.
pub fn evaluate(facts: &CitizenFacts) -> Vec<Hit> {
    let mut hits = Vec::new();
    hits.extend(two_pensions::check(facts));
    hits.extend(paid_after_death::check(facts));
    hits.extend(ui_while_employed::check(facts));
    hits.extend(ui_while_pension::check(facts));
    hits.extend(funeral_grant_repeat::check(facts));
    hits.extend(injury_overlap::check(facts));
    hits.into_iter().map(Hit::finish).collect()
}
