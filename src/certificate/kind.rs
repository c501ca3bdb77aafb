//! The kinds of certificate the office issues. The kind is part of the frozen content (so the
//! signed digest covers it) and is stored in its own column (so the store can tell what a
//! serial certifies without parsing the content).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateKind {
    /// 社会保险个人参保缴费证明: enrolments and monthly contributions.
    #[default]
    Contribution,
    /// 待遇领取证明: monthly benefit payments (pension and others).
    Benefit,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a certificate kind; expected contribution or benefit")]
pub struct UnknownKind(pub String);

impl CertificateKind {
    pub fn code(self) -> &'static str {
        match self {
            CertificateKind::Contribution => "contribution",
            CertificateKind::Benefit => "benefit",
        }
    }

    pub fn parse(text: &str) -> Result<CertificateKind, UnknownKind> {
        match text.trim() {
            "contribution" => Ok(CertificateKind::Contribution),
            "benefit" => Ok(CertificateKind::Benefit),
            other => Err(UnknownKind(other.to_string())),
        }
    }

    /// The printed title.
    pub fn title(self) -> &'static str {
        match self {
            CertificateKind::Contribution => super::content::TITLE,
            CertificateKind::Benefit => super::benefit::TITLE,
        }
    }

    /// Contribution certificates were issued before kinds existed and their canonical JSON has
    /// no `kind` field; leaving it out for them keeps their digests (and signatures) valid.
    pub fn is_contribution(&self) -> bool {
        *self == CertificateKind::Contribution
    }
}
