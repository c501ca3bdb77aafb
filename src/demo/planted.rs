//! Known fund-safety cases planted in the demo population, and the tricky non-cases beside them
//! (issue 12), so that a test can assert the checks find exactly these and nothing else.
//!
//! Every citizen whose index is `CASE` modulo [`EVERY`] gets a case, every one at `NON_CASE` a
//! non-case, chosen among those that fit the citizen's life (an overlap needs unemployment
//! benefit, a death after payments a pensioner) in a rotation from the index; the first that
//! applies wins. The plant only
//! edits the citizen's own rows, so a citizen stays the same whatever the population size.

use super::calendar::{day_in, month_index, UNEMPLOYMENT_BENEFIT_DAY};
use super::ledger::{BenefitRow, ContributionRow, DeathRow, Rows};
use super::population::{citizen, Citizen};
use super::DemoOptions;
use crate::domain::{BenefitKind, CardStatus, ContributionStatus, DeathSource, Fen, Insurance};
use chrono::NaiveDate;

const EVERY: u32 = 17;
const CASE: u32 = 5;
const NON_CASE: u32 = 11;

/// Rule codes as the checks name them (docs/cross-checks.md), by the life they fit: the
/// unemployment rules for claimants, the others for pensioners, a double funeral grant for anyone.
const CLAIMANT_CASES: [&str; 3] = ["ui_while_employed", "ui_while_pension", "injury_overlap"];
const PENSIONER_CASES: [&str; 3] = ["paid_after_death", "two_pensions", "funeral_grant_repeat"];
const OTHER_CASES: [&str; 1] = ["funeral_grant_repeat"];

/// The non-cases beside them; never a hit.
const CLAIMANT_NON_CASES: [&str; 3] = [
    "separation_month",
    "older_claimant_own_contributions",
    "back_paid_before_claim",
];
const PENSIONER_NON_CASES: [&str; 1] = ["death_stopped_in_time"];

/// One planted case: the rule that must find it and the citizen.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Planted {
    pub rule: &'static str,
    pub ssn: String,
}

/// The cases planted among the first `opts.citizens` citizens.
pub fn planted_cases(opts: &DemoOptions) -> Vec<Planted> {
    let mut rows = Rows::default();
    let mut out = Vec::new();
    for index in (CASE..opts.citizens).step_by(EVERY as usize) {
        let c = citizen(opts, index);
        super::ledger::fill(&c, opts.today, &mut rows);
        if let Some(rule) = plant(&c, opts.today, &mut rows) {
            out.push(Planted {
                rule,
                ssn: c.who.id.as_str().to_string(),
            });
        }
    }
    out.sort();
    out
}

/// Plants this citizen's case or non-case, if any; returns the rule of a planted case.
pub(super) fn plant(citizen: &Citizen, today: NaiveDate, rows: &mut Rows) -> Option<&'static str> {
    let claimant = rows
        .benefits
        .iter()
        .any(|b| b.benefit == BenefitKind::UnemploymentBenefit);
    let pensioner = rows
        .benefits
        .iter()
        .any(|b| b.benefit == BenefitKind::BasicPension);
    let (slot, kinds): (u32, &[&'static str]) = match (citizen.index % EVERY, claimant, pensioner) {
        (CASE, true, _) => (0, &CLAIMANT_CASES),
        (CASE, false, true) => (0, &PENSIONER_CASES),
        (CASE, false, false) => (0, &OTHER_CASES),
        (NON_CASE, true, _) => (1, &CLAIMANT_NON_CASES),
        (NON_CASE, false, true) => (1, &PENSIONER_NON_CASES),
        _ => return None,
    };
    if citizen.index == 0 {
        return None;
    }
    let start = (citizen.index / EVERY) as usize;
    for k in 0..kinds.len() {
        let kind = kinds[(start + k) % kinds.len()];
        if apply(kind, today, rows) {
            return (slot == 0).then_some(kind);
        }
    }
    None
}

fn months_of(rows: &Rows, benefit: BenefitKind) -> Vec<i32> {
    let mut m: Vec<i32> = rows
        .benefits
        .iter()
        .filter(|b| b.benefit == benefit)
        .map(|b| b.period)
        .collect();
    m.sort_unstable();
    m
}

fn has_contribution(rows: &Rows, insurance: Insurance, period: i32) -> bool {
    rows.contributions
        .iter()
        .any(|c| c.insurance == insurance && c.period == period)
}

fn pay(rows: &mut Rows, benefit: BenefitKind, insurance: Insurance, period: i32, fen: i64) {
    rows.benefits.push(BenefitRow {
        benefit,
        insurance,
        period,
        amount: Fen(fen),
        paid_on: None,
    });
}

fn die(rows: &mut Rows, month: i32, source: DeathSource) {
    rows.deaths.push(DeathRow {
        death_date: day_in(month, 12),
        source,
        reported_on: day_in(month, 25),
    });
}

fn cancel_cards(rows: &mut Rows) {
    for card in &mut rows.cards {
        card.status = CardStatus::Cancelled;
    }
}

/// The first month of the latest unemployment claim, when it has at least `n` benefit months.
fn claim_months(rows: &Rows, n: usize) -> Option<Vec<i32>> {
    let ui = months_of(rows, BenefitKind::UnemploymentBenefit);
    (ui.len() >= n).then_some(ui)
}

fn apply(kind: &str, today: NaiveDate, rows: &mut Rows) -> bool {
    let pension = months_of(rows, BenefitKind::BasicPension);
    match kind {
        // Three pension months after the death month, and the card still active.
        "paid_after_death" if pension.len() >= 6 => {
            let last = pension[pension.len() - 1];
            die(rows, last - 3, DeathSource::PublicSecurity);
            true
        }
        "two_pensions" if pension.len() >= 6 => {
            let employee = rows.benefits.iter().any(|b| {
                b.benefit == BenefitKind::BasicPension && b.insurance != Insurance::ResidentPension
            });
            if !employee {
                return false;
            }
            for &m in &pension[pension.len() - 6..] {
                pay(
                    rows,
                    BenefitKind::BasicPension,
                    Insurance::ResidentPension,
                    m,
                    23_000,
                );
            }
            true
        }
        "ui_while_employed" => {
            let Some(ui) = claim_months(rows, 3) else {
                return false;
            };
            let m = ui[1];
            if has_contribution(rows, Insurance::WorkInjury, m) {
                return false;
            }
            rows.contributions.push(ContributionRow {
                insurance: Insurance::WorkInjury,
                period: m,
                base: Fen(600_000),
                employer_amount: Fen(3_000),
                personal_amount: Fen(0),
                paid_on: Some(day_in(m, UNEMPLOYMENT_BENEFIT_DAY)),
                employer_code: "E900001",
                status: ContributionStatus::Paid,
            });
            true
        }
        "ui_while_pension" => {
            let Some(ui) = claim_months(rows, 2) else {
                return false;
            };
            if pension.contains(&ui[1]) {
                return false;
            }
            pay(
                rows,
                BenefitKind::BasicPension,
                Insurance::EnterprisePension,
                ui[1],
                250_000,
            );
            true
        }
        // A death this month, after every payment: only the two grants are wrong.
        "funeral_grant_repeat" => {
            let now = month_index(today);
            if rows.contributions.iter().any(|c| c.period >= now)
                || rows.benefits.iter().any(|b| b.period >= now)
            {
                return false;
            }
            rows.deaths.push(DeathRow {
                death_date: today,
                source: DeathSource::CivilAffairs,
                reported_on: today,
            });
            cancel_cards(rows);
            pay(
                rows,
                BenefitKind::FuneralGrant,
                Insurance::EnterprisePension,
                now,
                600_000,
            );
            pay(
                rows,
                BenefitKind::FuneralGrant,
                Insurance::Unemployment,
                now,
                400_000,
            );
            true
        }
        "injury_overlap" => {
            let Some(ui) = claim_months(rows, 2) else {
                return false;
            };
            for &m in &ui[..2] {
                pay(
                    rows,
                    BenefitKind::InjuryPension,
                    Insurance::WorkInjury,
                    m,
                    300_000,
                );
            }
            true
        }
        // Benefit for the separation month itself, which the employer also paid for.
        "separation_month" => {
            let Some(ui) = claim_months(rows, 1) else {
                return false;
            };
            let Some(separation) = rows
                .registrations
                .iter()
                .filter_map(|r| r.ended_on)
                .map(month_index)
                .filter(|m| *m < ui[0])
                .max()
            else {
                return false;
            };
            if ui.contains(&separation)
                || !has_contribution(rows, Insurance::Unemployment, separation)
            {
                return false;
            }
            pay(
                rows,
                BenefitKind::UnemploymentBenefit,
                Insurance::Unemployment,
                separation,
                150_000,
            );
            true
        }
        // The fund pays an older claimant's own pension share (人社部发〔2024〕76号): no employer.
        "older_claimant_own_contributions" => {
            let Some(ui) = claim_months(rows, 1) else {
                return false;
            };
            if ui
                .iter()
                .any(|m| has_contribution(rows, Insurance::EnterprisePension, *m))
            {
                return false;
            }
            for &m in &ui {
                rows.contributions.push(ContributionRow {
                    insurance: Insurance::EnterprisePension,
                    period: m,
                    base: Fen(400_000),
                    employer_amount: Fen(0),
                    personal_amount: Fen(32_000),
                    paid_on: Some(day_in(m, UNEMPLOYMENT_BENEFIT_DAY)),
                    employer_code: "",
                    status: ContributionStatus::Paid,
                });
            }
            true
        }
        // An employer's arrears for a month before the claim, paid while the benefit ran.
        "back_paid_before_claim" => {
            let Some(ui) = claim_months(rows, 1) else {
                return false;
            };
            let Some(row) = rows
                .contributions
                .iter_mut()
                .filter(|c| c.period < ui[0] && c.employer_amount.0 > 0)
                .max_by_key(|c| c.period)
            else {
                return false;
            };
            row.status = ContributionStatus::BackPaid;
            row.paid_on = Some(day_in(ui[0], UNEMPLOYMENT_BENEFIT_DAY));
            true
        }
        // Died; the pension stopped after the death month, the card was cancelled, one grant.
        "death_stopped_in_time" if pension.len() >= 6 => {
            let death = pension[pension.len() - 4];
            rows.benefits.retain(|b| b.period <= death);
            rows.contributions.retain(|c| c.period <= death);
            die(rows, death, DeathSource::Health);
            cancel_cards(rows);
            pay(
                rows,
                BenefitKind::FuneralGrant,
                Insurance::EnterprisePension,
                death + 1,
                600_000,
            );
            true
        }
        _ => false,
    }
}
