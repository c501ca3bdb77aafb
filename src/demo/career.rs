//! A working life: jobs with their employers, insured or not, with arrears, unemployment spells
//! between jobs, and retirement. Drawn per citizen by `population.rs`.

use super::calendar::{
    add_days, add_years, day_in, last_collected_month, last_day, month_index, sub_months,
    CONTRIBUTION_DAY,
};
use super::employers::EMPLOYERS;
use super::identity::Identity;
use super::ledger::available_from;
use super::places::{CITY_COUNT, CITY_WAGE_PM};
use super::population::{Arrears, Career, Job, Spell, MAX_WAGE_PM};
use crate::domain::{Gender, Insurance};
use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Retirement is at the end of the month of the 60th (men) or 55th (women) birthday.
fn retirement_day(who: &Identity) -> NaiveDate {
    let age = if who.gender == Gender::Male { 60 } else { 55 };
    last_day(month_index(add_years(who.birth, age)))
}

pub(super) fn career(
    rng: &mut ChaCha8Rng,
    who: &Identity,
    today: NaiveDate,
    mut city: usize,
    public: bool,
    migrant: bool,
) -> Option<Career> {
    let retirement = retirement_day(who);
    let retired = retirement <= today;
    let start = add_days(
        add_years(who.birth, rng.gen_range(18..=24)),
        rng.gen_range(0..365),
    );
    let mut stop = if retired { retirement } else { today };
    let mut unemployed_now = false;
    if !retired && rng.gen_bool(0.07) {
        let left = sub_months(today, rng.gen_range(2..=20));
        if month_index(left) - month_index(start) >= 6 {
            stop = left;
            unemployed_now = true;
        }
    }
    if start > stop {
        return None;
    }
    let first = month_index(start);
    let span = month_index(stop) - first + 1;

    let mut count = job_count(rng, public);
    while count > 1 && span < 12 * count as i32 {
        count -= 1;
    }
    let mut gaps: Vec<i32> = (1..count)
        .map(|_| match rng.gen_range(0..100) {
            0..=24 => 0,
            25..=79 => rng.gen_range(1..=6),
            _ => rng.gen_range(7..=24),
        })
        .collect();
    let total_gap: i32 = gaps.iter().sum();
    if total_gap > span / 3 {
        gaps.iter_mut()
            .for_each(|g| *g = *g * (span / 3) / total_gap);
    }
    let working = span - gaps.iter().sum::<i32>();
    let weights: Vec<i32> = (0..count).map(|_| rng.gen_range(1..=10)).collect();
    let weight_sum: i32 = weights.iter().sum();
    let spare = working - 3 * count as i32;
    let mut durations: Vec<i32> = weights.iter().map(|w| 3 + spare * w / weight_sum).collect();
    let allotted: i32 = durations.iter().sum();
    if let Some(last) = durations.last_mut() {
        *last += working - allotted;
    }

    let raise_pm = rng.gen_range(5..=30);
    let mut wage_pm = rng.gen_range(600..=1100);
    let mut jobs: Vec<Job> = Vec::with_capacity(count);
    let mut spells = Vec::new();
    let mut cursor = first;
    let mut insured_months = 0u32;
    let mut service_months = 0;
    let mut previous = None;
    for (k, &duration) in durations.iter().enumerate() {
        let end = cursor + duration - 1;
        let is_last = k + 1 == count;
        let mut hired = if k == 0 {
            start
        } else {
            day_in(cursor, rng.gen_range(1..=28))
        };
        let left = if !is_last {
            Some(day_in(end, rng.gen_range(1..=28)))
        } else if retired || unemployed_now {
            Some(stop)
        } else {
            None
        };
        if let Some(left) = left {
            hired = hired.min(left);
        }
        hired = hired.min(today);
        if !migrant && k > 0 && rng.gen_bool(0.08) {
            city = rng.gen_range(0..CITY_COUNT);
        }
        let employer = pick_employer(rng, city, public, previous);
        previous = Some(employer);
        // An uninsured job leaves no trace in the subsystems: a gap in the record.
        if public || rng.gen_bool(coverage(hired.year(), migrant)) {
            let arrears = arrears(rng, cursor, end, today);
            let employer = &EMPLOYERS[employer];
            jobs.push(Job {
                employer,
                hired,
                left,
                wage_pm,
                arrears,
            });
            insured_months += covered_months(cursor, end, Insurance::Unemployment, today);
            service_months += duration;
        }
        wage_pm = (wage_pm + raise_pm * i64::from(duration) / 12 + rng.gen_range(-100..=200))
            .clamp(600, MAX_WAGE_PM);
        if let (false, Some(left)) = (is_last, left) {
            let gap = gaps[k];
            let next = end + 1 + gap;
            // Not everyone who loses a job registers; those who do get benefit for part of the gap.
            if gap >= 2 && rng.gen_bool(0.35) {
                let registered = add_days(left, rng.gen_range(1..=20));
                let benefit_first = month_index(registered) + 1;
                let benefit_months = entitlement(insured_months).min((next - benefit_first) as u32);
                let ended = Some(last_day(next - 1));
                spells.push(Spell {
                    registered,
                    ended,
                    benefit_first,
                    benefit_months,
                    city,
                });
            }
            cursor = next;
        }
    }
    if unemployed_now && rng.gen_bool(0.8) {
        let registered = add_days(stop, rng.gen_range(1..=30)).min(today);
        let benefit_first = month_index(registered) + 1;
        let benefit_months = entitlement(insured_months);
        spells.push(Spell {
            registered,
            ended: None,
            benefit_first,
            benefit_months,
            city,
        });
    }

    // Never insured at work: nothing in the employee subsystems (the caller may enrol the
    // person in the resident scheme instead).
    if jobs.is_empty() {
        return None;
    }
    let pension_now = if retired {
        // Insured service before 1995 counts as contribution years (视同缴费).
        let years = i64::from(service_months / 12);
        let mean_pm = jobs.iter().map(|j| j.wage_pm).sum::<i64>() / jobs.len() as i64;
        let yuan =
            (1000 + years * 50 + mean_pm + rng.gen_range(-200..=200)) * CITY_WAGE_PM[city] / 1000;
        yuan.clamp(2000, 6000) * 100 + rng.gen_range(0..100)
    } else {
        0
    };
    let retired_on = retired.then_some(retirement);
    Some(Career {
        jobs,
        spells,
        retired_on,
        pension_now,
        raise_pm,
    })
}

/// Chance that a job is insured, by the year of hiring: coverage of private employers grew
/// with enforcement, and reached migrant workers late (the 2011 Social Insurance Law).
fn coverage(year: i32, migrant: bool) -> f64 {
    match (migrant, year) {
        (false, ..=1999) => 0.65,
        (false, 2000..=2010) => 0.8,
        (false, _) => 0.93,
        (true, ..=2007) => 0.15,
        (true, 2008..=2014) => 0.45,
        (true, _) => 0.8,
    }
}

fn job_count(rng: &mut ChaCha8Rng, public: bool) -> usize {
    let roll = rng.gen_range(0..100);
    if public {
        return if roll < 70 { 1 } else { 2 };
    }
    match roll {
        0..=19 => 1,
        20..=44 => 2,
        45..=69 => 3,
        70..=86 => 4,
        _ => 5,
    }
}

fn pick_employer(
    rng: &mut ChaCha8Rng,
    city: usize,
    public: bool,
    previous: Option<usize>,
) -> usize {
    let candidates: Vec<usize> = (0..EMPLOYERS.len())
        .filter(|&e| {
            EMPLOYERS[e].city() == city && EMPLOYERS[e].public == public && Some(e) != previous
        })
        .collect();
    candidates[rng.gen_range(0..candidates.len())]
}

/// Months of `first..=last` in which `insurance` existed and whose contribution is collected.
fn covered_months(first: i32, last: i32, insurance: Insurance, today: NaiveDate) -> u32 {
    let from = first.max(month_index(available_from(insurance)));
    let to = last.min(last_collected_month(today));
    (to - from + 1).max(0) as u32
}

/// Months of unemployment benefit earned by months of unemployment insurance (失业保险条例 §17).
fn entitlement(insured_months: u32) -> u32 {
    match insured_months {
        0..=11 => 0,
        12..=59 => 12,
        60..=119 => 18,
        _ => 24,
    }
}

/// An employer's cash-flow trouble now and then: a run of unpaid months, often settled later.
fn arrears(rng: &mut ChaCha8Rng, first: i32, last: i32, today: NaiveDate) -> Vec<Arrears> {
    let from = first.max(month_index(available_from(Insurance::EnterprisePension)));
    let to = last.min(last_collected_month(today));
    let mut out = Vec::new();
    if to - from < 3 {
        return out;
    }
    if rng.gen_bool(0.15) {
        let length = rng.gen_range(1..=4);
        let start = rng.gen_range(from..=to - length + 1);
        let back_paid_on = back_pay(rng, start + length - 1, today, 0.6);
        out.push(Arrears {
            first: start,
            last: start + length - 1,
            back_paid_on,
        });
    }
    if rng.gen_bool(0.08) {
        let month = rng.gen_range(from..=to);
        if out
            .iter()
            .all(|a| month < a.first - 1 || month > a.last + 1)
        {
            let back_paid_on = back_pay(rng, month, today, 0.5);
            out.push(Arrears {
                first: month,
                last: month,
                back_paid_on,
            });
        }
    }
    out
}

fn back_pay(rng: &mut ChaCha8Rng, last: i32, today: NaiveDate, chance: f64) -> Option<NaiveDate> {
    if !rng.gen_bool(chance) {
        return None;
    }
    let day = day_in(last + 1 + rng.gen_range(2..=12), CONTRIBUTION_DAY);
    (day <= today).then_some(day)
}
