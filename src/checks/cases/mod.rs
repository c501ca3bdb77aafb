//! Cases: what a hit becomes for the supervisor. States (经办条例 §26: verify, then stop or clear):
//! `open` → `under_review` (暂停发放 requested while it is checked) → `confirmed` (the amount to
//! recover and the basis, 经办条例 §46) or `cleared` (the reason). Every change is audited with
//! the supervisor's name, in the same transaction as the change.

mod record;
mod review;
mod worklist;

pub use record::{record_hits, RunRecord};
pub use review::{change, Change};
pub use worklist::{
    case, export_csv, figures, list, notice, CaseDetail, CaseSummary, FundSafetyNotice, Listing,
    RuleFigures, Sort,
};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    Open,
    UnderReview,
    Confirmed,
    Cleared,
}

impl CaseState {
    pub fn code(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::UnderReview => "under_review",
            CaseState::Confirmed => "confirmed",
            CaseState::Cleared => "cleared",
        }
    }

    pub fn parse(code: &str) -> Option<CaseState> {
        [
            CaseState::Open,
            CaseState::UnderReview,
            CaseState::Confirmed,
            CaseState::Cleared,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Still to be decided: what a clerk's banner and the default worklist show.
    pub fn is_pending(self) -> bool {
        matches!(self, CaseState::Open | CaseState::UnderReview)
    }
}
