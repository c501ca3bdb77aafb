//! `funeral_grant_repeat`: more than one funeral grant for one person, from the pension, injury
//! or unemployment fund (社会保险法 §49: the family may take only one). All but the largest are
//! at risk.

use super::{Hit, Rule};
use crate::checks::facts::CitizenFacts;
use crate::domain::BenefitKind;

pub fn check(facts: &CitizenFacts) -> Option<Hit> {
    let mut grants: Vec<_> = facts.benefits_of(BenefitKind::FuneralGrant).collect();
    if grants.len() < 2 {
        return None;
    }
    grants.sort_by_key(|b| std::cmp::Reverse(b.amount));
    let mut hit = Hit::new(Rule::FuneralGrantRepeat, facts, "funeral".into());
    hit.evidence.push(grants[0].into());
    hit.months.push(grants[0].period);
    for extra in &grants[1..] {
        hit.at_risk(extra);
    }
    hit.evidence.extend(facts.deaths.iter().map(Into::into));
    Some(hit)
}
