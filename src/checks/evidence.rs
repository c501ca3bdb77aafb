//! One row a hit rests on, as stored with its case: which table, which row, which import batch
//! (source and import time filled in when the case is written), and its amount if it is a payment.

use super::facts::{BenefitFact, CardFact, ContributionFact, DeathFact, RegistrationFact};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evidence {
    /// benefits, contributions, employment_registrations, deaths or cards.
    pub table: String,
    /// The row's natural key and what it says, e.g. `basic_pension resident_pension 2024-03`.
    pub row: String,
    pub batch_id: i64,
    /// Fen, for payments.
    pub amount: Option<i64>,
    pub source: Option<String>,
    #[schema(value_type = Option<String>)]
    pub imported_at: Option<NaiveDateTime>,
}

fn of(table: &str, row: String, batch_id: i64, amount: Option<i64>) -> Evidence {
    Evidence {
        table: table.into(),
        row,
        batch_id,
        amount,
        source: None,
        imported_at: None,
    }
}

impl From<&BenefitFact> for Evidence {
    fn from(b: &BenefitFact) -> Evidence {
        let scheme = b.insurance.map_or("(scheme not stated)", |i| i.code());
        of(
            "benefits",
            format!("{} {scheme} {}", b.benefit.code(), b.period),
            b.batch_id,
            Some(b.amount.0),
        )
    }
}

impl From<&ContributionFact> for Evidence {
    fn from(c: &ContributionFact) -> Evidence {
        of(
            "contributions",
            format!(
                "{} {} {} employer {} ({} fen)",
                c.insurance.code(),
                c.period,
                c.status.code(),
                c.employer_code,
                c.employer_amount.0
            ),
            c.batch_id,
            None,
        )
    }
}

impl From<&RegistrationFact> for Evidence {
    fn from(r: &RegistrationFact) -> Evidence {
        let ended = r.ended_on.map_or("open".to_string(), |d| d.to_string());
        of(
            "employment_registrations",
            format!(
                "{} {} from {} to {ended}",
                r.kind.code(),
                r.employer_code,
                r.registered_on
            ),
            r.batch_id,
            None,
        )
    }
}

impl From<&DeathFact> for Evidence {
    fn from(d: &DeathFact) -> Evidence {
        of(
            "deaths",
            format!("{} died {}", d.source.code(), d.death_date),
            d.batch_id,
            None,
        )
    }
}

impl From<&CardFact> for Evidence {
    fn from(c: &CardFact) -> Evidence {
        of(
            "cards",
            format!("{} {}", c.card_no, c.status.code()),
            c.batch_id,
            None,
        )
    }
}
