//! Who goes first: citizens of `priority_age` and over (by the birth date inside the ID
//! number, so no one has to say their age) and 绿色通道 tickets (disability, pregnancy, veterans:
//! the clerk or guide sets it; the kiosk offers it as a choice the citizen makes).

use crate::domain::CitizenId;
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priority {
    /// 0 normal; 1 priority.
    pub level: i32,
    pub reason: Option<&'static str>,
}

pub fn of(
    citizen: Option<&CitizenId>,
    green_channel: bool,
    today: NaiveDate,
    age: u32,
) -> Priority {
    if green_channel {
        return Priority {
            level: 1,
            reason: Some("绿色通道"),
        };
    }
    match citizen {
        Some(id) if years_between(id.birth_date(), today) >= age as i32 => Priority {
            level: 1,
            reason: Some("老年人优先"),
        },
        _ => Priority {
            level: 0,
            reason: None,
        },
    }
}

/// Whole years from `born` to `today` (a birthday today counts).
fn years_between(born: NaiveDate, today: NaiveDate) -> i32 {
    let mut years = today.year() - born.year();
    if (today.month(), today.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn seventy_counts_from_the_birthday_in_the_id_number() {
        // Born 1956-12-02.
        let id = CitizenId::with_check_character("11010119561202001").unwrap();
        assert_eq!(of(Some(&id), false, day("2026-12-01"), 70).level, 0);
        let p = of(Some(&id), false, day("2026-12-02"), 70);
        assert_eq!((p.level, p.reason), (1, Some("老年人优先")));
        assert_eq!(
            of(None, true, day("2026-12-01"), 70).reason,
            Some("绿色通道")
        );
        assert_eq!(of(None, false, day("2026-12-01"), 70).level, 0);
    }
}
