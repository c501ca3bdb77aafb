//! `unemployment_entitlement` of the record: whether the conditions for 失业保险金 are met as far
//! as the record can tell (失业保险条例 §14, 社会保险法 §45), how many months may be drawn
//! (条例 §17, 法 §46), how many were drawn and how many are left.
//!
//! Each unemployment registration (失业登记) opens a claim. A claim's contribution time is what
//! was paid since the previous claim (法 §46: it restarts after re-employment); its entitlement
//! comes from the accrual curve, plus the unused months of the previous claim, capped at
//! [`UnemploymentRules::cap_months`]. A claimant less than a year from the statutory retirement
//! age draws until that age (State Council measure on the retirement age, 第七条).

use super::pension_projection::years_and_months_zh;
use super::record::{Benefit, Contribution, Person, Registration};
use super::retirement::{possible_categories, statutory};
use super::{BenefitKind, EmploymentKind, Insurance, Month};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The province's figures; the default is the national law (条例 §17: 1–5 years → 12 months,
/// 5–10 → 18, 10 and more → 24).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnemploymentRules {
    /// Steps of the accrual curve: `[contribution months at least, entitlement months]`, in
    /// rising order; below the first step there is no entitlement.
    pub accrual: Vec<[u32; 2]>,
    /// The most months one claim may reach with carried-over months (法 §46).
    pub cap_months: u32,
    /// Months paid before the separation that the conditions require (条例 §14).
    pub minimum_months: u32,
}

impl Default for UnemploymentRules {
    fn default() -> Self {
        UnemploymentRules {
            accrual: vec![[12, 12], [60, 18], [120, 24]],
            cap_months: 24,
            minimum_months: 12,
        }
    }
}

impl UnemploymentRules {
    pub fn months_for(&self, contribution_months: u32) -> u32 {
        self.accrual
            .iter()
            .filter(|[from, _]| contribution_months >= *from)
            .map(|[_, months]| *months)
            .next_back()
            .unwrap_or(0)
    }
}

/// One condition: met, not met, or not known from the data (`met: null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub code: &'static str,
    pub met: Option<bool>,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum UnemploymentEntitlement {
    Computed(Box<Entitlement>),
    CannotCompute { reason: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct Entitlement {
    /// Every paid or back-paid month of unemployment insurance.
    pub contribution_months_total: u32,
    pub conditions: Vec<Condition>,
    /// True only when every condition the data can tell is met and none is unknown.
    pub eligible: Option<bool>,
    /// The latest claim, when there is one.
    pub claim_registered_on: Option<NaiveDate>,
    pub claim_contribution_months: u32,
    pub entitlement_months: u32,
    pub carried_over_months: u32,
    pub drawn_months: u32,
    pub months_left: u32,
    /// Set when the claimant draws until the statutory retirement month.
    pub until_retirement_month: Option<Month>,
    pub wording_zh: String,
}

struct Claim {
    registered_on: NaiveDate,
    contribution_months: u32,
    entitlement: u32,
    carried: u32,
    drawn: u32,
    until_retirement: Option<Month>,
}

pub fn assess(
    person: &Person,
    contributions: &[Contribution],
    benefits: &[Benefit],
    registrations: &[Registration],
    today: NaiveDate,
    rules: &UnemploymentRules,
) -> UnemploymentEntitlement {
    let cannot = |reason: String| UnemploymentEntitlement::CannotCompute {
        reason: format!("cannot compute: {reason}"),
    };
    if person.birth_date > today {
        return cannot(format!(
            "the birth date {} is in the future",
            person.birth_date
        ));
    }
    let mut paid: Vec<Month> = contributions
        .iter()
        .filter(|c| c.insurance == Insurance::Unemployment && c.status.counts_as_paid())
        .map(|c| c.period)
        .collect();
    paid.sort();
    paid.dedup();
    let mut drawn: Vec<Month> = benefits
        .iter()
        .filter(|b| b.benefit == BenefitKind::UnemploymentBenefit)
        .map(|b| b.period)
        .collect();
    drawn.sort();
    drawn.dedup();
    let mut claims: Vec<&Registration> = registrations
        .iter()
        .filter(|r| r.kind == EmploymentKind::Unemployment)
        .collect();
    claims.sort_by_key(|r| r.registered_on);
    if let (Some(first_drawn), first_claim) = (drawn.first(), claims.first()) {
        if first_claim.is_none_or(|c| Month::of_date(c.registered_on) > *first_drawn) {
            return cannot(format!(
                "unemployment benefit was paid for {first_drawn}, before any unemployment registration on record"
            ));
        }
    }
    // The month the statutory retirement age is reached, when the category is known.
    let retirement = match possible_categories(person.gender, person.retirement_category) {
        Ok(c) if c.len() == 1 => statutory(c[0], person.birth_date).1,
        Ok(_) => None,
        Err(why) => return cannot(why),
    };

    let mut done: Vec<Claim> = Vec::new();
    for (i, reg) in claims.iter().enumerate() {
        let start = Month::of_date(reg.registered_on);
        let previous_start = i
            .checked_sub(1)
            .map(|p| Month::of_date(claims[p].registered_on));
        let next_start = claims.get(i + 1).map(|n| Month::of_date(n.registered_on));
        let contribution_months = paid
            .iter()
            .filter(|m| **m < start && previous_start.is_none_or(|p| **m >= p))
            .count() as u32;
        let carried = done
            .last()
            .map_or(0, |c| c.entitlement.saturating_sub(c.drawn));
        let mut entitlement =
            (rules.months_for(contribution_months) + carried).min(rules.cap_months);
        let until_retirement = retirement.filter(|r| {
            entitlement > 0 && start.months_until(*r) > 0 && start.months_until(*r) <= 12
        });
        if let Some(r) = until_retirement {
            entitlement = entitlement.max(start.months_until(r) as u32);
        }
        let drawn_here = drawn
            .iter()
            .filter(|m| **m >= start && next_start.is_none_or(|n| **m < n))
            .count() as u32;
        done.push(Claim {
            registered_on: reg.registered_on,
            contribution_months,
            entitlement,
            carried,
            drawn: drawn_here,
            until_retirement,
        });
    }

    let separation = registrations
        .iter()
        .filter(|r| r.kind == EmploymentKind::Employment)
        .filter_map(|r| r.ended_on)
        .max();
    let paid_before_separation = separation.map(|day| {
        let month = Month::of_date(day);
        paid.iter().filter(|m| **m <= month).count() as u32
    });
    let registered_after = match (separation, done.last()) {
        (Some(s), Some(c)) => c.registered_on >= s,
        _ => false,
    };
    let conditions = vec![
        Condition {
            code: "contributed_one_year",
            met: Some(paid_before_separation.unwrap_or(paid.len() as u32) >= rules.minimum_months),
            detail: format!(
                "{} months of unemployment insurance paid before the separation (at least {} needed)",
                paid_before_separation.unwrap_or(paid.len() as u32),
                rules.minimum_months
            ),
        },
        Condition {
            code: "separation",
            met: Some(separation.is_some()),
            detail: match separation {
                Some(day) => format!("the latest employment registration ended on {day}"),
                None => "no ended employment registration on record".into(),
            },
        },
        Condition {
            code: "involuntary_separation",
            met: None,
            detail: "not known from the data: the employment export carries no reason of separation".into(),
        },
        Condition {
            code: "unemployment_registration",
            met: Some(registered_after),
            detail: if registered_after {
                "an unemployment registration after the separation is on record".into()
            } else {
                "no unemployment registration after the separation".into()
            },
        },
    ];
    let eligible = if conditions.iter().any(|c| c.met == Some(false)) {
        Some(false)
    } else if conditions.iter().any(|c| c.met.is_none()) {
        None
    } else {
        Some(true)
    };
    let total = paid.len() as u32;
    let latest = done.last();
    let entitlement_months = latest.map_or(rules.months_for(total), |c| c.entitlement);
    let drawn_months = latest.map_or(0, |c| c.drawn);
    let mut wording_zh = if total == 0 {
        "您没有失业保险缴费记录，不能领取失业保险金".to_string()
    } else {
        format!(
            "您累计缴纳失业保险 {}，可领取失业保险金最长 {} 个月",
            years_and_months_zh(total),
            entitlement_months
        )
    };
    if latest.is_some() {
        wording_zh += &format!("；已领取 {drawn_months} 个月");
    }
    UnemploymentEntitlement::Computed(Box::new(Entitlement {
        contribution_months_total: total,
        conditions,
        eligible,
        claim_registered_on: latest.map(|c| c.registered_on),
        claim_contribution_months: latest.map_or(total, |c| c.contribution_months),
        entitlement_months,
        carried_over_months: latest.map_or(0, |c| c.carried),
        drawn_months,
        months_left: entitlement_months.saturating_sub(drawn_months),
        until_retirement_month: latest.and_then(|c| c.until_retirement),
        wording_zh,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContributionStatus, Fen, Gender, RetirementCategory};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn months(from: &str, to: &str) -> Vec<Contribution> {
        Month::parse(from)
            .unwrap()
            .through(Month::parse(to).unwrap())
            .map(|period| Contribution {
                insurance: Insurance::Unemployment,
                period,
                base: Fen(0),
                employer_amount: Fen(100),
                personal_amount: Fen(50),
                paid_on: None,
                employer_code: "E1".into(),
                status: ContributionStatus::Paid,
            })
            .collect()
    }

    fn drawn(from: &str, n: usize) -> Vec<Benefit> {
        Month::parse(from)
            .unwrap()
            .through(Month::parse("2099-12").unwrap())
            .take(n)
            .map(|period| Benefit {
                benefit: BenefitKind::UnemploymentBenefit,
                insurance: Some(Insurance::Unemployment),
                period,
                amount: Fen(180_000),
                paid_on: None,
            })
            .collect()
    }

    fn job(hired: &str, left: &str) -> Registration {
        Registration {
            kind: EmploymentKind::Employment,
            employer_code: "E1".into(),
            employer_name: "甲公司".into(),
            registered_on: day(hired),
            ended_on: Some(day(left)),
        }
    }

    fn claim(on: &str) -> Registration {
        Registration {
            kind: EmploymentKind::Unemployment,
            employer_code: String::new(),
            employer_name: String::new(),
            registered_on: day(on),
            ended_on: None,
        }
    }

    fn computed(e: UnemploymentEntitlement) -> Entitlement {
        match e {
            UnemploymentEntitlement::Computed(e) => *e,
            other => panic!("{other:?}"),
        }
    }

    const TODAY: &str = "2026-12-01";

    #[test]
    fn seven_years_three_months_give_eighteen_months() {
        let e = computed(assess(
            &Person::sample(),
            &months("2017-01", "2024-03"),
            &drawn("2024-05", 4),
            &[job("2017-01-01", "2024-03-31"), claim("2024-04-10")],
            day(TODAY),
            &UnemploymentRules::default(),
        ));
        assert_eq!(e.contribution_months_total, 87);
        assert_eq!(
            (e.entitlement_months, e.drawn_months, e.months_left),
            (18, 4, 14)
        );
        assert_eq!(
            e.wording_zh,
            "您累计缴纳失业保险 7 年 3 个月，可领取失业保险金最长 18 个月；已领取 4 个月"
        );
        assert_eq!(
            e.eligible, None,
            "the reason of separation is not in the data"
        );
    }

    #[test]
    fn less_than_a_year_before_the_separation_is_not_eligible() {
        let e = computed(assess(
            &Person::sample(),
            &months("2024-01", "2024-08"),
            &[],
            &[job("2024-01-01", "2024-08-31"), claim("2024-09-05")],
            day(TODAY),
            &UnemploymentRules::default(),
        ));
        assert_eq!(e.eligible, Some(false));
        assert_eq!(e.entitlement_months, 0);
    }

    #[test]
    fn unused_months_of_an_earlier_claim_carry_over_up_to_24() {
        let mut paid = months("2008-01", "2019-12");
        paid.extend(months("2021-01", "2024-12"));
        let mut benefits = drawn("2020-01", 6);
        benefits.extend(drawn("2025-02", 2));
        let e = computed(assess(
            &Person::sample(),
            &paid,
            &benefits,
            &[
                job("2008-01-01", "2019-12-31"),
                claim("2020-01-05"),
                job("2021-01-01", "2024-12-31"),
                claim("2025-01-08"),
            ],
            day(TODAY),
            &UnemploymentRules::default(),
        ));
        // First claim: 144 months → 24, 6 drawn, 18 unused; second: 48 months → 12 + 18 → 24.
        assert_eq!((e.carried_over_months, e.entitlement_months), (18, 24));
        assert_eq!((e.drawn_months, e.months_left), (2, 22));
    }

    #[test]
    fn a_claimant_near_retirement_draws_until_the_statutory_month() {
        let mut man = Person::sample();
        man.gender = Gender::Male;
        man.birth_date = day("1966-03-10");
        man.retirement_category = Some(RetirementCategory::Male);
        // Born 1966-03: +4 months, statutory month 2026-07; claim from 2025-10 (9 months).
        let e = computed(assess(
            &man,
            &months("2023-01", "2025-09"),
            &[],
            &[job("2023-01-01", "2025-09-30"), claim("2025-10-08")],
            day(TODAY),
            &UnemploymentRules::default(),
        ));
        assert_eq!(e.until_retirement_month, Month::parse("2026-07").ok());
        assert_eq!(
            e.entitlement_months, 12,
            "the curve's 12 already exceed the 9 months"
        );
    }

    #[test]
    fn benefit_without_a_registration_cannot_be_computed() {
        let e = assess(
            &Person::sample(),
            &months("2017-01", "2024-03"),
            &drawn("2024-05", 1),
            &[],
            day(TODAY),
            &UnemploymentRules::default(),
        );
        assert!(matches!(e, UnemploymentEntitlement::CannotCompute { .. }));
    }

    #[test]
    fn a_province_curve_is_read_step_by_step() {
        let rules = UnemploymentRules {
            accrual: vec![[12, 3], [24, 6], [36, 9], [48, 12]],
            ..UnemploymentRules::default()
        };
        assert_eq!((rules.months_for(11), rules.months_for(30)), (0, 6));
    }
}
