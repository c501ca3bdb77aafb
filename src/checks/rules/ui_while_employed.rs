//! `ui_while_employed`: unemployment benefit for a month in which an employer paid (or owed) a
//! contribution, or an employment registration was running (失业保险条例 §15: re-employment
//! stops the benefit; §28 recovery). Not a hit: the separation month itself, months before the
//! unemployment registration, and contributions without an employer share (the fund pays an
//! older claimant's own pension contributions, 人社部发〔2024〕76号). One hit per employer.

use super::{Hit, Rule};
use crate::checks::facts::CitizenFacts;
use crate::domain::{BenefitKind, EmploymentKind, Month};
use std::collections::BTreeMap;

pub fn check(facts: &CitizenFacts) -> Vec<Hit> {
    let claims: Vec<Month> = facts
        .registrations
        .iter()
        .filter(|r| r.kind == EmploymentKind::Unemployment)
        .map(|r| Month::of_date(r.registered_on))
        .collect();
    let separations: Vec<Month> = facts
        .registrations
        .iter()
        .filter(|r| r.kind == EmploymentKind::Employment)
        .filter_map(|r| r.ended_on.map(Month::of_date))
        .collect();
    let mut by_employer: BTreeMap<&str, Hit> = BTreeMap::new();
    for b in facts.benefits_of(BenefitKind::UnemploymentBenefit) {
        let m = b.period;
        if separations.contains(&m) || !claims.iter().any(|c| *c <= m) {
            continue;
        }
        let mut employers: Vec<(&str, crate::checks::Evidence)> = facts
            .contributions
            .iter()
            .filter(|c| c.period == m && c.employer_amount.0 > 0)
            .map(|c| (c.employer_code.as_str(), c.into()))
            .collect();
        employers.extend(
            facts
                .registrations
                .iter()
                .filter(|r| {
                    r.kind == EmploymentKind::Employment
                        && Month::of_date(r.registered_on) <= m
                        && r.ended_on.is_none_or(|end| Month::of_date(end) >= m)
                })
                .map(|r| (r.employer_code.as_str(), r.into())),
        );
        let Some(first) = employers.first().map(|(code, _)| *code) else {
            continue;
        };
        let hit = by_employer
            .entry(first)
            .or_insert_with(|| Hit::new(Rule::UiWhileEmployed, facts, format!("employer {first}")));
        hit.at_risk(b);
        for (_, e) in employers {
            if !hit.evidence.contains(&e) {
                hit.evidence.push(e);
            }
        }
    }
    by_employer.into_values().collect()
}
