//! Money over time: average wages (which contribution bases follow), contribution rates, and the
//! yearly pension adjustments. Everything is integer arithmetic on yuan or fen, so the files are
//! the same on every machine.

use super::calendar::{index_of, month_of_year, year_of};
use crate::domain::Insurance;

/// National average yearly wage of urban non-private units (NBS), yuan, from 1993.
const AVERAGE_YEARLY_WAGE: [i64; 32] = [
    3_371, 4_538, 5_500, 6_210, 6_470, 7_479, 8_346, 9_371, 10_870, 12_422, 14_040, 16_024, 18_364,
    21_001, 24_932, 29_229, 32_736, 37_147, 42_452, 47_593, 52_388, 57_361, 63_241, 68_993, 76_121,
    84_744, 93_383, 100_512, 106_837, 114_029, 120_698, 124_110,
];
const FIRST_WAGE_YEAR: i32 = 1993;

/// Average monthly wage of `year`, yuan; later years than the table grow by 3 % a year.
pub(super) fn average_monthly_wage(year: i32) -> i64 {
    let last = FIRST_WAGE_YEAR + AVERAGE_YEARLY_WAGE.len() as i32 - 1;
    let yearly = if year <= last {
        AVERAGE_YEARLY_WAGE[(year.max(FIRST_WAGE_YEAR) - FIRST_WAGE_YEAR) as usize]
    } else {
        (last..year).fold(
            AVERAGE_YEARLY_WAGE[AVERAGE_YEARLY_WAGE.len() - 1],
            |w, _| w * 103 / 100,
        )
    };
    yearly / 12
}

/// Monthly contribution base, whole yuan, of someone paid `wage_pm` per mille of the city's
/// average wage. Bases are reset every July from the previous year's average, and bounded by
/// 60 % and 300 % of it as the rules require.
pub(super) fn contribution_base(city_wage_pm: i64, wage_pm: i64, month: i32) -> i64 {
    let base_year = year_of(base_year_start(month));
    let city_average = average_monthly_wage(base_year - 1) * city_wage_pm / 1000;
    (city_average * wage_pm / 1000).clamp(city_average * 60 / 100, city_average * 3)
}

/// The July that starts the base year (缴费年度) `month` belongs to.
pub(super) fn base_year_start(month: i32) -> i32 {
    let year = year_of(month);
    index_of(
        if month_of_year(month) >= 7 {
            year
        } else {
            year - 1
        },
        7,
    )
}

/// Employer and personal rates, in basis points of the base.
pub(super) fn rates(insurance: Insurance) -> (i64, i64) {
    match insurance {
        Insurance::EnterprisePension | Insurance::InstitutionPension => (1600, 800),
        Insurance::OccupationalAnnuity => (800, 400),
        Insurance::Unemployment => (50, 50),
        Insurance::WorkInjury => (40, 0),
        Insurance::ResidentPension => (0, 0),
    }
}

/// `fen * basis_points / 10000`, rounded half up to the fen.
pub(super) fn share(fen: i64, basis_points: i64) -> i64 {
    (fen * basis_points + 5_000) / 10_000
}

/// The yearly rise of basic pensions decided by the State Council, per mille.
fn pension_adjustment_pm(year: i32) -> i64 {
    match year {
        ..=2004 => 50,
        2005..=2015 => 100,
        2016 => 65,
        2017 => 55,
        2018..=2020 => 50,
        2021 => 45,
        2022 => 40,
        2023 => 38,
        2024 => 30,
        _ => 20,
    }
}

/// The monthly pension of `year`, fen, for a pensioner drawing `now_fen` in `now_year`: each
/// January back undoes one yearly adjustment.
pub(super) fn pension_in_year(now_fen: i64, now_year: i32, year: i32) -> i64 {
    ((year + 1)..=now_year).rev().fold(now_fen, |amount, y| {
        amount * 1000 / (1000 + pension_adjustment_pm(y))
    })
}

/// Monthly unemployment benefit, fen: a little under the local minimum wage.
pub(super) fn unemployment_benefit(city_wage_pm: i64, year: i32) -> i64 {
    let yuan = average_monthly_wage(year) * 19 / 100 * (1000 + city_wage_pm) / 2000;
    yuan * 100
}

/// The central minimum of the resident basic pension (城乡居民基础养老金), yuan per month.
pub(super) fn resident_basic_pension(year: i32) -> i64 {
    match year {
        ..=2013 => 55,
        2014..=2017 => 70,
        2018..=2019 => 88,
        2020 => 93,
        2021..=2022 => 98,
        2023 => 103,
        2024 => 123,
        _ => 143,
    }
}

/// Grades of the resident pension's yearly contribution, yuan, and the subsidy each attracts.
pub(super) const RESIDENT_GRADES: [(i64, i64); 6] = [
    (100, 30),
    (200, 35),
    (300, 40),
    (500, 60),
    (1000, 80),
    (2000, 100),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_rise_over_the_years_and_stay_in_bounds() {
        let early = contribution_base(1000, 1000, 1996 * 12);
        let late = contribution_base(1000, 1000, 2024 * 12 + 6);
        assert!(early < 600 && late > 8_000, "{early} {late}");
        assert_eq!(
            contribution_base(1000, 5000, 2024 * 12 + 6),
            average_monthly_wage(2023) * 3
        );
    }

    #[test]
    fn pensions_shrink_going_back_in_time() {
        assert_eq!(pension_in_year(400_000, 2025, 2025), 400_000);
        let in_2010 = pension_in_year(400_000, 2025, 2010);
        assert!((150_000..250_000).contains(&in_2010), "{in_2010}");
    }

    #[test]
    fn shares_round_half_up() {
        assert_eq!(share(512_300, 40), 2_049);
        assert_eq!(share(500_000, 1600), 80_000);
    }
}
