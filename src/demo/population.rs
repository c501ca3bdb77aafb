//! A citizen's life, drawn at random: identity, address, cards, and either a career of jobs
//! (with gaps, arrears, unemployment and retirement) or membership of the resident pension
//! scheme. Only decisions are drawn here; `ledger.rs` turns them into rows by fixed rules.

use super::calendar::{add_days, add_years, day_in, index_of, last_day, month_index, sub_days};
use super::career::career;
use super::employers::Employer;
use super::identity::{self, age_on, Identity};
use super::places::{District, Kind, DISTRICTS, VILLAGES};
use super::wages::RESIDENT_GRADES;
use super::{names, showcase, DemoOptions};
use crate::domain::CardStatus;
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
