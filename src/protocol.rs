//! The wire between the center and its terminals (JSON over mutual TLS): what each side sends
//! and answers on the center's terminal port. Both sides use these types, so they cannot drift.
//! Byte strings travel as hex.

use serde::{Deserialize, Serialize};

/// Paths of the center's terminal port (besides the kiosk data routes `/api/kiosk/*`, which the
/// terminal forwards unchanged).
pub mod path {
    pub const ENROL: &str = "/terminal/v1/enrol";
    pub const RENEW: &str = "/terminal/v1/renew";
    pub const HEARTBEAT: &str = "/terminal/v1/heartbeat";
    pub const CHALLENGE: &str = "/terminal/v1/card/challenge";
    pub const OPEN: &str = "/terminal/v1/card/session";
    pub const REPROVE: &str = "/terminal/v1/card/reprove";
    pub const TOUCH: &str = "/terminal/v1/card/touch";
    pub const PIN: &str = "/terminal/v1/card/pin";
    pub const END: &str = "/terminal/v1/card/end";
    pub const EXTERNAL: &str = "/terminal/v1/hsm/external";
    pub const INTERNAL: &str = "/terminal/v1/hsm/internal";
    pub const WINDOW_CARD: &str = "/terminal/v1/window/card";
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrolRequest {
    /// The secret part of the enrolment code (the pin stays with the terminal).
    pub code: String,
    /// PKCS#10 request in PEM over the terminal's own key.
    pub csr: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrolReply {
    pub name: String,
    pub kind: String,
    pub window_label: String,
    /// The device certificate, PEM.
    pub certificate: String,
    /// The center's CA, PEM (the one the code pinned).
    pub ca: String,
    /// RFC 3339, UTC.
    pub not_after: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenewRequest {
    pub csr: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenewReply {
    pub certificate: String,
    pub not_after: String,
}

/// What a terminal reports on every heartbeat.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Heartbeat {
    /// The kiosk screen (ready, session, no_reader…), or the window reader's state.
    pub state: String,
    /// The reader(s) it watches.
    pub reader: String,
}

/// What admins set for the terminal, applied on receipt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct HeartbeatReply {
    pub name: String,
    pub kind: String,
    pub window_label: String,
    pub in_service: bool,
    pub note: String,
    /// Whether the terminal's printer answered "ready" at the center's last check.
    pub printer_ready: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChallengeRequest {
    pub reader: String,
}

/// A fresh challenge made by the center, for one card proof by this terminal.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Challenge {
    pub id: String,
    /// 8 random bytes, hex: the data of INTERNAL AUTHENTICATE.
    pub challenge: String,
}

/// Who the card says it belongs to (read from its public files EF05/EF06).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardClaim {
    pub ssn: String,
    pub card_no: String,
}

/// The card's answer to the center's challenge, asking for a session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenSession {
    pub reader: String,
    pub challenge_id: String,
    /// The card's INTERNAL AUTHENTICATE answer, hex.
    pub answer: String,
    pub card: CardClaim,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Opened {
    /// A session bound to this terminal, this card and this citizen.
    Opened {
        token: String,
        name: String,
        idle_timeout_seconds: u64,
    },
    Refused {
        reason: Refusal,
    },
}

/// A fresh card proof inside an open session (the bearer token names the session).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reprove {
    pub challenge_id: String,
    pub answer: String,
}

/// For the center's security module (3.00 cards): the cryptogram of EXTERNAL AUTHENTICATE.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExternalRequest {
    pub card_id: String,
    pub challenge: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExternalReply {
    pub cryptogram: String,
}

/// For the center's security module: is this the genuine card's INTERNAL AUTHENTICATE answer?
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InternalRequest {
    pub card_id: String,
    pub challenge: String,
    pub response: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InternalReply {
    pub genuine: bool,
}

/// A window terminal's card, proven present, for its clerk's lookup by card.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WindowCard {
    pub reader: String,
    /// None when the card left the reader.
    pub proof: Option<OpenSession>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WindowCardReply {
    pub accepted: bool,
    pub refusal: Option<Refusal>,
}

/// Why a card opened no session: each is one screen of plain words at the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Readable card, but the ID number is not in the records.
    UnknownPerson,
    /// The person is known, but this card number is not their card on record (replaced card).
    CardNotRegistered,
    /// The card is reported lost, temporarily lost or cancelled (the store's card status).
    CardLost,
    CardTempLost,
    CardCancelled,
    /// The card's validity date has passed (from the card itself).
    Expired,
    /// The PIN is blocked.
    Locked,
    /// Not a social security card, or a blank one.
    NotSocialSecurityCard,
    /// Any other read failure: the card could not be read (dirty chip, pulled too early…).
    Unreadable,
    /// The card's answer to the center's challenge is not that of the card it claims to be.
    NotGenuine,
    /// The store (or the center) did not answer: nothing can be checked now.
    StoreUnavailable,
    /// An admin took this kiosk out of service (docs/devices.md): no new session opens.
    OutOfService,
}

/// Parses `N` bytes of hex sent by the other side.
pub fn bytes<const N: usize>(hex_text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    hex::decode_to_slice(hex_text.trim(), &mut out).ok()?;
    Some(out)
}
