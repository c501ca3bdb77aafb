//! The `[hall]` section of the configuration (config/default.toml says what each key does).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HallConfig {
    #[serde(deserialize_with = "time_zone")]
    pub time_zone: chrono_tz::Tz,
    pub windows: Vec<String>,
    pub ordering: Ordering,
    pub max_wait_minutes: u32,
    pub priority_age: u32,
    pub service_minutes: u32,
    pub recall_min_seconds: u32,
    pub no_show_after_recalls: u32,
    pub transfer_to: TransferPlace,
    pub consent_text: String,
    pub ticket_printer: String,
    pub voice: String,
    pub espeak: String,
    pub late_rating_hours: u32,
    pub follow_up_working_days: u32,
    pub holidays: Vec<NaiveDate>,
}

/// How the next waiting ticket is chosen (the point queue systems' users argue about most).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ordering {
    StrictPriority,
    PriorityWithLimit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferPlace {
    First,
    Last,
}

fn time_zone<'de, D: Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
    let name = String::deserialize(d)?;
    name.parse().map_err(|_| {
        serde::de::Error::custom(format!(
            "{name:?} is not an IANA time zone name (e.g. \"Asia/Shanghai\")"
        ))
    })
}

impl HallConfig {
    /// The hall's calendar day at `utc`: tickets count from 1 each local morning, whatever UTC
    /// says (a hall at UTC+8 starts its day at 16:00 UTC).
    pub fn hall_day(&self, utc: NaiveDateTime) -> NaiveDate {
        self.local(utc).date()
    }

    /// `utc` on the hall's wall clock.
    pub fn local(&self, utc: NaiveDateTime) -> NaiveDateTime {
        utc.and_utc().with_timezone(&self.time_zone).naive_local()
    }

    pub fn knows_window(&self, window: &str) -> bool {
        self.windows.iter().any(|w| w == window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> HallConfig {
        crate::config::Config::load(None).unwrap().hall
    }

    #[test]
    fn the_hall_day_turns_at_local_midnight_not_at_utc_midnight() {
        let c = config();
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(c.hall_day(at("2026-12-01 15:59:59")), day("2026-12-01"));
        assert_eq!(c.hall_day(at("2026-12-01 16:00:00")), day("2026-12-02"));
    }
}
