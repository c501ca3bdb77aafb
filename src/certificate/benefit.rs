//! The content of a benefit payment certificate (待遇领取证明): per benefit kind the first and
//! last month paid, the months paid, the total, and the monthly payments folded into runs of
//! consecutive months with the same amount (e.g. 2019-01 — 2019-12 3000.00/月).
//!
//! Built from the payments the unified record already holds, so it needs no query of its own.

use super::content::{Content, Selection};
use super::kind::CertificateKind;
use crate::domain::record::{Benefit, UnifiedRecord};
use crate::domain::{BenefitKind, Month};
use serde::{Deserialize, Serialize};

/// Title of the benefit payment certificate.
pub const TITLE: &str = "社会保险待遇领取证明";

/// One benefit kind of the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitSection {
    pub benefit: String,
    pub name_zh: String,
    pub first_month: String,
    pub last_month: String,
    pub months_paid: u32,
    pub rows: Vec<BenefitRow>,
    pub total_fen: i64,
}

/// Consecutive months paid the same monthly amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitRow {
    pub from: String,
    pub to: String,
    pub months: u32,
    /// The amount paid each month of the run.
    pub monthly_fen: i64,
    pub total_fen: i64,
}

/// What a benefit certificate covers: kinds (every one on record when empty) and months.
pub struct BenefitRequest<'a> {
    pub kinds: &'a [BenefitKind],
    pub from: Option<Month>,
    pub to: Option<Month>,
}

impl BenefitRequest<'_> {
    fn covers(&self, b: &Benefit) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&b.benefit))
            && self.from.is_none_or(|f| b.period >= f)
            && self.to.is_none_or(|t| b.period <= t)
    }

    pub fn selection(&self) -> Selection {
        Selection {
            insurances: Vec::new(),
            benefits: self.kinds.iter().map(|k| k.code().to_string()).collect(),
            from: self.from.map(|m| m.to_string()),
            to: self.to.map(|m| m.to_string()),
        }
    }
}

/// The content of a benefit certificate, or `None` when nothing was paid in the request (a
/// certificate saying "no payments" is not what anyone asks a benefit certificate for).
pub fn build(office: &str, record: &UnifiedRecord, request: &BenefitRequest) -> Option<Content> {
    let sections: Vec<BenefitSection> = record
        .benefits
        .iter()
        .filter_map(|summary| {
            let paid: Vec<&Benefit> = summary
                .payments
                .iter()
                .filter(|b| request.covers(b))
                .collect();
            let (first, last) = (paid.first()?, paid.last()?);
            Some(BenefitSection {
                benefit: summary.benefit.code().to_string(),
                name_zh: summary.name_zh.to_string(),
                first_month: first.period.to_string(),
                last_month: last.period.to_string(),
                months_paid: paid.len() as u32,
                total_fen: paid.iter().map(|b| b.amount.0).sum(),
                rows: fold(&paid),
            })
        })
        .collect();
    if sections.is_empty() {
        return None;
    }
    let mut content = Content::header(office, record, request.selection());
    content.kind = CertificateKind::Benefit;
    content.title = CertificateKind::Benefit.title().to_string();
    content.benefits = sections;
    Some(content)
}

/// Folds month-ordered payments into rows; a row breaks where a month is missing or the amount
/// changes.
fn fold(paid: &[&Benefit]) -> Vec<BenefitRow> {
    let mut out: Vec<(Month, BenefitRow)> = Vec::new();
    for b in paid {
        match out.last_mut() {
            Some((last, row)) if last.next() == b.period && row.monthly_fen == b.amount.0 => {
                *last = b.period;
                row.to = b.period.to_string();
                row.months += 1;
                row.total_fen += b.amount.0;
            }
            _ => out.push((
                b.period,
                BenefitRow {
                    from: b.period.to_string(),
                    to: b.period.to_string(),
                    months: 1,
                    monthly_fen: b.amount.0,
                    total_fen: b.amount.0,
                },
            )),
        }
    }
    out.into_iter().map(|(_, row)| row).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::{Facts, Person};
    use crate::domain::Fen;

    fn pay(kind: BenefitKind, period: &str, fen: i64) -> Benefit {
        Benefit {
            benefit: kind,
            insurance: None,
            period: Month::parse(period).unwrap(),
            amount: Fen(fen),
            paid_on: None,
        }
    }

    fn record(benefits: Vec<Benefit>) -> UnifiedRecord {
        let person = Person::sample();
        let facts = Facts {
            benefits,
            ..Facts::default()
        };
        UnifiedRecord::assemble(person, facts)
    }

    #[test]
    fn payments_fold_into_runs_of_the_same_amount_within_the_range() {
        use BenefitKind::*;
        let mut payments: Vec<Benefit> = Month::parse("2018-11")
            .unwrap()
            .through(Month::parse("2020-02").unwrap())
            .map(|m| {
                let fen = if m.to_string().as_str() < "2020-01" {
                    300_000
                } else {
                    315_000
                };
                pay(BasicPension, &m.to_string(), fen)
            })
            .collect();
        payments.push(pay(FuneralGrant, "2021-03", 1_000_000));
        let record = record(payments);
        let request = BenefitRequest {
            kinds: &[BasicPension],
            from: Some(Month::parse("2019-01").unwrap()),
            to: None,
        };
        let content = build("局", &record, &request).unwrap();
        assert_eq!(content.kind, CertificateKind::Benefit);
        assert_eq!(content.title, TITLE);
        let s = &content.benefits[0];
        let rows: Vec<(&str, &str, u32, i64)> = s
            .rows
            .iter()
            .map(|r| (r.from.as_str(), r.to.as_str(), r.months, r.monthly_fen))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("2019-01", "2019-12", 12, 300_000),
                ("2020-01", "2020-02", 2, 315_000)
            ]
        );
        assert_eq!(
            (s.months_paid, s.total_fen),
            (14, 12 * 300_000 + 2 * 315_000)
        );
        assert_eq!(
            content.benefits.len(),
            1,
            "the funeral grant was not asked for"
        );
        let none = BenefitRequest {
            kinds: &[],
            from: Some(Month::parse("2030-01").unwrap()),
            to: None,
        };
        assert!(build("局", &record, &none).is_none());
    }
}
