//! Kiosk sessions as the center holds them: opened only after a card proof, bound to the
//! terminal, the card number and the ID number, ended by the terminal (removal, logout), by the
//! idle timeout, or when the terminal opens another. Every kiosk call names its session by the
//! bearer token and is scoped to that one citizen; a token presented by another terminal finds
//! nothing. In memory: a center restart ends them, and the terminal's next call says so.

use crate::domain::CitizenId;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Whose card is in the reader, as the store has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub ssn: CitizenId,
    pub card_no: String,
    pub name: String,
}

/// The citizen of a live session, as handed to a kiosk handler.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub holder: Holder,
    /// The terminal the card is in (the audit actor is `kiosk:<terminal>`).
    pub terminal: String,
    pub reader: String,
    /// When the card last proved itself present.
    pub proven: Instant,
}

struct Live {
    citizen: Citizen,
    deadline: Instant,
    /// The card accepted its holder's PIN (reported by the terminal, which alone sees the PIN):
    /// until then the session shows no data.
    pin_verified: bool,
}

/// Why a data call of a session was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unverified {
    NoSession,
    PinRequired,
}

pub struct Sessions {
    /// Keyed by the SHA-256 of the token: a lookup's timing says nothing about the token.
    live: Mutex<HashMap<[u8; 32], Live>>,
    idle: Duration,
}

fn key(token: &str) -> [u8; 32] {
    Sha256::digest(token.trim().as_bytes()).into()
}

impl Sessions {
    pub fn new(idle: Duration) -> Sessions {
        Sessions {
            live: Mutex::new(HashMap::new()),
            idle,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Live>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new session for `holder` at `terminal`; any other session of that terminal ends (one
    /// screen, one citizen). Returns the token.
    pub fn open(&self, terminal: &str, reader: &str, holder: Holder) -> String {
        let token = {
            use rand::RngCore;
            let mut bytes = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            hex::encode(bytes)
        };
        let now = Instant::now();
        let mut live = self.lock();
        live.retain(|_, l| l.citizen.terminal != terminal && l.deadline > now);
        live.insert(
            key(&token),
            Live {
                citizen: Citizen {
                    holder,
                    terminal: terminal.to_string(),
                    reader: reader.to_string(),
                    proven: now,
                },
                deadline: now + self.idle,
                pin_verified: false,
            },
        );
        token
    }

    /// The card accepted its holder's PIN: the session may show the citizen's data.
    pub fn pin_verified(&self, terminal: &str, token: &str) -> bool {
        let mut live = self.lock();
        match live.get_mut(&key(token)) {
            Some(l) if l.citizen.terminal == terminal && l.deadline > Instant::now() => {
                l.pin_verified = true;
                true
            }
            _ => false,
        }
    }

    /// [`Sessions::authorize`] for a call that shows data: the PIN must have been accepted.
    pub fn authorize_data(&self, terminal: &str, token: &str) -> Result<Citizen, Unverified> {
        let citizen = self
            .authorize(terminal, token)
            .ok_or(Unverified::NoSession)?;
        let verified = self.lock().get(&key(token)).is_some_and(|l| l.pin_verified);
        if verified {
            Ok(citizen)
        } else {
            Err(Unverified::PinRequired)
        }
    }

    /// The session's citizen when `token` is a live session of `terminal`; its idle time
    /// restarts.
    pub fn authorize(&self, terminal: &str, token: &str) -> Option<Citizen> {
        let now = Instant::now();
        let mut live = self.lock();
        let k = key(token);
        let found = live.get_mut(&k)?;
        if found.citizen.terminal != terminal {
            return None;
        }
        if found.deadline <= now {
            live.remove(&k);
            return None;
        }
        found.deadline = now + self.idle;
        Some(found.citizen.clone())
    }

    /// A fresh card proof for the session (before a certificate is issued).
    pub fn proven(&self, terminal: &str, token: &str) -> bool {
        let mut live = self.lock();
        match live.get_mut(&key(token)) {
            Some(l) if l.citizen.terminal == terminal => {
                l.citizen.proven = Instant::now();
                true
            }
            _ => false,
        }
    }

    pub fn end(&self, terminal: &str, token: &str) -> bool {
        let mut live = self.lock();
        let k = key(token);
        if live.get(&k).is_some_and(|l| l.citizen.terminal == terminal) {
            live.remove(&k);
            return true;
        }
        false
    }

    /// Ends every session of `terminal` (revoked, or its card left).
    pub fn end_all(&self, terminal: &str) {
        self.lock().retain(|_, l| l.citizen.terminal != terminal);
    }

    pub fn idle(&self) -> Duration {
        self.idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder() -> Holder {
        Holder {
            ssn: CitizenId::parse("440305198503150016").unwrap(),
            card_no: "A12345678".into(),
            name: "李建国".into(),
        }
    }

    #[test]
    fn a_token_works_only_from_its_terminal_and_dies_with_a_new_session_there() {
        let s = Sessions::new(Duration::from_secs(60));
        let t = s.open("kiosk-1", "r", holder());
        assert!(s.authorize("kiosk-2", &t).is_none(), "another terminal");
        assert_eq!(s.authorize("kiosk-1", &t).unwrap().holder, holder());
        assert_eq!(
            s.authorize_data("kiosk-1", &t).unwrap_err(),
            Unverified::PinRequired,
            "no data before the PIN"
        );
        assert!(!s.pin_verified("kiosk-2", &t), "another terminal's report");
        assert!(s.pin_verified("kiosk-1", &t));
        assert!(s.authorize_data("kiosk-1", &t).is_ok());
        let other = s.open("kiosk-2", "r", holder());
        assert!(
            s.authorize("kiosk-1", &t).is_some(),
            "kiosk-2's session leaves kiosk-1's"
        );
        let again = s.open("kiosk-1", "r", holder());
        assert!(
            s.authorize("kiosk-1", &t).is_none(),
            "one session per terminal"
        );
        assert!(s.authorize("kiosk-1", &again).is_some());
        assert!(!s.end("kiosk-1", &other));
        assert!(s.end("kiosk-2", &other));
        assert!(s.authorize("kiosk-2", &other).is_none());
    }

    #[test]
    fn an_idle_session_ends() {
        let s = Sessions::new(Duration::from_millis(1));
        let t = s.open("k", "r", holder());
        std::thread::sleep(Duration::from_millis(5));
        assert!(s.authorize("k", &t).is_none());
    }
}
