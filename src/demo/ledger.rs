//! Turns a citizen's drawn life into the rows of the six files, by the subsystems' rules: which
//! insurances an employment brings and since when they exist, when a month is collected, what a
//! benefit amounts to. Whatever the plan says, nothing dated after `today` is written, so every
//! row passes the importer's checks for any `today`.

use super::calendar::{
    add_years, day_in, index_of, last_collected_month, last_paid_benefit_month, month_index,
    year_of, CONTRIBUTION_DAY, PENSION_DAY, UNEMPLOYMENT_BENEFIT_DAY,
};
use super::places::CITY_WAGE_PM;
use super::population::{Career, Citizen, ResidentPension, MAX_CARDS, MAX_WAGE_PM};
use super::wages;
use crate::domain::{
    BenefitKind, CardStatus, ContributionStatus, DeathSource, EmploymentKind, EnrolmentStatus, Fen,
    Insurance,
};
use chrono::{Datelike, NaiveDate};

pub(super) struct CardRow {
    pub card_no: String,
    pub card_id_code: String,
    pub region_code: &'static str,
    pub spec_version: &'static str,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: CardStatus,
}

pub(super) struct EnrolmentRow {
    pub insurance: Insurance,
    pub employer_code: &'static str,
    pub employer_name: &'static str,
    pub region_code: &'static str,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub status: EnrolmentStatus,
}

pub(super) struct ContributionRow {
    pub insurance: Insurance,
    /// Month index, see `calendar.rs`.
    pub period: i32,
    pub base: Fen,
    pub employer_amount: Fen,
    pub personal_amount: Fen,
    pub paid_on: Option<NaiveDate>,
    pub employer_code: &'static str,
    pub status: ContributionStatus,
}

pub(super) struct BenefitRow {
    pub benefit: BenefitKind,
    /// The paying scheme (benefits.csv's `insurance`).
    pub insurance: Insurance,
    pub period: i32,
    pub amount: Fen,
    pub paid_on: Option<NaiveDate>,
}

pub(super) struct RegistrationRow {
    pub kind: EmploymentKind,
    pub employer_code: &'static str,
    pub employer_name: &'static str,
    pub registered_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

/// One citizen's rows besides the person row; reused from citizen to citizen.
#[derive(Default)]
pub(super) struct Rows {
    pub cards: Vec<CardRow>,
    pub enrolments: Vec<EnrolmentRow>,
    pub contributions: Vec<ContributionRow>,
    pub benefits: Vec<BenefitRow>,
    pub registrations: Vec<RegistrationRow>,
    pub deaths: Vec<DeathRow>,
}

pub(super) struct DeathRow {
    pub death_date: NaiveDate,
    pub source: DeathSource,
    pub reported_on: NaiveDate,
}

/// The day an insurance started to be collected nationally: the 1995 pension reform, the 1999
/// unemployment insurance regulations, the 2004 work-injury regulations, and the October 2014
/// reform that brought public employees into a contributory pension with an annuity.
pub(super) fn available_from(insurance: Insurance) -> NaiveDate {
    let (year, month) = match insurance {
        Insurance::EnterprisePension | Insurance::ResidentPension => (1995, 1),
        Insurance::Unemployment => (1999, 1),
        Insurance::WorkInjury => (2004, 1),
        Insurance::InstitutionPension | Insurance::OccupationalAnnuity => (2014, 10),
    };
    day_in(index_of(year, month), 1)
}

fn insurances(public: bool) -> &'static [Insurance] {
    if public {
        &[
            Insurance::InstitutionPension,
            Insurance::OccupationalAnnuity,
            Insurance::Unemployment,
            Insurance::WorkInjury,
        ]
    } else {
        &[
            Insurance::EnterprisePension,
            Insurance::Unemployment,
            Insurance::WorkInjury,
        ]
    }
}

pub(super) fn fill(citizen: &Citizen, today: NaiveDate, rows: &mut Rows) {
    rows.cards.clear();
    rows.enrolments.clear();
    rows.contributions.clear();
    rows.benefits.clear();
    rows.registrations.clear();
    rows.deaths.clear();
    cards(citizen, today, rows);
    if let Some(career) = &citizen.career {
        employment(career, today, rows);
    }
    if let Some(resident) = &citizen.resident {
        resident_pension(resident, today, rows);
    }
}

/// Nine characters, unique per card: the card centre's letter and eight digits that scramble
/// the citizen's index and the card's ordinal. The scramble is a four-round Feistel network on
/// two halves of four digits, a bijection of 0..10^8, so distinct cards never collide and
/// neighbours look unrelated.
fn card_number(letter: char, index: u32, ordinal: usize) -> String {
    let n = u64::from(index) * MAX_CARDS as u64 + ordinal as u64;
    let (mut left, mut right) = (n / 10_000, n % 10_000);
    for key in [0x9E37_79B9u64, 0x85EB_CA6B, 0xC2B2_AE35, 0x27D4_EB2F] {
        let mixed = (right ^ key).wrapping_mul(0x2545_F491_4F6C_DD1D);
        (left, right) = (right, (left + (mixed >> 40)) % 10_000);
    }
    format!("{letter}{:04}{:04}", left, right)
}

fn cards(citizen: &Citizen, today: NaiveDate, rows: &mut Rows) {
    for (ordinal, card) in citizen.cards.iter().enumerate() {
        if card.issued > today {
            continue;
        }
        let region_code = card.district.code;
        rows.cards.push(CardRow {
            card_no: card_number(card.district.card_letter, citizen.index, ordinal),
            // Region, "D156" (China), card-issuer version "000005", then the chip serial.
            card_id_code: format!("{region_code}D156000005{:016X}", card.chip),
            region_code,
            spec_version: card.spec,
            issued_on: card.issued,
            expires_on: add_years(card.issued, 10),
            status: card.status,
        });
    }
}

fn employment(career: &Career, today: NaiveDate, rows: &mut Rows) {
    let last_collected = last_collected_month(today);
    for job in &career.jobs {
        if job.hired > today {
            continue;
        }
        let employer = job.employer;
        let left = job.left.filter(|day| *day <= today);
        rows.registrations.push(RegistrationRow {
            kind: EmploymentKind::Employment,
            employer_code: employer.code,
            employer_name: employer.name,
            registered_on: job.hired,
            ended_on: left,
        });
        let last_month = left.map_or(last_collected, |day| month_index(day).min(last_collected));
        let behind_now = job
            .arrears
            .iter()
            .any(|a| a.last >= last_collected && a.back_paid_on.is_none_or(|day| day > today));
        let status = match (left, behind_now) {
            (Some(_), _) => EnrolmentStatus::Terminated,
            (None, true) => EnrolmentStatus::Suspended,
            (None, false) => EnrolmentStatus::Active,
        };
        let city_wage_pm = CITY_WAGE_PM[employer.city()];
        let hired_month = month_index(job.hired);
        for &insurance in insurances(employer.public) {
            let started_on = job.hired.max(available_from(insurance));
            if started_on > today || left.is_some_and(|day| day < started_on) {
                continue;
            }
            rows.enrolments.push(EnrolmentRow {
                insurance,
                employer_code: employer.code,
                employer_name: employer.name,
                region_code: employer.region_code(),
                started_on,
                ended_on: left,
                status,
            });
            let (employer_bp, personal_bp) = wages::rates(insurance);
            for period in month_index(started_on)..=last_month {
                // Pay, hence the base, is reviewed once a year in July.
                let review = wages::base_year_start(period).max(hired_month);
                let wage_pm = job.wage_pm + career.raise_pm * i64::from(review - hired_month) / 12;
                let base =
                    wages::contribution_base(city_wage_pm, wage_pm.min(MAX_WAGE_PM), period) * 100;
                let arrears = job
                    .arrears
                    .iter()
                    .find(|a| (a.first..=a.last).contains(&period));
                let (status, paid_on) =
                    match arrears.map(|a| a.back_paid_on.filter(|d| *d <= today)) {
                        None => (
                            ContributionStatus::Paid,
                            Some(day_in(period + 1, CONTRIBUTION_DAY)),
                        ),
                        Some(Some(day)) => (ContributionStatus::BackPaid, Some(day)),
                        Some(None) => (ContributionStatus::Arrears, None),
                    };
                rows.contributions.push(ContributionRow {
                    insurance,
                    period,
                    base: Fen(base),
                    employer_amount: Fen(wages::share(base, employer_bp)),
                    personal_amount: Fen(wages::share(base, personal_bp)),
                    paid_on,
                    employer_code: employer.code,
                    status,
                });
            }
        }
    }

    let last_benefit = last_paid_benefit_month(today, UNEMPLOYMENT_BENEFIT_DAY);
    for spell in &career.spells {
        if spell.registered > today {
            continue;
        }
        rows.registrations.push(RegistrationRow {
            kind: EmploymentKind::Unemployment,
            employer_code: "",
            employer_name: "",
            registered_on: spell.registered,
            ended_on: spell.ended.filter(|day| *day <= today),
        });
        let city_wage_pm = CITY_WAGE_PM[spell.city];
        let last = (spell.benefit_first + spell.benefit_months as i32 - 1).min(last_benefit);
        for period in spell.benefit_first..=last {
            rows.benefits.push(BenefitRow {
                benefit: BenefitKind::UnemploymentBenefit,
                insurance: Insurance::Unemployment,
                period,
                amount: Fen(wages::unemployment_benefit(city_wage_pm, year_of(period))),
                paid_on: Some(day_in(period, UNEMPLOYMENT_BENEFIT_DAY)),
            });
        }
    }

    if let Some(retired_on) = career.retired_on.filter(|day| *day <= today) {
        let scheme = match career.jobs.last() {
            Some(job) if job.employer.public => Insurance::InstitutionPension,
            _ => Insurance::EnterprisePension,
        };
        let mut year_amount = (i32::MIN, 0);
        for period in month_index(retired_on) + 1..=last_paid_benefit_month(today, PENSION_DAY) {
            let year = year_of(period);
            if year_amount.0 != year {
                year_amount = (
                    year,
                    wages::pension_in_year(career.pension_now, today.year(), year),
                );
            }
            rows.benefits.push(BenefitRow {
                benefit: BenefitKind::BasicPension,
                insurance: scheme,
                period,
                amount: Fen(year_amount.1),
                paid_on: Some(day_in(period, PENSION_DAY)),
            });
        }
    }
}

/// Resident pension: a yearly payment at the grade the person chose, matched by a government
/// subsidy (written as the employer amount, the payer besides the person), and from 60 a pension
/// of the basic amount plus the personal account divided by 139 months.
fn resident_pension(resident: &ResidentPension, today: NaiveDate, rows: &mut Rows) {
    if let Some(joined) = resident.joined.filter(|day| *day <= today) {
        let ended_on = Some(resident.turns_60).filter(|day| *day <= today);
        rows.enrolments.push(EnrolmentRow {
            insurance: Insurance::ResidentPension,
            employer_code: "",
            employer_name: "",
            region_code: resident.district.code,
            started_on: joined,
            ended_on,
            status: if ended_on.is_some() {
                EnrolmentStatus::Terminated
            } else {
                EnrolmentStatus::Active
            },
        });
    }
    let mut account = 0;
    for &(paid_on, grade, subsidy) in &resident.payments {
        if paid_on > today {
            continue;
        }
        account += (grade + subsidy) * 100;
        rows.contributions.push(ContributionRow {
            insurance: Insurance::ResidentPension,
            period: month_index(paid_on),
            base: Fen(grade * 100),
            employer_amount: Fen(subsidy * 100),
            personal_amount: Fen(grade * 100),
            paid_on: Some(paid_on),
            employer_code: "",
            status: ContributionStatus::Paid,
        });
    }
    for period in resident.pension_from..=last_paid_benefit_month(today, PENSION_DAY) {
        let basic = (wages::resident_basic_pension(year_of(period)) + resident.top_up) * 100;
        rows.benefits.push(BenefitRow {
            benefit: BenefitKind::BasicPension,
            insurance: Insurance::ResidentPension,
            period,
            amount: Fen(basic + account / 139),
            paid_on: Some(day_in(period, PENSION_DAY)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    #[test]
    fn card_numbers_are_nine_characters_and_never_repeat() {
        let indices: BTreeSet<u32> = (0..5_000)
            .chain((0..super::super::MAX_CITIZENS).step_by(97))
            .collect();
        let mut seen = HashSet::new();
        for index in indices {
            for ordinal in [0, 1, MAX_CARDS - 1] {
                let number = card_number('B', index, ordinal);
                assert_eq!(number.len(), 9);
                assert!(seen.insert(number[1..].to_string()), "{number} repeats");
            }
        }
    }
}
