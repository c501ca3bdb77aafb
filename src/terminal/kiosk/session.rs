//! A kiosk session: what the screen may show while one citizen's card sits in the reader.
//!
//! The token is 256 random bits from the operating system, handed to the screen in the event
//! stream and presented back on every call. It is compared in constant time, so timing does not
//! leak how much of a guessed token was right.

use crate::domain::CitizenId;
use rand::RngCore;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// The random secret of one session.
#[derive(Clone, PartialEq, Eq)]
pub struct Token([u8; 32]);

impl Token {
    pub fn generate() -> Token {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Token(bytes)
    }

    /// The form sent to the screen (64 hex digits).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Whether `presented` (as sent by a client) is this token; constant time over the bytes.
    pub fn matches(&self, presented: &str) -> bool {
        let mut bytes = [0u8; 32];
        if hex::decode_to_slice(presented.trim(), &mut bytes).is_err() {
            return false;
        }
        bool::from(self.0.ct_eq(&bytes))
    }
}

/// Only a prefix of the token in debug output: logs never carry a usable token.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token({}…)", &self.to_hex()[..6])
    }
}

/// Whose card is in the reader: the ID and card numbers read from the card, the name as the
/// center has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub ssn: CitizenId,
    pub card_no: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub token: Token,
    /// The center's token of the same session (never shown to the screen).
    pub center_token: String,
    pub reader: String,
    pub holder: Holder,
    /// The session dies at this instant unless the citizen does something first.
    pub deadline: Instant,
    /// The card accepted its holder's PIN: only then does the screen get the token.
    pub pin_verified: bool,
    /// After a wrong PIN: the tries the card still takes (its own count).
    pub pin_tries_left: Option<u8>,
}

impl Session {
    pub fn open(
        reader: &str,
        holder: Holder,
        center_token: String,
        idle: Duration,
        now: Instant,
    ) -> Session {
        Session {
            token: Token::generate(),
            center_token,
            reader: reader.to_string(),
            holder,
            deadline: now + idle,
            pin_verified: false,
            pin_tries_left: None,
        }
    }

    pub fn touch(&mut self, idle: Duration, now: Instant) {
        self.deadline = now + idle;
    }

    pub fn expired(&self, now: Instant) -> bool {
        now >= self.deadline
    }

    pub fn remaining(&self, now: Instant) -> Duration {
        self.deadline.saturating_duration_since(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_matches_only_itself_and_never_shows_whole_in_debug() {
        let t = Token::generate();
        let other = Token::generate();
        assert_ne!(t, other);
        assert!(t.matches(&t.to_hex()));
        assert!(t.matches(&t.to_hex().to_uppercase()));
        assert!(!t.matches(&other.to_hex()));
        assert!(!t.matches(""));
        assert!(!t.matches(&t.to_hex()[..62]));
        assert!(!t.matches("not hex at all"));
        assert!(!format!("{t:?}").contains(&t.to_hex()[..12]));
    }

    #[test]
    fn a_session_expires_at_its_deadline_and_touching_moves_it() {
        let now = Instant::now();
        let holder = Holder {
            ssn: CitizenId::parse("440305198503150016").unwrap(),
            card_no: "A12345678".into(),
            name: "李建国".into(),
        };
        let mut s = Session::open("r", holder, "c".into(), Duration::from_secs(60), now);
        assert!(!s.expired(now + Duration::from_secs(59)));
        assert!(s.expired(now + Duration::from_secs(60)));
        s.touch(Duration::from_secs(60), now + Duration::from_secs(50));
        assert!(!s.expired(now + Duration::from_secs(100)));
        assert_eq!(
            s.remaining(now + Duration::from_secs(80)),
            Duration::from_secs(30)
        );
    }
}
