//! Due dates in working days: weekends and the configured public holidays do not count (the
//! make-up working Saturdays of the national calendar are not modelled: list them neither way).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

pub fn is_working_day(day: NaiveDate, holidays: &[NaiveDate]) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&day)
}

/// The date `n` working days after `from` (a case opened on Friday with n = 1 is due Monday).
pub fn add(from: NaiveDate, n: u32, holidays: &[NaiveDate]) -> NaiveDate {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if is_working_day(day, holidays) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekends_and_holidays_are_skipped() {
        // Friday 2026-09-25 + 5 working days = Friday 2026-10-02 without holidays…
        assert_eq!(add(d("2026-09-25"), 5, &[]), d("2026-10-02"));
        // …but with the National Day week off, Friday 2026-10-09.
        let golden_week: Vec<NaiveDate> = (1..=7).map(|n| d(&format!("2026-10-0{n}"))).collect();
        assert_eq!(add(d("2026-09-25"), 5, &golden_week), d("2026-10-09"));
        assert_eq!(
            add(d("2026-12-04"), 1, &[]),
            d("2026-12-07"),
            "Friday + 1 = Monday"
        );
        assert!(!is_working_day(d("2026-12-05"), &[]));
    }
}
