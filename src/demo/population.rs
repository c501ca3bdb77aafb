//! A citizen's life, drawn at random: identity, address, cards, and either a career of jobs
//! (with gaps, arrears, unemployment and retirement) or membership of the resident pension
//! scheme. Only decisions are drawn here; `ledger.rs` turns them into rows by fixed rules.

use super::calendar::{
    add_days, add_years, day_in, index_of, last_collected_month, last_day, month_index, sub_days,
    sub_months, CONTRIBUTION_DAY,
};
use super::employers::{Employer, EMPLOYERS};
use super::identity::{self, age_on, Identity};
use super::ledger::available_from;
use super::places::{District, Kind, CITY_COUNT, CITY_WAGE_PM, DISTRICTS, VILLAGES};
use super::wages::RESIDENT_GRADES;
use super::{names, showcase, DemoOptions};
use crate::domain::{CardStatus, Gender, Insurance};
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Cards per citizen are capped so that card numbers, built from the citizen's index and the
/// card's ordinal, stay unique.
pub(super) const MAX_CARDS: usize = 8;

/// Highest pay, per mille of the city's average wage: a little under the 300 % ceiling of the
/// contribution base, which only a few reach.
pub(super) const MAX_WAGE_PM: i64 = 2400;

pub(super) struct Citizen {
    pub index: u32,
    pub who: Identity,
    pub name: String,
    pub ethnicity: &'static str,
    /// Where the person lives and is insured: the region of persons.csv and of the cards.
    pub home: &'static District,
    pub phone: Option<String>,
    pub address: String,
    pub cards: Vec<CardPlan>,
    pub career: Option<Career>,
    pub resident: Option<ResidentPension>,
}

pub(super) struct CardPlan {
    pub issued: NaiveDate,
    pub spec: &'static str,
    pub status: CardStatus,
    pub district: &'static District,
    /// The chip serial, last 16 hex digits of the card ID code.
    pub chip: u64,
}

pub(super) struct Career {
    pub jobs: Vec<Job>,
    pub spells: Vec<Spell>,
    pub retired_on: Option<NaiveDate>,
    /// Monthly pension in `today`'s year, fen; earlier years are derived from it.
    pub pension_now: i64,
    /// Pay rise per year of service, per mille of the city's average wage.
    pub raise_pm: i64,
}

pub(super) struct Job {
    pub employer: &'static Employer,
    pub hired: NaiveDate,
    /// `None` while the job lasts.
    pub left: Option<NaiveDate>,
    /// Pay when hired, per mille of the city's average wage.
    pub wage_pm: i64,
    pub arrears: Vec<Arrears>,
}

/// Months the employer did not pay for, all insurances at once.
pub(super) struct Arrears {
    pub first: i32,
    pub last: i32,
    pub back_paid_on: Option<NaiveDate>,
}

/// A registered spell of unemployment, with benefit for its first months.
pub(super) struct Spell {
    pub registered: NaiveDate,
    pub ended: Option<NaiveDate>,
    pub benefit_first: i32,
    pub benefit_months: u32,
    pub city: usize,
}

pub(super) struct ResidentPension {
    pub district: &'static District,
    /// `None` for those already 60 when the scheme reached the county: they draw without paying.
    pub joined: Option<NaiveDate>,
    /// Yearly payments: day paid, grade and government subsidy (yuan).
    pub payments: Vec<(NaiveDate, i64, i64)>,
    /// Last day of the month of the 60th birthday, when paying stops.
    pub turns_60: NaiveDate,
    pub pension_from: i32,
    pub top_up: i64,
}

/// Citizen `index`'s own generator: a ChaCha stream per citizen, so that a citizen does not
/// depend on how many others are generated, nor on the order.
pub(super) fn rng_for(seed: u64, index: u32) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::from(index));
    rng
}

pub(super) fn identity_of(opts: &DemoOptions, index: u32) -> Identity {
    if index == 0 {
        showcase::identity()
    } else {
        identity::draw(&mut rng_for(opts.seed, index), index, opts.today)
    }
}

pub(super) fn citizen(opts: &DemoOptions, index: u32) -> Citizen {
    let today = opts.today;
    if index == 0 {
        return showcase::citizen();
    }
    let mut rng = rng_for(opts.seed, index);
    let who = identity::draw(&mut rng, index, today);
    let name = names::full_name(&mut rng, who.gender, who.birth.year());
    let ethnicity = names::ethnicity(&mut rng);
    let (home, career, pension) = match who.origin.kind {
        // Self-employed and non-working city people are in the resident scheme, like farmers.
        Kind::Urban { .. } if rng.gen_bool(0.22) => {
            (who.origin, None, resident(&mut rng, &who, today))
        }
        Kind::County { .. } if rng.gen_bool(0.6) => {
            (who.origin, None, resident(&mut rng, &who, today))
        }
        Kind::Urban { city } => {
            let public = rng.gen_bool(0.12);
            let career = career(&mut rng, &who, today, city, public, false);
            (who.origin, career, None)
        }
        Kind::County { destinations } => {
            let city = destinations[rng.gen_range(0..destinations.len())];
            let public = rng.gen_bool(0.03);
            let career = career(&mut rng, &who, today, city, public, true);
            // A migrant worker lives and is insured where the first job took them.
            let home = career
                .as_ref()
                .and_then(|c| c.jobs.first())
                .map_or(who.origin, |job| &DISTRICTS[job.employer.district]);
            (home, career, None)
        }
    };
    // People never insured at work are in the resident scheme where they are registered.
    let resident = match (&career, pension) {
        (None, None) => resident(&mut rng, &who, today),
        (_, pension) => pension,
    };
    let phone = phone(&mut rng, &who, today);
    let address = address(&mut rng, home);
    let cards = cards(&mut rng, &who, today, home);
    Citizen {
        index,
        who,
        name,
        ethnicity,
        home,
        phone,
        address,
        cards,
        career,
        resident,
    }
}

/// Retirement is at the end of the month of the 60th (men) or 55th (women) birthday.
fn retirement_day(who: &Identity) -> NaiveDate {
    let age = if who.gender == Gender::Male { 60 } else { 55 };
    last_day(month_index(add_years(who.birth, age)))
}

fn career(
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

fn resident(rng: &mut ChaCha8Rng, who: &Identity, today: NaiveDate) -> Option<ResidentPension> {
    let (pilot_year, pilot_month) = who.origin.resident.pilot;
    let pilot_day = day_in(index_of(pilot_year, pilot_month), 1);
    if pilot_day > today {
        return None;
    }
    let turns_60 = last_day(month_index(add_years(who.birth, 60)));
    let joined = add_days(pilot_day, rng.gen_range(0..=180))
        .max(add_years(who.birth, rng.gen_range(18..=30)));
    let joined = (joined < turns_60 && joined <= today).then_some(joined);
    if joined.is_none() && turns_60 > today {
        return None;
    }
    let pay_month = rng.gen_range(3..=9);
    let pay_day = rng.gen_range(5..=28);
    let mut grade = match rng.gen_range(0..100) {
        0..=39 => 0,
        40..=64 => 1,
        65..=76 => 2,
        77..=88 => 3,
        89..=96 => 4,
        _ => 5,
    };
    let mut payments = Vec::new();
    if let Some(joined) = joined {
        for year in joined.year()..=today.year() {
            let paid_on = day_in(index_of(year, pay_month), pay_day);
            if paid_on < joined || paid_on >= turns_60 || paid_on > today {
                continue;
            }
            if grade + 1 < RESIDENT_GRADES.len() && rng.gen_bool(0.08) {
                grade += 1;
            }
            // Paying is voluntary: some years are skipped.
            if rng.gen_bool(0.85) {
                let (amount, subsidy) = RESIDENT_GRADES[grade];
                payments.push((paid_on, amount, subsidy));
            }
        }
    }
    let pension_from = (month_index(turns_60) + 1).max(month_index(pilot_day));
    let top_up = who.origin.resident.top_up;
    Some(ResidentPension {
        district: who.origin,
        joined,
        payments,
        turns_60,
        pension_from,
        top_up,
    })
}

fn phone(rng: &mut ChaCha8Rng, who: &Identity, today: NaiveDate) -> Option<String> {
    const PREFIXES: [&str; 16] = [
        "130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "158", "177", "186",
        "187", "188", "199",
    ];
    let has_phone = if age_on(who.birth, today) >= 75 {
        0.6
    } else {
        0.96
    };
    if !rng.gen_bool(has_phone) {
        return None;
    }
    let prefix = PREFIXES[rng.gen_range(0..PREFIXES.len())];
    Some(format!("{prefix}{:08}", rng.gen_range(0..100_000_000)))
}

fn address(rng: &mut ChaCha8Rng, home: &District) -> String {
    let place = home.places[rng.gen_range(0..home.places.len())];
    let area = format!("{}{}{place}", home.prefix, home.name);
    match home.kind {
        Kind::Urban { .. } if rng.gen_bool(0.7) => format!(
            "{area}{}号院{}号楼{}单元{}{:02}",
            rng.gen_range(1..=300),
            rng.gen_range(1..=20),
            rng.gen_range(1..=6),
            rng.gen_range(1..=28),
            rng.gen_range(1..=4)
        ),
        Kind::Urban { .. } => format!(
            "{area}{}弄{}号{}{:02}室",
            rng.gen_range(1..=1500),
            rng.gen_range(1..=40),
            rng.gen_range(1..=18),
            rng.gen_range(1..=4)
        ),
        Kind::County { .. } => format!(
            "{area}{}{}组{}号",
            VILLAGES[rng.gen_range(0..VILLAGES.len())],
            rng.gen_range(1..=12),
            rng.gen_range(1..=80)
        ),
    }
}

/// Card generation by issue year: first generation until 2010, second from 2011 (first-generation
/// stock still used up until 2013), third after 2020.
fn spec_for(rng: &mut ChaCha8Rng, issued: NaiveDate) -> &'static str {
    match issued.year() {
        ..=2010 => "1.00",
        2011..=2013 if rng.gen_bool(0.3) => "1.00",
        2011..=2020 => "2.00",
        _ => "3.00",
    }
}

/// The cards a person has held: renewed before expiry, swapped early for a second-generation
/// card, now and then lost and replaced.
fn cards(
    rng: &mut ChaCha8Rng,
    who: &Identity,
    today: NaiveDate,
    home: &'static District,
) -> Vec<CardPlan> {
    let launch = day_in(
        index_of(2000, 1) + rng.gen_range(0..=120),
        rng.gen_range(1..=28),
    );
    let mut issued = add_days(
        launch.max(add_years(who.birth, 16)),
        rng.gen_range(0..=1200),
    );
    if issued > today {
        issued = sub_days(today, rng.gen_range(0..=180));
    }
    let mut cards = Vec::new();
    loop {
        let spec = spec_for(rng, issued);
        let chip = rng.gen();
        // The next card's issue day and this card's final status, earliest event first.
        let mut next: Option<(NaiveDate, CardStatus)> = None;
        let mut consider = |day: NaiveDate, status: CardStatus| {
            if day > issued && day <= today && next.is_none_or(|(d, _)| day < d) {
                next = Some((day, status));
            }
        };
        consider(
            sub_days(add_years(issued, 10), rng.gen_range(0..=90)),
            CardStatus::Cancelled,
        );
        if spec == "1.00" && rng.gen_bool(0.6) {
            let swap = day_in(
                index_of(2012, 1) + rng.gen_range(0..60),
                rng.gen_range(1..=28),
            );
            consider(swap, CardStatus::Cancelled);
        }
        let mut lost_since = None;
        if rng.gen_bool(0.05) {
            let lost = add_days(issued, rng.gen_range(30..=3000));
            let replaced = add_days(lost, rng.gen_range(5..=30));
            if replaced <= today {
                consider(replaced, CardStatus::Lost);
            } else if lost <= today {
                lost_since = Some(lost);
            }
        }
        let district = home;
        match next {
            Some((day, status))
                if cards.len() + 1 < MAX_CARDS && lost_since.is_none_or(|lost| day < lost) =>
            {
                cards.push(CardPlan {
                    issued,
                    spec,
                    status,
                    district,
                    chip,
                });
                issued = day;
            }
            _ => {
                let status = if lost_since.is_some() {
                    CardStatus::Lost
                } else if rng.gen_bool(0.02) {
                    CardStatus::TempLost
                } else {
                    CardStatus::Active
                };
                cards.push(CardPlan {
                    issued,
                    spec,
                    status,
                    district,
                    chip,
                });
                return cards;
            }
        }
    }
}
