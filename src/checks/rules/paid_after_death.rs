//! `paid_after_death`: any benefit for a month after the death month (a resident pension stops
//! from the month after death, 国发〔2014〕8号, and so do the others), contributions for months
//! after it, or a card still active. Funeral grants are paid because of the death and are left
//! out. The earliest reported death counts, whoever reported it (经办条例 §8, §25).

use super::{Hit, Rule};
use crate::checks::facts::CitizenFacts;
use crate::domain::{BenefitKind, CardStatus};

pub fn check(facts: &CitizenFacts) -> Option<Hit> {
    let death = facts.death_month()?;
    let mut hit = Hit::new(Rule::PaidAfterDeath, facts, format!("death {death}"));
    for b in facts
        .benefits
        .iter()
        .filter(|b| b.period > death && b.benefit != BenefitKind::FuneralGrant)
    {
        hit.at_risk(b);
    }
    for c in facts
        .contributions
        .iter()
        .filter(|c| c.period > death && c.status.counts_as_paid())
    {
        hit.months.push(c.period);
        hit.evidence.push(c.into());
    }
    let active: Vec<_> = facts
        .cards
        .iter()
        .filter(|c| c.status == CardStatus::Active)
        .collect();
    if hit.evidence.is_empty() && active.is_empty() {
        return None;
    }
    hit.evidence.extend(active.into_iter().map(Into::into));
    hit.evidence.extend(facts.deaths.iter().map(Into::into));
    if hit.months.is_empty() {
        hit.months.push(death);
    }
    Some(hit)
}
