//! `ui_while_pension`: unemployment benefit for a month that also has a basic pension
//! (社会保险法 §51: drawing a basic pension stops the benefit). The benefit of the overlap is at
//! risk, to be recovered.

use super::{Hit, Rule};
use crate::checks::facts::CitizenFacts;
use crate::domain::BenefitKind;

pub fn check(facts: &CitizenFacts) -> Option<Hit> {
    let mut hit = Hit::new(Rule::UiWhilePension, facts, "pension".into());
    for ui in facts.benefits_of(BenefitKind::UnemploymentBenefit) {
        let pensions: Vec<_> = facts
            .benefits_of(BenefitKind::BasicPension)
            .filter(|p| p.period == ui.period)
            .collect();
        if pensions.is_empty() {
            continue;
        }
        hit.at_risk(ui);
        hit.evidence.extend(pensions.into_iter().map(Into::into));
    }
    (!hit.evidence.is_empty()).then_some(hit)
}
