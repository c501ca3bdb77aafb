//! `pension_projection` of the record: the statutory retirement month, the minimum contribution
//! for that year and how far the person is from it (see retirement.rs for the decision's rules).

use super::record::{Contribution, Person};
use super::retirement::{possible_categories, retirement_age, RetirementAge};
use super::{Insurance, Month};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PensionProjection {
    Computed {
        /// Months paid or back-paid in a basic pension scheme; a month paid in two schemes
        /// counts once (城乡养老保险制度衔接暂行办法 §7).
        months_paid: u32,
        /// False for a woman whose category the persons export does not give: both answers.
        category_known: bool,
        answers: Vec<ProjectedAge>,
    },
    CannotCompute {
        reason: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectedAge {
    #[serde(flatten)]
    pub age: RetirementAge,
    /// What the kiosk may show, in the citizen's words.
    pub wording_zh: String,
}

/// The basic pension schemes whose months count toward the minimum.
fn counts_for_pension(insurance: Insurance) -> bool {
    matches!(
        insurance,
        Insurance::EnterprisePension | Insurance::InstitutionPension | Insurance::ResidentPension
    )
}

/// Distinct months paid or back-paid in any basic pension scheme (arrears do not count until
/// paid); a resident-pension row covers its calendar year.
pub fn pension_months_paid(contributions: &[Contribution]) -> u32 {
    let mut months = BTreeSet::new();
    for c in contributions
        .iter()
        .filter(|c| counts_for_pension(c.insurance) && c.status.counts_as_paid())
    {
        match (
            c.insurance.is_annual(),
            Month::new(c.period.year(), 1),
            Month::new(c.period.year(), 12),
        ) {
            (true, Some(jan), Some(dec)) => months.extend(jan.through(dec)),
            _ => {
                months.insert(c.period);
            }
        }
    }
    months.len() as u32
}

/// "15 年 6 个月", "23 个月", "16 年".
pub fn years_and_months_zh(months: u32) -> String {
    match (months / 12, months % 12) {
        (0, m) => format!("{m} 个月"),
        (y, 0) => format!("{y} 年"),
        (y, m) => format!("{y} 年 {m} 个月"),
    }
}

fn wording(age: &RetirementAge, today: NaiveDate) -> String {
    let years = if age.age_months == 0 {
        format!("{} 岁", age.age_years)
    } else {
        format!("{} 岁 {} 个月", age.age_years, age.age_months)
    };
    let when = format!(
        "{} 年 {} 月",
        age.statutory_month.year(),
        age.statutory_month.month()
    );
    let reached = age.statutory_month <= Month::of_date(today);
    let minimum = years_and_months_zh(age.minimum_months);
    let rest = match (reached, age.months_still_needed) {
        (_, 0) => format!("最低缴费年限 {minimum}，您已缴满"),
        (true, n) => format!("最低缴费年限 {minimum}，您还差 {n} 个月，可延长缴费或一次性补缴"),
        (false, n) => format!("届时最低缴费年限 {minimum}，您还需缴费 {n} 个月"),
    };
    let verb = if reached { "已于" } else { "即" };
    format!("您的法定退休年龄为 {years}，{verb} {when}；{rest}")
}

pub fn project(
    person: &Person,
    contributions: &[Contribution],
    today: NaiveDate,
) -> PensionProjection {
    let cannot = |reason: String| PensionProjection::CannotCompute { reason };
    if person.birth_date > today {
        return cannot(format!(
            "cannot compute: the birth date {} is in the future",
            person.birth_date
        ));
    }
    let categories = match possible_categories(person.gender, person.retirement_category) {
        Ok(c) => c,
        Err(why) => return cannot(format!("cannot compute: {why}")),
    };
    let months_paid = pension_months_paid(contributions);
    let mut answers = Vec::new();
    for category in &categories {
        let Some(age) = retirement_age(*category, person.birth_date, months_paid) else {
            return cannot(
                "cannot compute: the retirement month is outside the supported years".into(),
            );
        };
        answers.push(ProjectedAge {
            wording_zh: wording(&age, today),
            age,
        });
    }
    PensionProjection::Computed {
        months_paid,
        category_known: categories.len() == 1,
        answers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::Person;
    use crate::domain::{CitizenId, ContributionStatus, Fen, Gender, RetirementCategory};

    fn man_born_1970() -> Person {
        Person {
            ssn: CitizenId::parse("440305197001150011").unwrap(),
            gender: Gender::Male,
            birth_date: NaiveDate::from_ymd_opt(1970, 1, 15).unwrap(),
            ..Person::sample()
        }
    }

    fn paid(insurance: Insurance, period: &str, status: ContributionStatus) -> Contribution {
        Contribution {
            insurance,
            period: Month::parse(period).unwrap(),
            base: Fen(0),
            employer_amount: Fen(0),
            personal_amount: Fen(0),
            paid_on: None,
            employer_code: String::new(),
            status,
        }
    }

    #[test]
    fn months_in_two_schemes_count_once_and_arrears_not_at_all() {
        use ContributionStatus::*;
        let rows = vec![
            paid(Insurance::EnterprisePension, "2019-01", Paid),
            paid(Insurance::EnterprisePension, "2019-02", BackPaid),
            paid(Insurance::EnterprisePension, "2019-03", Arrears),
            paid(Insurance::ResidentPension, "2019-06", Paid),
            paid(Insurance::Unemployment, "2018-01", Paid),
        ];
        // 2019 as a whole through the resident row; the enterprise months fall inside it.
        assert_eq!(pension_months_paid(&rows), 12);
    }

    #[test]
    fn the_kiosk_wording_names_the_age_month_and_what_is_missing() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let rows: Vec<Contribution> = Month::parse("2010-01")
            .unwrap()
            .through(Month::parse("2024-12").unwrap())
            .take(169)
            .map(|m| {
                paid(
                    Insurance::EnterprisePension,
                    &m.to_string(),
                    ContributionStatus::Paid,
                )
            })
            .collect();
        let PensionProjection::Computed { answers, .. } = project(&man_born_1970(), &rows, today)
        else {
            panic!("computed")
        };
        assert_eq!(
            answers[0].wording_zh,
            "您的法定退休年龄为 61 岁 4 个月，即 2031 年 5 月；届时最低缴费年限 16 年，您还需缴费 23 个月"
        );
    }

    #[test]
    fn a_woman_without_a_category_gets_both_answers() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let p = project(&Person::sample(), &[], today);
        let PensionProjection::Computed {
            category_known,
            answers,
            ..
        } = p
        else {
            panic!("computed")
        };
        assert!(!category_known);
        assert_eq!(answers.len(), 2);
    }

    #[test]
    fn contradictory_data_is_not_computed() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut man = man_born_1970();
        man.retirement_category = Some(RetirementCategory::Female_50);
        let p = project(&man, &[], today);
        assert!(
            matches!(&p, PensionProjection::CannotCompute { reason } if reason.starts_with("cannot compute:")),
            "{p:?}"
        );
    }
}
