//! What can go wrong reading a card, worded for the person at the kiosk or window. Every variant
//! is `Clone` so it can travel in a broadcast [`super::CardEvent`].

use chrono::NaiveDate;

/// A failure of the link to the card (PC/SC, or a test transport), before any status word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("the card was removed")]
    Removed,
    #[error("the PC/SC service is not available")]
    ServiceDown,
    #[error("PC/SC error: {0}")]
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("not a social security card (no SSSE application)")]
    NotSocialSecurityCard,
    #[error("blank social security card: {0}")]
    BlankCard(String),
    #[error("the card expired on {expires_on}")]
    Expired { expires_on: NaiveDate },
    #[error("record {tag:02X} of {file} is unreadable: {reason}")]
    UnreadableRecord {
        file: &'static str,
        tag: u8,
        reason: String,
    },
    #[error("card data is invalid: {field}: {reason}")]
    InvalidData { field: &'static str, reason: String },
    #[error("third-generation card: authentication needed, and no security module is configured")]
    AuthenticationNeeded,
    #[error("card authentication failed: {0}")]
    AuthenticationFailed(String),
    #[error("the card is locked (PIN blocked)")]
    Locked,
    #[error("the card was removed during the read")]
    Removed,
    #[error("card answered {sw:04X} to {command}")]
    UnexpectedStatus { command: &'static str, sw: u16 },
    #[error("card reader: {0}")]
    Transport(String),
}

impl From<TransportError> for CardError {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Removed => CardError::Removed,
            other => CardError::Transport(other.to_string()),
        }
    }
}
