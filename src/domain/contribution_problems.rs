//! The truth about gaps (断缴) and arrears (欠缴), told once: one line per distinct problem with
//! its months and amount, shared by the kiosk, the window and the certificate so the three never
//! disagree.
//!
//! The rules come from the usability review (K4–K6, C4): arrears are owed by the employer and
//! are not counted inside 断缴; a gap that coincides with unemployment says so; the same range in
//! several insurances is one line, not three; and nobody already drawing a pension is told to
//! back-pay, because that is no longer possible after retirement.

use super::record::{Benefit, Contribution, InsuranceSummary, MonthRange, Registration};
use super::{BenefitKind, ContributionStatus, EmploymentKind, Fen, Insurance, Month};
use serde::Serialize;

/// What kind of problem a line tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// No contribution at all for the months (断缴).
    Gap,
    /// A contribution was due and the employer has not paid it (欠缴).
    Arrears,
}

impl ProblemKind {
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::Gap => "gap",
            ProblemKind::Arrears => "arrears",
        }
    }
}

/// What explains a gap, when the record knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapCause {
    /// The citizen drew 失业保险金 in those months.
    UnemploymentBenefit,
    /// The citizen was registered unemployed (失业登记) in those months.
    UnemploymentRegistration,
}

/// What the citizen can do about it; the screen adds where (the help desk's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Advice {
    /// Ask at a window about paying the months back (补缴).
    AskAboutBackPay,
    /// The employer owes the contribution: ask the employer.
    ContactEmployer,
    /// Nothing to do (a pensioner, or a gap explained by unemployment).
    None,
}

impl Advice {
    pub fn code(self) -> &'static str {
        match self {
            Advice::AskAboutBackPay => "ask_about_back_pay",
            Advice::ContactEmployer => "contact_employer",
            Advice::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContributionProblem {
    pub kind: ProblemKind,
    pub from: Month,
    pub to: Month,
    pub months: u32,
    /// The insurances with this very range, in the record's order.
    pub insurances: Vec<Insurance>,
    /// For arrears: the unpaid personal and employer parts, summed over the insurances.
    pub personal_owed: Fen,
    pub employer_owed: Fen,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<GapCause>,
    pub advice: Advice,
    /// The line as people read it, e.g. "2024年3月：养老保险单位未缴（欠缴，个人部分1532.56元）".
    pub wording_zh: String,
}

/// The problems of a record, gaps first then arrears, each in month order.
pub fn problems(
    insurances: &[InsuranceSummary],
    contributions: &[Contribution],
    benefits: &[Benefit],
    registrations: &[Registration],
    pensioner: bool,
) -> Vec<ContributionProblem> {
    let mut out: Vec<ContributionProblem> = Vec::new();
    for kind in [ProblemKind::Gap, ProblemKind::Arrears] {
        let mut ranges: Vec<(MonthRange, Vec<Insurance>)> = Vec::new();
        for summary in insurances {
            let runs = match kind {
                ProblemKind::Gap => &summary.gaps,
                ProblemKind::Arrears => &summary.arrears,
            };
            for run in runs {
                match ranges.iter_mut().find(|(r, _)| r == run) {
                    Some((_, kinds)) => kinds.push(summary.insurance),
                    None => ranges.push((run.clone(), vec![summary.insurance])),
                }
            }
        }
        ranges.sort_by_key(|(r, _)| (r.from, r.to));
        for (range, kinds) in ranges {
            let (personal_owed, employer_owed) = match kind {
                ProblemKind::Arrears => owed(contributions, &kinds, &range),
                ProblemKind::Gap => (Fen(0), Fen(0)),
            };
            let cause = match kind {
                ProblemKind::Gap => cause_of(&range, benefits, registrations),
                ProblemKind::Arrears => None,
            };
            let advice = match (kind, pensioner, cause) {
                (_, true, _) | (ProblemKind::Gap, _, Some(_)) => Advice::None,
                (ProblemKind::Gap, false, None) => Advice::AskAboutBackPay,
                (ProblemKind::Arrears, false, _) => Advice::ContactEmployer,
            };
            let mut problem = ContributionProblem {
                kind,
                from: range.from,
                to: range.to,
                months: range.months,
                insurances: kinds,
                personal_owed,
                employer_owed,
                cause,
                advice,
                wording_zh: String::new(),
            };
            problem.wording_zh = wording_zh(&problem);
            out.push(problem);
        }
    }
    out
}

/// The unpaid parts of the arrears rows of `kinds` inside `range`.
fn owed(contributions: &[Contribution], kinds: &[Insurance], range: &MonthRange) -> (Fen, Fen) {
    contributions
        .iter()
        .filter(|c| {
            c.status == ContributionStatus::Arrears
                && kinds.contains(&c.insurance)
                && range.from <= c.period
                && c.period <= range.to
        })
        .fold((Fen(0), Fen(0)), |(p, e), c| {
            (p + c.personal_amount, e + c.employer_amount)
        })
}

fn cause_of(
    range: &MonthRange,
    benefits: &[Benefit],
    registrations: &[Registration],
) -> Option<GapCause> {
    let inside = |m: Month| range.from <= m && m <= range.to;
    if benefits
        .iter()
        .any(|b| b.benefit == BenefitKind::UnemploymentBenefit && inside(b.period))
    {
        return Some(GapCause::UnemploymentBenefit);
    }
    let registered = registrations.iter().any(|r| {
        r.kind == EmploymentKind::Unemployment
            && Month::of_date(r.registered_on) <= range.to
            && r.ended_on
                .is_none_or(|end| Month::of_date(end) >= range.from)
    });
    registered.then_some(GapCause::UnemploymentRegistration)
}

/// "2015年4月—8月", "2024年3月", "2023年11月—2024年2月".
pub fn range_zh(from: Month, to: Month) -> String {
    if from == to {
        format!("{}年{}月", from.year(), from.month())
    } else if from.year() == to.year() {
        format!("{}年{}月—{}月", from.year(), from.month(), to.month())
    } else {
        format!(
            "{}年{}月—{}年{}月",
            from.year(),
            from.month(),
            to.year(),
            to.month()
        )
    }
}

/// "养老、失业、工伤" for several insurances; one is named in full ("失业保险").
fn insurances_zh(kinds: &[Insurance]) -> String {
    match kinds {
        [one] => one.name_zh().to_string(),
        _ => kinds
            .iter()
            .map(|k| k.short_zh())
            .collect::<Vec<_>>()
            .join("、"),
    }
}

fn wording_zh(p: &ContributionProblem) -> String {
    let when = range_zh(p.from, p.to);
    let what = insurances_zh(&p.insurances);
    let months = if p.months > 1 {
        format!("共{}个月", p.months)
    } else {
        String::new()
    };
    match p.kind {
        ProblemKind::Gap => {
            let because = match p.cause {
                Some(GapCause::UnemploymentBenefit) => "此期间您领取失业保险金",
                Some(GapCause::UnemploymentRegistration) => "此期间您办理了失业登记",
                None => "",
            };
            let note: Vec<&str> = [months.as_str(), because]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            if note.is_empty() {
                format!("{when}：{what}未缴费")
            } else {
                format!("{when}：{what}未缴费（{}）", note.join("；"))
            }
        }
        ProblemKind::Arrears => {
            let mut parts = vec!["欠缴".to_string()];
            if !months.is_empty() {
                parts.push(months);
            }
            parts.push(format!("个人部分{}元", p.personal_owed));
            parts.push(format!("单位部分{}元", p.employer_owed));
            format!("{when}：{what}单位未缴（{}）", parts.join("，"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::{Enrolment, Facts, Person, UnifiedRecord};
    use crate::domain::EnrolmentStatus;
    use chrono::NaiveDate;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn paid(insurance: Insurance, period: &str, status: ContributionStatus) -> Contribution {
        Contribution {
            insurance,
            period: m(period),
            base: Fen(500_000),
            employer_amount: Fen(80_000),
            personal_amount: Fen(40_000),
            paid_on: None,
            employer_code: "E1".into(),
            status,
        }
    }

    /// Pension and unemployment paid 2015-01..2015-12 except 04..08 (a gap) and 10 (arrears).
    fn facts(benefits: Vec<Benefit>, registrations: Vec<Registration>) -> Facts {
        let mut contributions = Vec::new();
        for insurance in [Insurance::EnterprisePension, Insurance::Unemployment] {
            for month in m("2015-01").through(m("2015-12")) {
                let status = match month.month() {
                    4..=8 => continue,
                    10 => ContributionStatus::Arrears,
                    _ => ContributionStatus::Paid,
                };
                contributions.push(paid(insurance, &month.to_string(), status));
            }
        }
        let enrolment = |insurance| Enrolment {
            insurance,
            employer_code: "E1".into(),
            employer_name: "甲公司".into(),
            region_code: "110105".into(),
            started_on: day("2015-01-01"),
            ended_on: None,
            status: EnrolmentStatus::Active,
        };
        Facts {
            enrolments: vec![
                enrolment(Insurance::EnterprisePension),
                enrolment(Insurance::Unemployment),
            ],
            contributions,
            benefits,
            registrations,
            ..Facts::default()
        }
    }

    #[test]
    fn arrears_are_not_gaps_and_one_range_in_two_insurances_is_one_line() {
        let r = UnifiedRecord::assemble(Person::sample(), facts(vec![], vec![]));
        assert_eq!(r.insurances[0].gap_months, 5, "10 is arrears, not 断缴");
        assert_eq!(r.problems.len(), 2, "{:#?}", r.problems);
        let gap = &r.problems[0];
        assert_eq!(
            (gap.kind, gap.months, gap.insurances.len()),
            (ProblemKind::Gap, 5, 2)
        );
        assert_eq!(gap.wording_zh, "2015年4月—8月：养老、失业未缴费（共5个月）");
        assert_eq!(gap.advice, Advice::AskAboutBackPay);
        let arrears = &r.problems[1];
        assert_eq!(arrears.kind, ProblemKind::Arrears);
        assert_eq!(
            arrears.personal_owed,
            Fen(80_000),
            "two insurances' personal parts"
        );
        assert_eq!(
            arrears.wording_zh,
            "2015年10月：养老、失业单位未缴（欠缴，个人部分800.00元，单位部分1600.00元）"
        );
        assert_eq!(arrears.advice, Advice::ContactEmployer);
    }

    #[test]
    fn a_gap_while_drawing_unemployment_benefit_says_so_and_gives_no_back_pay_advice() {
        let benefit = Benefit {
            benefit: BenefitKind::UnemploymentBenefit,
            insurance: Some(Insurance::Unemployment),
            period: m("2015-05"),
            amount: Fen(180_000),
            paid_on: None,
        };
        let r = UnifiedRecord::assemble(Person::sample(), facts(vec![benefit], vec![]));
        assert_eq!(r.problems[0].cause, Some(GapCause::UnemploymentBenefit));
        assert_eq!(r.problems[0].advice, Advice::None);
        assert!(r.problems[0]
            .wording_zh
            .ends_with("此期间您领取失业保险金）"));
    }

    #[test]
    fn an_open_unemployment_registration_explains_a_gap() {
        let registration = Registration {
            kind: EmploymentKind::Unemployment,
            employer_code: String::new(),
            employer_name: String::new(),
            registered_on: day("2015-03-20"),
            ended_on: None,
        };
        let r = UnifiedRecord::assemble(Person::sample(), facts(vec![], vec![registration]));
        assert_eq!(
            r.problems[0].cause,
            Some(GapCause::UnemploymentRegistration)
        );
    }

    #[test]
    fn a_pensioner_gets_no_advice_at_all() {
        let pension = Benefit {
            benefit: BenefitKind::BasicPension,
            insurance: Some(Insurance::EnterprisePension),
            period: m("2020-01"),
            amount: Fen(400_000),
            paid_on: None,
        };
        let r = UnifiedRecord::assemble(Person::sample(), facts(vec![pension], vec![]));
        assert!(r.is_pensioner());
        assert!(r.problems.iter().all(|p| p.advice == Advice::None));
    }

    #[test]
    fn ranges_read_as_people_write_them() {
        assert_eq!(range_zh(m("2024-03"), m("2024-03")), "2024年3月");
        assert_eq!(range_zh(m("2023-11"), m("2024-02")), "2023年11月—2024年2月");
    }
}
