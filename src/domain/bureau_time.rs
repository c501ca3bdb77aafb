//! The bureau's time zone: every time people read (screens, certificates, the verification
//! page, exports) is in it, while the store keeps UTC. A bureau has one zone, so it is set once
//! at start from `[bureau] time_zone` (default Asia/Shanghai) and read everywhere; a process that
//! never sets it (a unit test) gets the default.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::OnceLock;

const DEFAULT: Tz = chrono_tz::Asia::Shanghai;
static ZONE: OnceLock<Tz> = OnceLock::new();

#[derive(Debug, thiserror::Error)]
#[error("\"{0}\" is not a time zone name of the IANA database (e.g. Asia/Shanghai, Asia/Urumqi)")]
pub struct UnknownZone(pub String);

/// Sets the bureau's zone; the first call wins (later ones, e.g. a second config load in the same
/// process, keep the first so that nothing read so far changes meaning).
pub fn set_zone(name: &str) -> Result<(), UnknownZone> {
    let zone: Tz = name.parse().map_err(|_| UnknownZone(name.to_string()))?;
    let _ = ZONE.set(zone);
    Ok(())
}

pub fn zone() -> Tz {
    *ZONE.get().unwrap_or(&DEFAULT)
}

/// A stored UTC time in the bureau's zone.
pub fn local(utc: NaiveDateTime) -> DateTime<Tz> {
    zone().from_utc_datetime(&utc)
}

/// Today's date in the bureau's zone (the month limit, serials and "not yet due" follow it).
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&zone()).date_naive()
}

/// "2026年12月2日 10:03", as people read a time on a Chinese page.
pub fn format_zh(utc: NaiveDateTime) -> String {
    local(utc).format("%Y年%-m月%-d日 %H:%M").to_string()
}

/// "2026-12-02 10:03", where a compact form fits better (tables, the certificate's 打印时间).
pub fn format_short(utc: NaiveDateTime) -> String {
    local(utc).format("%Y-%m-%d %H:%M").to_string()
}

/// The local calendar date of a stored UTC time.
pub fn date_of(utc: NaiveDateTime) -> NaiveDate {
    local(utc).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_evening_is_the_next_morning_in_beijing() {
        let utc = NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(18, 3, 5)
            .unwrap();
        assert_eq!(format_zh(utc), "2026年12月2日 02:03");
        assert_eq!(date_of(utc), NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    }

    #[test]
    fn an_unknown_zone_is_named() {
        let err = set_zone("Asia/Peking").unwrap_err();
        assert!(err.to_string().contains("Asia/Peking"));
    }
}
