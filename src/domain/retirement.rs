//! The statutory retirement month and the minimum contribution under the 2024 NPCSC decision on
//! gradually raising the retirement age and the State Council measure (in force 2025-01-01).
//!
//! 第一条: from 2025 the age rises by one month every four birth months (men, women whose
//! original age was 55) or every two (women whose original age was 50), up to 63 / 58 / 55.
//! 第二条: the minimum contribution for a monthly pension is 180 months through 2029, then
//! 6 months more each year up to 240 from 2039, keyed by the calendar year of retirement.
//! 第三条: flexible early retirement up to 3 years before the statutory age, never before the
//! original age; flexible late retirement up to 3 years after it.
//!
//! Birth months are month indices (`year * 12 + month - 1`) because people born before 1950,
//! whom [`Month`] does not hold, have retirement months that it does.

use super::{Gender, Month, RetirementCategory};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// The decision's mapping for one category: the original age, the first birth month whose age
/// rises, how many birth months share each extra month, and the largest rise.
struct Schedule {
    base_years: i32,
    first_affected: (i32, u32),
    step: i32,
    max_delay: i32,
}

fn schedule(category: RetirementCategory) -> Schedule {
    match category {
        RetirementCategory::Male => Schedule {
            base_years: 60,
            first_affected: (1965, 1),
            step: 4,
            max_delay: 36,
        },
        RetirementCategory::Female_55 => Schedule {
            base_years: 55,
            first_affected: (1970, 1),
            step: 4,
            max_delay: 36,
        },
        RetirementCategory::Female_50 => Schedule {
            base_years: 50,
            first_affected: (1975, 1),
            step: 2,
            max_delay: 60,
        },
    }
}

fn index(year: i32, month: u32) -> i32 {
    year * 12 + month as i32 - 1
}

fn month_of(index: i32) -> Option<Month> {
    Month::new(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32)
}

/// Months added to the original age for someone born in `birth` (第一条).
pub fn delay_months(category: RetirementCategory, birth: NaiveDate) -> i32 {
    let s = schedule(category);
    let since = index(birth.year(), birth.month()) - index(s.first_affected.0, s.first_affected.1);
    if since < 0 {
        0
    } else {
        (since / s.step + 1).min(s.max_delay)
    }
}

/// The statutory retirement age in months and the month it is reached.
pub fn statutory(category: RetirementCategory, birth: NaiveDate) -> (i32, Option<Month>) {
    let age = schedule(category).base_years * 12 + delay_months(category, birth);
    (age, month_of(index(birth.year(), birth.month()) + age))
}

/// The minimum contribution months for a monthly pension when retiring in `year` (第二条).
pub fn minimum_contribution_months(year: i32) -> u32 {
    (180 + 6 * (year - 2029).clamp(0, 10)) as u32
}

/// The categories a person may be in: the stated one, or from gender (men), or both women's
/// categories when a woman's is not known (cadre 55 or worker 50 cannot be told from gender).
pub fn possible_categories(
    gender: Gender,
    stated: Option<RetirementCategory>,
) -> Result<Vec<RetirementCategory>, String> {
    match (gender, stated) {
        (Gender::Male, None | Some(RetirementCategory::Male)) => Ok(vec![RetirementCategory::Male]),
        (Gender::Male, Some(c)) => Err(format!(
            "the persons export gives a man the category {}",
            c.code()
        )),
        (Gender::Female, Some(RetirementCategory::Male)) => {
            Err("the persons export gives a woman the category male".into())
        }
        (Gender::Female, Some(c)) => Ok(vec![c]),
        (Gender::Female, None) => Ok(vec![
            RetirementCategory::Female_55,
            RetirementCategory::Female_50,
        ]),
    }
}

/// One category's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetirementAge {
    pub category: RetirementCategory,
    /// The statutory age as years and months.
    pub age_years: i32,
    pub age_months: i32,
    pub statutory_month: Month,
    /// Minimum contribution in the year of the statutory month.
    pub minimum_months: u32,
    pub months_still_needed: u32,
    /// 第三条: not before the original age, at most 3 years early; requires the minimum met.
    pub earliest_flexible: Month,
    pub latest_flexible: Month,
}

pub fn retirement_age(
    category: RetirementCategory,
    birth: NaiveDate,
    months_paid: u32,
) -> Option<RetirementAge> {
    let (age, statutory_month) = statutory(category, birth);
    let statutory_month = statutory_month?;
    let original = index(birth.year(), birth.month()) + schedule(category).base_years * 12;
    let statutory_index = index(statutory_month.year(), statutory_month.month());
    let minimum = minimum_contribution_months(statutory_month.year());
    Some(RetirementAge {
        category,
        age_years: age / 12,
        age_months: age % 12,
        statutory_month,
        minimum_months: minimum,
        months_still_needed: minimum.saturating_sub(months_paid),
        earliest_flexible: month_of((statutory_index - 36).max(original))?,
        latest_flexible: month_of(statutory_index + 36)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use RetirementCategory::*;

    fn born(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 15).unwrap()
    }

    fn at(category: RetirementCategory, y: i32, m: u32) -> (i32, String) {
        let (age, month) = statutory(category, born(y, m));
        (age, month.unwrap().to_string())
    }

    #[test]
    fn the_month_before_the_first_affected_birth_month_keeps_the_original_age() {
        assert_eq!(at(Male, 1964, 12), (720, "2024-12".into()));
        assert_eq!(at(Female_55, 1969, 12), (660, "2024-12".into()));
        assert_eq!(at(Female_50, 1974, 12), (600, "2024-12".into()));
    }

    #[test]
    fn the_first_affected_birth_month_of_each_category_waits_one_month() {
        assert_eq!(at(Male, 1965, 1), (721, "2025-02".into()));
        assert_eq!(at(Female_55, 1970, 1), (661, "2025-02".into()));
        assert_eq!(at(Female_50, 1975, 1), (601, "2025-02".into()));
    }

    #[test]
    fn each_step_of_birth_months_adds_one_month() {
        // Men: births 1965-01..04 share +1, 1965-05 gets +2.
        assert_eq!(delay_months(Male, born(1965, 4)), 1);
        assert_eq!(delay_months(Male, born(1965, 5)), 2);
        // Women of original age 50: every two birth months.
        assert_eq!(delay_months(Female_50, born(1975, 2)), 1);
        assert_eq!(delay_months(Female_50, born(1975, 3)), 2);
    }

    #[test]
    fn the_target_age_is_reached_and_then_held() {
        // Men: +36 from 1976-09 (140 months after 1965-01 ÷ 4 + 1); 1976-08 is one short.
        assert_eq!(delay_months(Male, born(1976, 8)), 35);
        assert_eq!(at(Male, 1976, 9), (756, "2039-09".into()));
        assert_eq!(delay_months(Male, born(1990, 1)), 36);
        assert_eq!(delay_months(Female_55, born(1981, 8)), 35);
        assert_eq!(at(Female_55, 1981, 9), (696, "2039-09".into()));
        // Women of 50: +60 from 1984-11 (118 ÷ 2 + 1).
        assert_eq!(delay_months(Female_50, born(1984, 10)), 59);
        assert_eq!(at(Female_50, 1984, 11), (660, "2039-11".into()));
        assert_eq!(delay_months(Female_50, born(1995, 1)), 60);
    }

    #[test]
    fn the_issue_example_is_sixty_one_years_four_months() {
        // Born 1970-01: +16 months → 61 years 4 months, reached 2031-05.
        assert_eq!(at(Male, 1970, 1), (736, "2031-05".into()));
    }

    #[test]
    fn the_minimum_contribution_rises_from_2030_to_240_in_2039() {
        assert_eq!(minimum_contribution_months(2025), 180);
        assert_eq!(minimum_contribution_months(2029), 180);
        assert_eq!(minimum_contribution_months(2030), 186);
        assert_eq!(minimum_contribution_months(2038), 234);
        assert_eq!(minimum_contribution_months(2039), 240);
        assert_eq!(minimum_contribution_months(2050), 240);
    }

    #[test]
    fn flexible_retirement_never_starts_before_the_original_age() {
        let r = retirement_age(Male, born(1970, 1), 100).unwrap();
        assert_eq!(r.earliest_flexible.to_string(), "2030-01");
        assert_eq!(r.latest_flexible.to_string(), "2034-05");
        assert_eq!((r.minimum_months, r.months_still_needed), (192, 92));
        let full = retirement_age(Male, born(1980, 1), 0).unwrap();
        assert_eq!(full.earliest_flexible.to_string(), "2040-01");
    }

    #[test]
    fn a_womans_unknown_category_gives_both_and_contradictions_are_named() {
        assert_eq!(
            possible_categories(Gender::Female, None).unwrap(),
            vec![Female_55, Female_50]
        );
        assert!(possible_categories(Gender::Male, Some(Female_50)).is_err());
        assert!(possible_categories(Gender::Female, Some(Male)).is_err());
    }
}
