//! What a certificate certifies, frozen at issue time: built once from the unified record and the
//! monthly contribution rows, stored as it is, signed, printed, and shown again on verification.
//! Later corrections of the store never change it.
//!
//! Plain types only (months as `YYYY-MM`, money as fen), no maps and no floats, so that its
//! canonical encoding ([`super::canonical`]) is stable.

use super::benefit::BenefitSection;
use super::kind::CertificateKind;
use crate::domain::record::{Contribution, UnifiedRecord};
use crate::domain::{Fen, Insurance, Month};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Title of the contribution certificate (个人参保缴费证明).
pub const TITLE: &str = "社会保险个人参保缴费证明";

/// What was asked for: insurances or benefit kinds (empty = every one on record) and an
/// optional month range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub insurances: Vec<String>,
    /// Benefit kinds of a benefit certificate. Left out of the JSON when empty, so contribution
    /// certificates keep the encoding (and digest) they were signed with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefits: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    pub title: String,
    /// Absent in the JSON for a contribution certificate (see [`CertificateKind::is_contribution`]).
    #[serde(default, skip_serializing_if = "CertificateKind::is_contribution")]
    pub kind: CertificateKind,
    pub office: String,
    pub name: String,
    pub gender: String,
    /// The ID number as printed: masked (`1101**********0019`).
    pub id_masked: String,
    pub selection: Selection,
    /// Insurances of a contribution certificate (empty in a benefit certificate).
    pub sections: Vec<Section>,
    /// Benefit kinds of a benefit certificate; left out of the JSON when empty, like `kind`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefits: Vec<BenefitSection>,
}

/// One insurance of the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub insurance: String,
    pub name_zh: String,
    pub status_zh: String,
    pub employer: String,
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    pub months_paid: u32,
    pub gap_months: u32,
    pub rows: Vec<Row>,
    pub total_employer_fen: i64,
    pub total_personal_fen: i64,
    /// Months owed by the employer (欠缴), told apart from 断缴 and from the paid totals.
    /// Left out of the JSON when 0, so certificates signed before keep their encoding.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub arrears_months: u32,
    #[serde(default, skip_serializing_if = "is_zero_fen")]
    pub arrears_employer_fen: i64,
    #[serde(default, skip_serializing_if = "is_zero_fen")]
    pub arrears_personal_fen: i64,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_zero_fen(n: &i64) -> bool {
    *n == 0
}

/// The status of a row standing for months with no contribution at all (断缴).
pub const GAP_STATUS_ZH: &str = "未缴费";

/// Consecutive months with the same employer, base and status, folded into one table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub from: String,
    pub to: String,
    pub months: u32,
    pub employer: String,
    pub base_fen: i64,
    pub employer_fen: i64,
    pub personal_fen: i64,
    pub status_zh: String,
}

impl Content {
    /// Builds the content of a certificate for `selection` from the record and the monthly rows
    /// loaded for that selection. Insurances of the selection the person has no record of are
    /// left out; an empty selection means every insurance on record.
    pub fn build(
        office: &str,
        record: &UnifiedRecord,
        contributions: &[Contribution],
        selection: Selection,
    ) -> Content {
        // Contribution rows carry employer codes only; names come from the enrolments and
        // employment registrations on record.
        let names: HashMap<&str, &str> =
            record
                .employment
                .iter()
                .filter(|r| !r.employer_code.is_empty())
                .map(|r| (r.employer_code.as_str(), r.employer_name.as_str()))
                .chain(record.insurances.iter().filter_map(|s| {
                    Some((s.employer_code.as_deref()?, s.employer_name.as_deref()?))
                }))
                .collect();
        let wanted = |kind: Insurance| {
            selection.insurances.is_empty() || selection.insurances.iter().any(|c| c == kind.code())
        };
        let sections = record
            .insurances
            .iter()
            .filter(|s| wanted(s.insurance))
            .map(|summary| {
                let rows: Vec<&Contribution> = contributions
                    .iter()
                    .filter(|c| c.insurance == summary.insurance)
                    .collect();
                let mut folded = fold(&rows, &names);
                folded.extend(gap_rows(&summary.gaps, &selection));
                folded.sort_by(|a, b| a.from.cmp(&b.from));
                let sum = |paid: bool| {
                    rows.iter()
                        .filter(|c| c.status.counts_as_paid() == paid)
                        .fold((Fen(0), Fen(0)), |(e, p), c| {
                            (e + c.employer_amount, p + c.personal_amount)
                        })
                };
                let (employer, personal) = sum(true);
                let (arrears_employer, arrears_personal) = sum(false);
                Section {
                    insurance: summary.insurance.code().to_string(),
                    name_zh: summary.name_zh.to_string(),
                    status_zh: record.status_zh(summary).unwrap_or("—").to_string(),
                    employer: summary.employer_name.clone().unwrap_or_default(),
                    first_month: summary.first_paid_month.map(|m| m.to_string()),
                    last_month: summary.last_paid_month.map(|m| m.to_string()),
                    months_paid: summary.months_paid,
                    gap_months: summary.gap_months,
                    arrears_months: rows.iter().filter(|c| !c.status.counts_as_paid()).count()
                        as u32,
                    rows: folded,
                    total_employer_fen: employer.0,
                    total_personal_fen: personal.0,
                    arrears_employer_fen: arrears_employer.0,
                    arrears_personal_fen: arrears_personal.0,
                }
            })
            .collect();
        Content {
            sections,
            ..Content::header(office, record, selection)
        }
    }

    /// The parts every kind shares (title, office, person), with no sections yet.
    pub fn header(office: &str, record: &UnifiedRecord, selection: Selection) -> Content {
        Content {
            title: TITLE.to_string(),
            kind: CertificateKind::Contribution,
            office: office.to_string(),
            name: record.person.name.clone(),
            gender: record.person.gender.name_zh().to_string(),
            id_masked: record.person.ssn.masked(),
            selection,
            sections: Vec::new(),
            benefits: Vec::new(),
        }
    }
}

/// Explicit rows for the gap months (断缴) inside the selected period, so a reader never has to
/// notice that months are missing between two rows (review C4).
fn gap_rows(gaps: &[crate::domain::record::MonthRange], selection: &Selection) -> Vec<Row> {
    let from = selection.from.as_deref().and_then(|m| Month::parse(m).ok());
    let to = selection.to.as_deref().and_then(|m| Month::parse(m).ok());
    gaps.iter()
        .filter_map(|g| {
            let start = from.map_or(g.from, |f| f.max(g.from));
            let end = to.map_or(g.to, |t| t.min(g.to));
            (start <= end).then(|| Row {
                from: start.to_string(),
                to: end.to_string(),
                months: start.count_to(end),
                employer: "—".to_string(),
                base_fen: 0,
                employer_fen: 0,
                personal_fen: 0,
                status_zh: GAP_STATUS_ZH.to_string(),
            })
        })
        .collect()
}

/// Folds month-ordered contributions of one insurance into rows; a row breaks where a month is
/// missing or the employer, base or status changes.
fn fold(rows: &[&Contribution], names: &HashMap<&str, &str>) -> Vec<Row> {
    let mut out: Vec<(Month, Row)> = Vec::new();
    for c in rows {
        let employer = names
            .get(c.employer_code.as_str())
            .map(|n| n.to_string())
            .unwrap_or_else(|| c.employer_code.clone());
        let status_zh = c.status.name_zh().to_string();
        match out.last_mut() {
            Some((last, row))
                if last.next() == c.period
                    && row.employer == employer
                    && row.base_fen == c.base.0
                    && row.status_zh == status_zh =>
            {
                *last = c.period;
                row.to = c.period.to_string();
                row.months += 1;
                row.employer_fen += c.employer_amount.0;
                row.personal_fen += c.personal_amount.0;
            }
            _ => out.push((
                c.period,
                Row {
                    from: c.period.to_string(),
                    to: c.period.to_string(),
                    months: 1,
                    employer,
                    base_fen: c.base.0,
                    employer_fen: c.employer_amount.0,
                    personal_fen: c.personal_amount.0,
                    status_zh,
                },
            )),
        }
    }
    out.into_iter().map(|(_, row)| row).collect()
}

/// Money as printed: yuan with two decimals.
pub fn yuan(fen: i64) -> String {
    Fen(fen).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::{Facts, Person};
    use crate::domain::ContributionStatus;

    fn c(period: &str, base: i64, status: ContributionStatus) -> Contribution {
        Contribution {
            insurance: Insurance::EnterprisePension,
            period: Month::parse(period).unwrap(),
            base: Fen(base),
            employer_amount: Fen(base / 5),
            personal_amount: Fen(base / 10),
            paid_on: None,
            employer_code: "E1".into(),
            status,
        }
    }

    #[test]
    fn months_fold_into_runs_until_base_status_or_continuity_changes() {
        use ContributionStatus::*;
        let rows = [
            c("2019-01", 500_000, Paid),
            c("2019-02", 500_000, Paid),
            c("2019-03", 500_000, Paid),
            c("2019-04", 600_000, Paid),
            c("2019-05", 600_000, Arrears),
            c("2019-07", 600_000, Paid),
        ];
        let person = Person::sample();
        let facts = Facts {
            contributions: rows.to_vec(),
            ..Facts::default()
        };
        let record = UnifiedRecord::assemble(person, facts);
        let content = Content::build("局", &record, &rows, Selection::default());
        let got: Vec<(&str, &str, u32)> = content.sections[0]
            .rows
            .iter()
            .map(|r| (r.from.as_str(), r.to.as_str(), r.months))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2019-01", "2019-03", 3),
                ("2019-04", "2019-04", 1),
                ("2019-05", "2019-05", 1),
                ("2019-06", "2019-06", 1),
                ("2019-07", "2019-07", 1)
            ]
        );
        // The month with no contribution is a row of its own, not a silent jump (C4).
        assert_eq!(content.sections[0].rows[3].status_zh, GAP_STATUS_ZH);
        assert_eq!(content.sections[0].gap_months, 1, "arrears are not 断缴");
        assert_eq!(content.sections[0].rows[0].employer_fen, 300_000);
        // Arrears are listed but not counted in the totals: they are told apart.
        assert_eq!(content.sections[0].total_personal_fen, 270_000);
        assert_eq!(content.sections[0].arrears_months, 1);
        assert_eq!(content.sections[0].arrears_personal_fen, 60_000);
        assert_eq!(content.id_masked, "1101**********002X");
    }
}
