//! Why a clerk looks at a citizen's data (查询事由): asked before every lookup and stored in
//! the audit entry, so the citizen can see not only who looked but why.

use super::WindowError;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PurposeCode {
    /// 本人申请办理
    CitizenRequest,
    /// 开具证明
    Certificate,
    /// 社保卡服务
    CardService,
    /// 待遇审核
    BenefitReview,
    /// 其他（须填写说明）
    Other,
}

/// A validated purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purpose(String);

impl Purpose {
    /// `other` needs a text of 1–100 characters; the other codes take an optional note.
    pub fn new(code: PurposeCode, text: Option<&str>) -> Result<Purpose, WindowError> {
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        if let Some(t) = text {
            if t.chars().count() > 100 || t.chars().any(char::is_control) {
                return Err(WindowError::BadInput(
                    "the purpose text must be at most 100 characters on one line".into(),
                ));
            }
        }
        let code_text = match code {
            PurposeCode::CitizenRequest => "citizen_request",
            PurposeCode::Certificate => "certificate",
            PurposeCode::CardService => "card_service",
            PurposeCode::BenefitReview => "benefit_review",
            PurposeCode::Other => "other",
        };
        match (code, text) {
            (PurposeCode::Other, None) => Err(WindowError::BadInput(
                "purpose \"other\" needs a short text saying why".into(),
            )),
            (_, Some(t)) => Ok(Purpose(format!("{code_text}: {t}"))),
            (_, None) => Ok(Purpose(code_text.into())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_needs_a_text_and_texts_are_bounded() {
        assert!(Purpose::new(PurposeCode::Other, None).is_err());
        assert!(Purpose::new(PurposeCode::Other, Some("  ")).is_err());
        assert_eq!(
            Purpose::new(PurposeCode::Other, Some("法院协查"))
                .unwrap()
                .as_str(),
            "other: 法院协查"
        );
        assert_eq!(
            Purpose::new(PurposeCode::Certificate, None)
                .unwrap()
                .as_str(),
            "certificate"
        );
        assert!(Purpose::new(PurposeCode::CitizenRequest, Some(&"长".repeat(101))).is_err());
    }
}
