//! `injury_overlap`: work-injury payments beside benefits they exclude (工伤保险条例 §35).
//! - Injury payments and unemployment benefit in one month: grades 1–4 keep the labour relation,
//!   so the person is not unemployed; the unemployment benefit is at risk.
//! - 伤残津贴 beside a basic pension: the fund only tops the pension up to the allowance, so
//!   the injury payment may not exceed (allowance − pension), the allowance being the last one
//!   paid in full before the pension began. Without such a month there is nothing to compare.

use super::{Hit, Rule};
use crate::checks::facts::CitizenFacts;
use crate::domain::{BenefitKind, Fen};

fn is_injury(kind: BenefitKind) -> bool {
    matches!(
        kind,
        BenefitKind::InjuryAllowance | BenefitKind::InjuryPension
    )
}

pub fn check(facts: &CitizenFacts) -> Vec<Hit> {
    let mut hits = Vec::new();
    let injury: Vec<_> = facts
        .benefits
        .iter()
        .filter(|b| is_injury(b.benefit))
        .collect();
    if injury.is_empty() {
        return hits;
    }
    let mut with_ui = Hit::new(Rule::InjuryOverlap, facts, "injury+unemployment".into());
    for ui in facts.benefits_of(BenefitKind::UnemploymentBenefit) {
        let same: Vec<_> = injury.iter().filter(|i| i.period == ui.period).collect();
        if !same.is_empty() {
            with_ui.at_risk(ui);
            with_ui
                .evidence
                .extend(same.into_iter().map(|i| (*i).into()));
        }
    }
    if !with_ui.evidence.is_empty() {
        hits.push(with_ui);
    }

    let pensions: Vec<_> = facts.benefits_of(BenefitKind::BasicPension).collect();
    let Some(first_pension) = pensions.iter().map(|p| p.period).min() else {
        return hits;
    };
    let full = injury
        .iter()
        .filter(|i| i.benefit == BenefitKind::InjuryPension && i.period < first_pension)
        .max_by_key(|i| i.period);
    let Some(full) = full else {
        return hits;
    };
    let mut top_up = Hit::new(Rule::InjuryOverlap, facts, "injury+pension".into());
    for i in injury
        .iter()
        .filter(|i| i.benefit == BenefitKind::InjuryPension && i.period >= first_pension)
    {
        let pension: i64 = pensions
            .iter()
            .filter(|p| p.period == i.period)
            .map(|p| p.amount.0)
            .sum();
        let allowed = (full.amount.0 - pension).max(0);
        if i.amount.0 > allowed {
            top_up.months.push(i.period);
            top_up.amount_at_risk = top_up.amount_at_risk + Fen(i.amount.0 - allowed);
            top_up.evidence.push((*i).into());
            top_up.evidence.extend(
                pensions
                    .iter()
                    .filter(|p| p.period == i.period)
                    .map(|p| (*p).into()),
            );
        }
    }
    if !top_up.evidence.is_empty() {
        top_up.evidence.push((*full).into());
        hits.push(top_up);
    }
    hits
}
