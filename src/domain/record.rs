//! The unified citizen record: what every subsystem knows about one person, assembled into one
//! view with per-insurance totals, gap months (断缴) and arrears, and where each figure came from.
//!
//! Assembly is pure: the store loads the facts, [`UnifiedRecord::assemble`] computes the rest, so
//! the rules are unit-tested without a database.

use super::contribution_problems::{problems, ContributionProblem};
use super::month_range::missing_runs;
pub use super::month_range::{runs, MonthRange};
use super::pension_projection::{project, PensionProjection};
use super::unemployment::{assess, UnemploymentEntitlement, UnemploymentRules};
use super::{
    BenefitKind, CardStatus, CitizenId, ContributionStatus, EmploymentKind, EnrolmentStatus, Fen,
    Gender, Insurance, Month, RetirementCategory,
};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub ssn: CitizenId,
    pub name: String,
    pub gender: Gender,
    pub ethnicity: String,
    pub birth_date: NaiveDate,
    pub region_code: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// From the persons export's optional column; `None` when it does not say.
    pub retirement_category: Option<RetirementCategory>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub card_no: String,
    pub card_id_code: String,
    pub region_code: String,
    pub spec_version: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: CardStatus,
}

#[derive(Debug, Clone, Serialize)]
pub struct Enrolment {
    pub insurance: Insurance,
    pub employer_code: String,
    pub employer_name: String,
    pub region_code: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub status: EnrolmentStatus,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contribution {
    pub insurance: Insurance,
    pub period: Month,
    pub base: Fen,
    pub employer_amount: Fen,
    pub personal_amount: Fen,
    pub paid_on: Option<NaiveDate>,
    pub employer_code: String,
    pub status: ContributionStatus,
}

#[derive(Debug, Clone, Serialize)]
pub struct Benefit {
    pub benefit: BenefitKind,
    /// The paying scheme; `None` for rows of exports older than the `insurance` column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insurance: Option<Insurance>,
    pub period: Month,
    pub amount: Fen,
    pub paid_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Registration {
    pub kind: EmploymentKind,
    pub employer_code: String,
    pub employer_name: String,
    pub registered_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

/// A death as a source reported it (deaths.csv, issue 12).
#[derive(Debug, Clone, Serialize)]
pub struct Death {
    pub source: super::DeathSource,
    pub death_date: NaiveDate,
    pub reported_on: NaiveDate,
}

/// Everything the store holds about one person, as loaded; input of the assembly.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub cards: Vec<Card>,
    pub enrolments: Vec<Enrolment>,
    pub contributions: Vec<Contribution>,
    pub benefits: Vec<Benefit>,
    pub registrations: Vec<Registration>,
    pub deaths: Vec<Death>,
    /// Latest import time of each source that contributed a fact to this person.
    pub sources: BTreeMap<String, NaiveDateTime>,
    /// The day the entitlement and the projection are computed for; `None` leaves them out.
    pub assessed_on: Option<NaiveDate>,
    pub unemployment_rules: UnemploymentRules,
}

#[derive(Debug, Clone, Serialize)]
pub struct InsuranceSummary {
    pub insurance: Insurance,
    pub name_zh: &'static str,
    /// Status of the most recent enrolment.
    pub status: Option<EnrolmentStatus>,
    pub employer_code: Option<String>,
    pub employer_name: Option<String>,
    pub region_code: Option<String>,
    pub enrolled_since: Option<NaiveDate>,
    pub first_paid_month: Option<Month>,
    pub last_paid_month: Option<Month>,
    pub months_paid: u32,
    /// Months with no contribution row at all between the first paid month and the last one, or
    /// the end of the enrolment when that is later (断缴). Arrears months are not gaps: a
    /// contribution is due for them and the employer owes it (they are in `arrears`).
    pub gap_months: u32,
    pub gaps: Vec<MonthRange>,
    pub arrears_months: u32,
    pub arrears: Vec<MonthRange>,
    pub total_personal: Fen,
    pub total_employer: Fen,
}

#[derive(Debug, Clone, Serialize)]
pub struct BenefitSummary {
    pub benefit: BenefitKind,
    pub name_zh: &'static str,
    pub first_month: Month,
    pub last_month: Month,
    pub months: u32,
    pub total: Fen,
    pub payments: Vec<Benefit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceFreshness {
    pub source: String,
    pub latest_import: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnifiedRecord {
    pub person: Person,
    pub cards: Vec<Card>,
    pub insurances: Vec<InsuranceSummary>,
    pub benefits: Vec<BenefitSummary>,
    pub employment: Vec<Registration>,
    /// Death reports, earliest death first; none for the living.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deaths: Vec<Death>,
    pub sources: Vec<SourceFreshness>,
    /// 失业保险金 conditions, months due, drawn and left (issue 12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unemployment_entitlement: Option<UnemploymentEntitlement>,
    /// Statutory retirement month and minimum contribution under the 2024 decision (issue 12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pension_projection: Option<PensionProjection>,
    /// Gaps and arrears, one line per distinct problem (issue 11).
    pub problems: Vec<ContributionProblem>,
}

#[cfg(test)]
impl Person {
    /// The fixture pensioner of the unit tests (the same person as tests/fixtures/persons.csv).
    pub(crate) fn sample() -> Person {
        Person {
            ssn: CitizenId::parse("11010519491231002X").unwrap(),
            name: "王秀英".into(),
            gender: Gender::Female,
            ethnicity: "01".into(),
            birth_date: NaiveDate::from_ymd_opt(1949, 12, 31).unwrap(),
            region_code: "110105".into(),
            phone: None,
            address: None,
            retirement_category: None,
        }
    }
}

impl UnifiedRecord {
    pub fn assemble(person: Person, facts: Facts) -> UnifiedRecord {
        let Facts {
            mut cards,
            enrolments,
            contributions,
            benefits,
            mut registrations,
            mut deaths,
            sources,
            assessed_on,
            unemployment_rules,
        } = facts;
        deaths.sort_by_key(|d| d.death_date);
        // Neither answer means anything for someone reported dead: say so instead of a number.
        let died = deaths.first().map(|d| {
            format!(
                "cannot compute: reported dead on {} by {}",
                d.death_date,
                d.source.code()
            )
        });
        let unemployment_entitlement = assessed_on.map(|today| match &died {
            Some(reason) => UnemploymentEntitlement::CannotCompute {
                reason: reason.clone(),
            },
            None => assess(
                &person,
                &contributions,
                &benefits,
                &registrations,
                today,
                &unemployment_rules,
            ),
        });
        let pension_projection = assessed_on.map(|today| match &died {
            Some(reason) => PensionProjection::CannotCompute {
                reason: reason.clone(),
            },
            None => project(&person, &contributions, today),
        });
        cards.sort_by_key(|c| std::cmp::Reverse(c.issued_on));
        registrations.sort_by_key(|r| std::cmp::Reverse(r.registered_on));

        let mut kinds: Vec<Insurance> = enrolments
            .iter()
            .map(|e| e.insurance)
            .chain(contributions.iter().map(|c| c.insurance))
            .collect();
        kinds.sort();
        kinds.dedup();
        let insurances: Vec<InsuranceSummary> = kinds
            .into_iter()
            .map(|kind| summarise_insurance(kind, &enrolments, &contributions))
            .collect();
        let pensioner = draws_pension(&benefits) && deaths.is_empty();
        let problems = problems(
            &insurances,
            &contributions,
            &benefits,
            &registrations,
            pensioner,
        );

        UnifiedRecord {
            person,
            cards,
            insurances,
            benefits: summarise_benefits(benefits),
            employment: registrations,
            deaths,
            sources: sources
                .into_iter()
                .map(|(source, latest_import)| SourceFreshness {
                    source,
                    latest_import,
                })
                .collect(),
            unemployment_entitlement,
            pension_projection,
            problems,
        }
    }

    /// Whether the person draws a basic pension (and is not reported dead): such a person is
    /// retired, not "terminated", and gets no back-pay advice.
    pub fn is_pensioner(&self) -> bool {
        self.deaths.is_empty()
            && self
                .benefits
                .iter()
                .any(|b| b.benefit == BenefitKind::BasicPension)
    }

    /// The enrolment state as the citizen should read it: a pensioner's ended enrolment is
    /// "已退休（领取养老金）", not "终止参保".
    pub fn status_zh(&self, summary: &InsuranceSummary) -> Option<&'static str> {
        summary.status.map(|status| match status {
            EnrolmentStatus::Terminated if self.is_pensioner() => "已退休（领取养老金）",
            other => other.name_zh(),
        })
    }
}

fn draws_pension(benefits: &[Benefit]) -> bool {
    benefits
        .iter()
        .any(|b| b.benefit == BenefitKind::BasicPension)
}

fn summarise_insurance(
    kind: Insurance,
    enrolments: &[Enrolment],
    contributions: &[Contribution],
) -> InsuranceSummary {
    let latest = enrolments
        .iter()
        .filter(|e| e.insurance == kind)
        .max_by_key(|e| e.started_on);
    let earliest_start = enrolments
        .iter()
        .filter(|e| e.insurance == kind)
        .map(|e| e.started_on)
        .min();

    // One row per month is guaranteed by the store's key (ssn, insurance, period).
    let mut paid: Vec<Month> = Vec::new();
    let mut arrears: Vec<Month> = Vec::new();
    let (mut total_personal, mut total_employer) = (Fen(0), Fen(0));
    for c in contributions.iter().filter(|c| c.insurance == kind) {
        let covered = covered_months(kind, c.period);
        if c.status.counts_as_paid() {
            paid.extend(covered);
            total_personal = total_personal + c.personal_amount;
            total_employer = total_employer + c.employer_amount;
        } else {
            arrears.extend(covered);
        }
    }
    paid.sort();
    paid.dedup();
    arrears.sort();
    arrears.dedup();

    let first = paid.first().copied();
    let last = paid.last().copied();
    let gaps = match (first, last) {
        (Some(first), Some(last)) => {
            let ended = latest
                .and_then(|e| e.ended_on)
                .map(Month::of_date)
                .filter(|end| *end > last);
            // A month with an arrears row is owed, not missing: it is told apart, never twice.
            let mut with_a_row = paid.clone();
            with_a_row.extend(arrears.iter().copied());
            with_a_row.sort();
            missing_runs(first, ended.unwrap_or(last), &with_a_row)
        }
        _ => Vec::new(),
    };

    InsuranceSummary {
        insurance: kind,
        name_zh: kind.name_zh(),
        status: latest.map(|e| e.status),
        employer_code: latest.map(|e| e.employer_code.clone()),
        employer_name: latest.map(|e| e.employer_name.clone()),
        region_code: latest.map(|e| e.region_code.clone()),
        enrolled_since: earliest_start,
        first_paid_month: first,
        last_paid_month: last,
        months_paid: paid.len() as u32,
        gap_months: gaps.iter().map(|g| g.months).sum(),
        gaps,
        arrears_months: arrears.len() as u32,
        arrears: runs(&arrears),
        total_personal,
        total_employer,
    }
}

/// The months one contribution row pays for: its month, or for an annual insurance the whole
/// calendar year of that month.
fn covered_months(kind: Insurance, period: Month) -> Vec<Month> {
    match (
        kind.is_annual(),
        Month::new(period.year(), 1),
        Month::new(period.year(), 12),
    ) {
        (true, Some(jan), Some(dec)) => jan.through(dec).collect(),
        _ => vec![period],
    }
}

fn summarise_benefits(mut benefits: Vec<Benefit>) -> Vec<BenefitSummary> {
    benefits.sort_by_key(|b| (b.benefit, b.period));
    let mut out: Vec<BenefitSummary> = Vec::new();
    for b in benefits {
        match out.last_mut() {
            Some(s) if s.benefit == b.benefit => {
                s.last_month = b.period;
                s.months += 1;
                s.total = s.total + b.amount;
                s.payments.push(b);
            }
            _ => out.push(BenefitSummary {
                benefit: b.benefit,
                name_zh: b.benefit.name_zh(),
                first_month: b.period,
                last_month: b.period,
                months: 1,
                total: b.amount,
                payments: vec![b],
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn contribution(period: &str, status: ContributionStatus) -> Contribution {
        Contribution {
            insurance: Insurance::EnterprisePension,
            period: m(period),
            base: Fen(500_000),
            employer_amount: Fen(80_000),
            personal_amount: Fen(40_000),
            paid_on: None,
            employer_code: "E1".into(),
            status,
        }
    }

    fn enrolment(ended_on: Option<&str>) -> Enrolment {
        Enrolment {
            insurance: Insurance::EnterprisePension,
            employer_code: "E1".into(),
            employer_name: "甲公司".into(),
            region_code: "110105".into(),
            started_on: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
            ended_on: ended_on.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            status: EnrolmentStatus::Terminated,
        }
    }

    #[test]
    fn gaps_arrears_and_totals_are_counted_per_insurance() {
        use ContributionStatus::*;
        let facts = Facts {
            enrolments: vec![enrolment(Some("2019-08-15"))],
            contributions: vec![
                contribution("2019-01", Paid),
                contribution("2019-02", Paid),
                contribution("2019-03", Arrears),
                contribution("2019-05", BackPaid),
                contribution("2019-06", Paid),
            ],
            ..Facts::default()
        };
        let record = UnifiedRecord::assemble(Person::sample(), facts);
        let s = &record.insurances[0];
        assert_eq!(s.months_paid, 4);
        assert_eq!(
            (s.first_paid_month, s.last_paid_month),
            (Some(m("2019-01")), Some(m("2019-06")))
        );
        // 2019-04 is a gap, and so are 07-08 up to the enrolment's end; 2019-03 is arrears.
        assert_eq!(s.gap_months, 3);
        assert_eq!(
            s.gaps,
            vec![
                MonthRange {
                    from: m("2019-04"),
                    to: m("2019-04"),
                    months: 1
                },
                MonthRange {
                    from: m("2019-07"),
                    to: m("2019-08"),
                    months: 2
                },
            ]
        );
        assert_eq!(s.arrears_months, 1);
        assert_eq!(s.total_personal, Fen(160_000));
        assert_eq!(s.total_employer, Fen(320_000));
        assert_eq!(s.status, Some(EnrolmentStatus::Terminated));
    }

    #[test]
    fn an_annual_payment_covers_its_whole_year() {
        let mut first = contribution("2019-06", ContributionStatus::Paid);
        first.insurance = Insurance::ResidentPension;
        let mut third = contribution("2021-03", ContributionStatus::Paid);
        third.insurance = Insurance::ResidentPension;
        let facts = Facts {
            contributions: vec![first, third],
            ..Facts::default()
        };
        let s = &UnifiedRecord::assemble(Person::sample(), facts).insurances[0];
        assert_eq!(s.months_paid, 24);
        assert_eq!(
            (s.first_paid_month, s.last_paid_month),
            (Some(m("2019-01")), Some(m("2021-12")))
        );
        assert_eq!(
            s.gaps,
            vec![MonthRange {
                from: m("2020-01"),
                to: m("2020-12"),
                months: 12
            }]
        );
    }

    #[test]
    fn no_paid_month_means_no_gap() {
        let facts = Facts {
            contributions: vec![contribution("2020-01", ContributionStatus::Arrears)],
            ..Facts::default()
        };
        let s = &UnifiedRecord::assemble(Person::sample(), facts).insurances[0];
        assert_eq!((s.months_paid, s.gap_months, s.arrears_months), (0, 0, 1));
    }

    #[test]
    fn benefits_are_grouped_by_kind_in_month_order() {
        let pay = |kind, period: &str| Benefit {
            benefit: kind,
            insurance: None,
            period: m(period),
            amount: Fen(300_000),
            paid_on: None,
        };
        let facts = Facts {
            benefits: vec![
                pay(BenefitKind::BasicPension, "2020-02"),
                pay(BenefitKind::FuneralGrant, "2020-03"),
                pay(BenefitKind::BasicPension, "2020-01"),
            ],
            ..Facts::default()
        };
        let b = UnifiedRecord::assemble(Person::sample(), facts).benefits;
        assert_eq!(b.len(), 2);
        assert_eq!(
            (b[0].first_month, b[0].last_month, b[0].months),
            (m("2020-01"), m("2020-02"), 2)
        );
        assert_eq!(b[0].total, Fen(600_000));
    }

    #[test]
    fn someone_reported_dead_gets_no_entitlement_and_no_projection() {
        let facts = Facts {
            deaths: vec![Death {
                source: crate::domain::DeathSource::Health,
                death_date: NaiveDate::from_ymd_opt(2024, 3, 2).unwrap(),
                reported_on: NaiveDate::from_ymd_opt(2024, 3, 9).unwrap(),
            }],
            assessed_on: NaiveDate::from_ymd_opt(2026, 12, 1),
            ..Facts::default()
        };
        let r = UnifiedRecord::assemble(Person::sample(), facts);
        assert!(matches!(
            r.unemployment_entitlement,
            Some(UnemploymentEntitlement::CannotCompute { ref reason }) if reason.contains("2024-03-02")
        ));
        assert!(matches!(
            r.pension_projection,
            Some(PensionProjection::CannotCompute { .. })
        ));
    }

    #[test]
    fn a_living_person_gets_both_answers_and_no_assessment_without_a_day() {
        let facts = Facts {
            assessed_on: NaiveDate::from_ymd_opt(2026, 12, 1),
            ..Facts::default()
        };
        let r = UnifiedRecord::assemble(Person::sample(), facts);
        assert!(matches!(
            r.pension_projection,
            Some(PensionProjection::Computed { .. })
        ));
        let r = UnifiedRecord::assemble(Person::sample(), Facts::default());
        assert!(r.pension_projection.is_none() && r.unemployment_entitlement.is_none());
    }
}
