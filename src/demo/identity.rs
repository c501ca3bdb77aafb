//! Who a generated citizen is: ID number, gender and birth date.
//!
//! ID numbers must never collide, whatever the seed, for up to [`MAX_CITIZENS`] citizens. The
//! citizen's index is scrambled by an affine bijection onto `0..SPACE`, and the result is split
//! into a *slot* (region code and sequence number) and a *day offset* inside a 256-day bucket of
//! birth dates. The seed then only chooses the gender (the parity of the sequence number) and
//! the bucket (the age). Two citizens with different slots differ in region or sequence; two
//! with the same slot differ in their day offset, hence in their birth date.

use super::calendar::{add_days, add_years, sub_years};
use super::places::{District, DISTRICTS, ORIGINS};
use crate::domain::{CitizenId, Gender};
use chrono::NaiveDate;
use rand::Rng;

/// The most citizens whose ID numbers are guaranteed distinct.
pub const MAX_CITIZENS: u32 = 1_000_000;

/// Sequence numbers per gender and per region and day: 001..=997 odd for men, 002..=998 even for
/// women.
const SEQUENCES: u32 = 499;
const SLOTS: u32 = ORIGINS.len() as u32 * SEQUENCES;
const BUCKET_DAYS: u32 = 256;
const SPACE: u64 = SLOTS as u64 * BUCKET_DAYS as u64;
/// Coprime with `SPACE` (= 2^9 · 5 · 499), which makes the scramble a bijection.
const SCRAMBLE: u64 = 611_953;
const SCRAMBLE_OFFSET: u64 = 90_527;

const _: () = assert!((MAX_CITIZENS as u64) <= SPACE);

/// Age bands of the adult population (years, both included) and their weights, shaped like
/// China's population pyramid.
const AGE_BANDS: [(u32, u32, u32); 7] = [
    (18, 24, 9),
    (25, 34, 17),
    (35, 44, 16),
    (45, 54, 19),
    (55, 64, 18),
    (65, 74, 13),
    (75, 85, 8),
];

pub(super) struct Identity {
    pub id: CitizenId,
    pub gender: Gender,
    pub birth: NaiveDate,
    /// Where the ID number was issued.
    pub origin: &'static District,
}

/// Draws the identity of citizen `index` (not the showcase): these are the first draws from
/// its generator, so `citizen_ids` need not generate anything else.
pub(super) fn draw<R: Rng>(rng: &mut R, index: u32, today: NaiveDate) -> Identity {
    let gender = if rng.gen_bool(0.5) {
        Gender::Male
    } else {
        Gender::Female
    };
    let scrambled = (u64::from(index) * SCRAMBLE + SCRAMBLE_OFFSET) % SPACE;
    let slot = (scrambled % u64::from(SLOTS)) as u32;
    let day_offset = scrambled / u64::from(SLOTS);
    let origin = &DISTRICTS[ORIGINS[(slot % ORIGINS.len() as u32) as usize]];
    let sequence = 2 * (slot / ORIGINS.len() as u32) + if gender == Gender::Male { 1 } else { 2 };

    // Oldest possible birth date is the day after the 86th birthday; youngest the 18th birthday.
    let oldest = add_days(sub_years(today, 86), 1);
    let youngest = sub_years(today, 18);
    let buckets = ((youngest - oldest).num_days() as u64 + 1) / u64::from(BUCKET_DAYS);
    let (from_age, to_age) = pick_band(rng);
    let band_oldest = add_days(sub_years(today, to_age + 1), 1).max(oldest);
    let band_youngest = sub_years(today, from_age).min(youngest);
    let day = rng.gen_range(0..=(band_youngest - band_oldest).num_days()) as u64
        + (band_oldest - oldest).num_days() as u64;
    let bucket = (day / u64::from(BUCKET_DAYS)).min(buckets - 1);
    let birth = add_days(oldest, bucket * u64::from(BUCKET_DAYS) + day_offset);

    let prefix = format!("{}{}{sequence:03}", origin.code, birth.format("%Y%m%d"));
    let id = CitizenId::with_check_character(&prefix)
        .expect("a region code, a real date and a sequence number form a valid ID prefix");
    Identity {
        id,
        gender,
        birth,
        origin,
    }
}

fn pick_band<R: Rng>(rng: &mut R) -> (u32, u32) {
    let total: u32 = AGE_BANDS.iter().map(|b| b.2).sum();
    let mut pick = rng.gen_range(0..total);
    for (from, to, weight) in AGE_BANDS {
        if pick < weight {
            return (from, to);
        }
        pick -= weight;
    }
    unreachable!("pick is below the total weight")
}

/// Age in whole years on `day`.
pub(super) fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    (0..)
        .take_while(|years| add_years(birth, years + 1) <= day)
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }

    #[test]
    fn the_scramble_is_a_bijection_and_offsets_fit_a_bucket() {
        assert_eq!(gcd(SCRAMBLE, SPACE), 1);
        assert!(SPACE / u64::from(SLOTS) <= u64::from(BUCKET_DAYS));
        let codes: std::collections::HashSet<_> =
            ORIGINS.iter().map(|o| DISTRICTS[*o].code).collect();
        assert_eq!(codes.len(), ORIGINS.len());
    }

    #[test]
    fn age_counts_whole_years() {
        let birth = NaiveDate::from_ymd_opt(2000, 2, 29).unwrap();
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2018, 2, 27).unwrap()),
            17
        );
        assert_eq!(
            age_on(birth, NaiveDate::from_ymd_opt(2018, 2, 28).unwrap()),
            18
        );
    }
}
