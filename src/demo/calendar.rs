//! Date and month helpers. Careers are planned on a month index (months since January of year 0)
//! because contributions, benefits and gaps are all counted in whole months.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Day of the following month on which a month's contribution is collected.
pub(super) const CONTRIBUTION_DAY: u32 = 15;
/// Day of the month on which pensions are paid out.
pub(super) const PENSION_DAY: u32 = 10;
/// Day of the month on which unemployment benefit is paid out.
pub(super) const UNEMPLOYMENT_BENEFIT_DAY: u32 = 20;

pub(super) fn month_index(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

pub(super) fn year_of(month: i32) -> i32 {
    month.div_euclid(12)
}

pub(super) fn month_of_year(month: i32) -> u32 {
    month.rem_euclid(12) as u32 + 1
}

pub(super) fn index_of(year: i32, month: u32) -> i32 {
    year * 12 + month as i32 - 1
}

/// Day `day` of a month; days past the 28th are pulled back so that every month has them.
pub(super) fn day_in(month: i32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year_of(month), month_of_year(month), day.clamp(1, 28))
        .expect("days 1 to 28 exist in every month of chrono's range")
}

pub(super) fn last_day(month: i32) -> NaiveDate {
    day_in(month + 1, 1)
        .pred_opt()
        .expect("the day before a first of month exists")
}

/// The same day `years` later; 29 February becomes 28 February in common years.
pub(super) fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_add_months(Months::new(12 * years))
        .expect("demo dates stay far inside chrono's range")
}

pub(super) fn sub_years(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(12 * years))
        .expect("demo dates stay far inside chrono's range")
}

pub(super) fn sub_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .expect("demo dates stay far inside chrono's range")
}

pub(super) fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date + Days::new(days)
}

pub(super) fn sub_days(date: NaiveDate, days: u64) -> NaiveDate {
    date - Days::new(days)
}

/// `YYYY-MM`, as the importer expects months.
pub(super) fn month_text(month: i32) -> String {
    format!("{:04}-{:02}", year_of(month), month_of_year(month))
}

/// The latest month whose contribution has been collected by `today`: a month is collected on
/// the 15th of the next one, so the current month is never due and the previous one only from
/// the 15th on.
pub(super) fn last_collected_month(today: NaiveDate) -> i32 {
    let current = month_index(today);
    if today.day() >= CONTRIBUTION_DAY {
        current - 1
    } else {
        current - 2
    }
}

/// The latest month whose benefit, paid on `pay_day` of the month itself, has gone out by `today`.
pub(super) fn last_paid_benefit_month(today: NaiveDate, pay_day: u32) -> i32 {
    let current = month_index(today);
    if today.day() >= pay_day {
        current
    } else {
        current - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn month_index_round_trips_across_years() {
        let m = month_index(date(2019, 12, 31));
        assert_eq!(month_text(m), "2019-12");
        assert_eq!(month_text(m + 1), "2020-01");
        assert_eq!(last_day(m + 2), date(2020, 2, 29));
        assert_eq!(index_of(2020, 1), m + 1);
    }

    #[test]
    fn a_month_is_collected_from_the_15th_of_the_next() {
        assert_eq!(
            month_text(last_collected_month(date(2025, 6, 14))),
            "2025-04"
        );
        assert_eq!(
            month_text(last_collected_month(date(2025, 6, 15))),
            "2025-05"
        );
        assert_eq!(
            month_text(last_paid_benefit_month(date(2025, 6, 9), PENSION_DAY)),
            "2025-05"
        );
        assert_eq!(
            month_text(last_paid_benefit_month(date(2025, 6, 10), PENSION_DAY)),
            "2025-06"
        );
    }
}
