//! `two_pensions`: basic pensions from two schemes for one month. Employee + resident is settled
//! by 城乡养老保险制度衔接暂行办法 §8 (end the resident pension, recover what it paid), so the
//! resident payments are at risk; for other pairs the smaller payment of each month is.
//! Rows whose scheme is not stated (older exports) are left out: they may be the same pension.

use super::{Hit, Rule};
use crate::checks::facts::{BenefitFact, CitizenFacts};
use crate::domain::{BenefitKind, Insurance, Month};
use std::collections::BTreeMap;

pub fn check(facts: &CitizenFacts) -> Option<Hit> {
    let mut by_month: BTreeMap<Month, Vec<&BenefitFact>> = BTreeMap::new();
    for b in facts.benefits_of(BenefitKind::BasicPension) {
        if b.insurance.is_some() {
            by_month.entry(b.period).or_default().push(b);
        }
    }
    let mut schemes: Vec<Insurance> = Vec::new();
    let mut overlapping: Vec<Vec<&BenefitFact>> = Vec::new();
    for (_, mut paid) in by_month {
        paid.sort_by_key(|b| b.insurance);
        paid.dedup_by_key(|b| b.insurance);
        if paid.len() > 1 {
            schemes.extend(paid.iter().filter_map(|b| b.insurance));
            overlapping.push(paid);
        }
    }
    if overlapping.is_empty() {
        return None;
    }
    schemes.sort();
    schemes.dedup();
    let anchor = schemes
        .iter()
        .map(|s| s.code())
        .collect::<Vec<_>>()
        .join("+");
    let mut hit = Hit::new(Rule::TwoPensions, facts, anchor);
    for paid in overlapping {
        let resident = paid
            .iter()
            .find(|b| b.insurance == Some(Insurance::ResidentPension));
        let at_risk = match resident {
            Some(r) => *r,
            None => *paid
                .iter()
                .min_by_key(|b| b.amount)
                .expect("two or more rows"),
        };
        for b in &paid {
            if !std::ptr::eq(*b, at_risk) {
                hit.evidence.push((*b).into());
            }
        }
        hit.at_risk(at_risk);
    }
    Some(hit)
}
