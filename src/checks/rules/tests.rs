//! Each rule on hand-made facts: the hit, and the tricky non-cases docs/cross-checks.md names.

use super::{evaluate, Rule};
use crate::checks::facts::*;
use crate::domain::*;
use chrono::NaiveDate;

fn m(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn pay(benefit: BenefitKind, insurance: Insurance, period: &str, fen: i64) -> BenefitFact {
    BenefitFact {
        benefit,
        insurance: Some(insurance),
        period: m(period),
        amount: Fen(fen),
        batch_id: 1,
    }
}

fn ui(period: &str) -> BenefitFact {
    pay(
        BenefitKind::UnemploymentBenefit,
        Insurance::Unemployment,
        period,
        180_000,
    )
}

fn contribution(period: &str, employer_fen: i64, employer: &str) -> ContributionFact {
    ContributionFact {
        insurance: Insurance::EnterprisePension,
        period: m(period),
        employer_amount: Fen(employer_fen),
        employer_code: employer.into(),
        status: ContributionStatus::Paid,
        batch_id: 2,
    }
}

fn registration(kind: EmploymentKind, from: &str, to: Option<&str>) -> RegistrationFact {
    RegistrationFact {
        kind,
        employer_code: if kind == EmploymentKind::Employment {
            "E1".into()
        } else {
            String::new()
        },
        registered_on: day(from),
        ended_on: to.map(day),
        batch_id: 3,
    }
}

/// A claimant: job until 2024-03-31, registered unemployed 2024-04-10, benefit 2024-03..06.
fn claimant() -> CitizenFacts {
    CitizenFacts {
        ssn: "440305198503150016".into(),
        benefits: vec![ui("2024-04"), ui("2024-05"), ui("2024-06")],
        contributions: vec![contribution("2024-03", 80_000, "E1")],
        registrations: vec![
            registration(EmploymentKind::Employment, "2019-01-01", Some("2024-03-31")),
            registration(EmploymentKind::Unemployment, "2024-04-10", None),
        ],
        ..CitizenFacts::default()
    }
}

fn rules(facts: &CitizenFacts) -> Vec<Rule> {
    evaluate(facts).into_iter().map(|h| h.rule).collect()
}

#[test]
fn a_clean_claimant_is_no_hit() {
    assert!(rules(&claimant()).is_empty());
}

#[test]
fn an_employer_contribution_during_the_benefit_is_a_hit_with_the_benefit_at_risk() {
    let mut f = claimant();
    f.contributions.push(contribution("2024-05", 80_000, "E2"));
    let hits = evaluate(&f);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].rule, Rule::UiWhileEmployed);
    assert_eq!(hits[0].anchor, "employer E2");
    assert_eq!(hits[0].months, vec![m("2024-05")]);
    assert_eq!(hits[0].amount_at_risk, Fen(180_000));
}

#[test]
fn the_separation_month_months_before_the_claim_and_own_contributions_are_not_hits() {
    let mut f = claimant();
    // Benefit for the separation month, which the employer paid for.
    f.benefits.push(ui("2024-03"));
    // Benefit before any registration would be another office's question, not this rule's.
    f.benefits.push(ui("2024-02"));
    f.contributions.push(contribution("2024-02", 80_000, "E1"));
    // The fund pays an older claimant's own pension share: no employer amount.
    f.contributions.push(contribution("2024-05", 0, ""));
    // A back-paid month before the claim: the period counts, not the day it was paid.
    let mut back = contribution("2024-01", 80_000, "E1");
    back.status = ContributionStatus::BackPaid;
    f.contributions.push(back);
    assert!(rules(&f).is_empty(), "{:?}", evaluate(&f));
}

#[test]
fn a_new_employment_registration_during_the_benefit_is_a_hit() {
    let mut f = claimant();
    let mut job = registration(EmploymentKind::Employment, "2024-06-01", None);
    job.employer_code = "E3".into();
    f.registrations.push(job);
    assert_eq!(rules(&f), vec![Rule::UiWhileEmployed]);
}

#[test]
fn payments_after_the_death_month_and_an_active_card_are_one_hit() {
    let pension = |p| {
        pay(
            BenefitKind::BasicPension,
            Insurance::EnterprisePension,
            p,
            300_000,
        )
    };
    let f = CitizenFacts {
        ssn: "11010519491231002X".into(),
        benefits: vec![
            pension("2024-01"),
            pension("2024-02"),
            pension("2024-03"),
            pay(
                BenefitKind::FuneralGrant,
                Insurance::EnterprisePension,
                "2024-02",
                600_000,
            ),
        ],
        deaths: vec![DeathFact {
            source: DeathSource::CivilAffairs,
            death_date: day("2024-01-20"),
            batch_id: 9,
        }],
        cards: vec![CardFact {
            card_no: "A12345678".into(),
            status: CardStatus::Active,
            batch_id: 4,
        }],
        ..CitizenFacts::default()
    };
    let hits = evaluate(&f);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].rule, Rule::PaidAfterDeath);
    assert_eq!(hits[0].anchor, "death 2024-01");
    assert_eq!(
        hits[0].amount_at_risk,
        Fen(600_000),
        "the grant is not at risk"
    );
    assert!(hits[0].evidence.iter().any(|e| e.table == "cards"));
}

#[test]
fn a_death_with_everything_stopped_is_no_hit() {
    let f = CitizenFacts {
        ssn: "11010519491231002X".into(),
        benefits: vec![pay(
            BenefitKind::BasicPension,
            Insurance::ResidentPension,
            "2024-01",
            20_000,
        )],
        deaths: vec![DeathFact {
            source: DeathSource::Health,
            death_date: day("2024-01-20"),
            batch_id: 9,
        }],
        ..CitizenFacts::default()
    };
    assert!(rules(&f).is_empty());
}

#[test]
fn employee_and_resident_pensions_put_the_resident_one_at_risk() {
    let f = CitizenFacts {
        ssn: "11010519491231002X".into(),
        benefits: vec![
            pay(
                BenefitKind::BasicPension,
                Insurance::EnterprisePension,
                "2024-01",
                300_000,
            ),
            pay(
                BenefitKind::BasicPension,
                Insurance::ResidentPension,
                "2024-01",
                20_000,
            ),
            pay(
                BenefitKind::BasicPension,
                Insurance::EnterprisePension,
                "2024-02",
                300_000,
            ),
        ],
        ..CitizenFacts::default()
    };
    let hits = evaluate(&f);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].anchor, "enterprise_pension+resident_pension");
    assert_eq!(hits[0].amount_at_risk, Fen(20_000));
}

#[test]
fn an_unstated_scheme_is_never_a_second_pension() {
    let mut unstated = pay(
        BenefitKind::BasicPension,
        Insurance::EnterprisePension,
        "2024-01",
        300_000,
    );
    unstated.insurance = None;
    let f = CitizenFacts {
        ssn: "11010519491231002X".into(),
        benefits: vec![
            unstated,
            pay(
                BenefitKind::BasicPension,
                Insurance::EnterprisePension,
                "2024-01",
                300_000,
            ),
        ],
        ..CitizenFacts::default()
    };
    assert!(rules(&f).is_empty());
}

#[test]
fn two_funeral_grants_put_the_smaller_at_risk() {
    let f = CitizenFacts {
        ssn: "11010519491231002X".into(),
        benefits: vec![
            pay(
                BenefitKind::FuneralGrant,
                Insurance::EnterprisePension,
                "2024-02",
                600_000,
            ),
            pay(
                BenefitKind::FuneralGrant,
                Insurance::WorkInjury,
                "2024-02",
                400_000,
            ),
        ],
        ..CitizenFacts::default()
    };
    let hits = evaluate(&f);
    assert_eq!(hits[0].rule, Rule::FuneralGrantRepeat);
    assert_eq!(hits[0].amount_at_risk, Fen(400_000));
}

#[test]
fn unemployment_benefit_beside_a_pension_or_an_injury_payment_is_a_hit() {
    let mut f = claimant();
    f.benefits.push(pay(
        BenefitKind::BasicPension,
        Insurance::EnterprisePension,
        "2024-06",
        250_000,
    ));
    f.benefits.push(pay(
        BenefitKind::InjuryPension,
        Insurance::WorkInjury,
        "2024-05",
        300_000,
    ));
    let mut found = rules(&f);
    found.sort();
    assert_eq!(found, vec![Rule::UiWhilePension, Rule::InjuryOverlap]);
}

#[test]
fn an_injury_payment_above_the_top_up_is_a_hit_for_the_excess() {
    let f = CitizenFacts {
        ssn: "11010519491231002X".into(),
        benefits: vec![
            pay(
                BenefitKind::InjuryPension,
                Insurance::WorkInjury,
                "2024-01",
                300_000,
            ),
            pay(
                BenefitKind::InjuryPension,
                Insurance::WorkInjury,
                "2024-02",
                300_000,
            ),
            pay(
                BenefitKind::BasicPension,
                Insurance::EnterprisePension,
                "2024-02",
                250_000,
            ),
            pay(
                BenefitKind::InjuryPension,
                Insurance::WorkInjury,
                "2024-03",
                50_000,
            ),
            pay(
                BenefitKind::BasicPension,
                Insurance::EnterprisePension,
                "2024-03",
                250_000,
            ),
        ],
        ..CitizenFacts::default()
    };
    let hits = evaluate(&f);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].anchor, "injury+pension");
    assert_eq!(hits[0].months, vec![m("2024-02")]);
    assert_eq!(hits[0].amount_at_risk, Fen(250_000));
}
