//! Card proofs: the center makes the challenge, the terminal relays it to the card (INTERNAL
//! AUTHENTICATE), the center checks the answer with the card's key, which it alone can derive
//! (the master key is the center's, the role of the bureau's cryptography machine). A challenge
//! is random, serves one answer, expires quickly, and belongs to the terminal that asked: a
//! replayed or relayed answer finds no challenge (docs/terminals.md, "Chip and Skim").

use crate::card::security::{card_key, cryptogram, random_challenge, INTERNAL_DOMAIN};
use rand::RngCore;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// How long a challenge waits for its answer (a card answers in milliseconds).
pub const CHALLENGE_TTL: Duration = Duration::from_secs(20);
/// Outstanding challenges kept at most; beyond, the oldest are dropped (a terminal asking in a
/// loop cannot grow the center's memory).
const MAX_PENDING: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("no such challenge (never made, already used, expired, or another terminal's)")]
    NoChallenge,
    #[error("the card's answer does not match the card it claims to be")]
    WrongAnswer,
}

struct Pending {
    terminal: String,
    challenge: [u8; 8],
    made: Instant,
}

/// The outstanding challenges of this center node.
pub struct Challenges {
    pending: Mutex<HashMap<String, Pending>>,
    master: [u8; 16],
}

impl Challenges {
    pub fn new(master: [u8; 16]) -> Challenges {
        Challenges {
            pending: Mutex::new(HashMap::new()),
            master,
        }
    }

    /// A new challenge for `terminal`: its id and the 8 bytes for the card.
    pub fn issue(&self, terminal: &str) -> (String, [u8; 8]) {
        let mut id = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut id);
        let id = hex::encode(id);
        let challenge = random_challenge();
        let now = Instant::now();
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, p| now.duration_since(p.made) < CHALLENGE_TTL);
        if pending.len() >= MAX_PENDING {
            if let Some(oldest) = pending
                .iter()
                .min_by_key(|(_, p)| p.made)
                .map(|(k, _)| k.clone())
            {
                pending.remove(&oldest);
            }
        }
        pending.insert(
            id.clone(),
            Pending {
                terminal: terminal.to_string(),
                challenge,
                made: now,
            },
        );
        (id, challenge)
    }

    /// Checks `answer` to challenge `id`, which `terminal` asked for, against the card whose
    /// identification code the store holds. The challenge is spent whatever the outcome.
    pub fn check(
        &self,
        terminal: &str,
        id: &str,
        card_id_code: &[u8; 16],
        answer: &[u8],
    ) -> Result<(), ProofError> {
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id)
            .ok_or(ProofError::NoChallenge)?;
        if pending.terminal != terminal || pending.made.elapsed() >= CHALLENGE_TTL {
            return Err(ProofError::NoChallenge);
        }
        let expected = self.expected(card_id_code, &pending.challenge);
        if answer.len() == expected.len() && bool::from(expected.ct_eq(answer)) {
            Ok(())
        } else {
            Err(ProofError::WrongAnswer)
        }
    }

    fn expected(&self, card_id_code: &[u8; 16], challenge: &[u8; 8]) -> [u8; 16] {
        cryptogram(
            &card_key(&self.master, card_id_code),
            challenge,
            INTERNAL_DOMAIN,
        )
    }

    /// The center as the security module of a terminal reading a 3.00 card (the HSM split of
    /// the card interface): the cryptogram for the card's own GET CHALLENGE.
    pub fn external_cryptogram(&self, card_id: &[u8; 16], challenge: &[u8; 8]) -> [u8; 16] {
        cryptogram(
            &card_key(&self.master, card_id),
            challenge,
            crate::card::security::EXTERNAL_DOMAIN,
        )
    }

    /// Whether `response` is the genuine card's answer to a terminal's own challenge (a read,
    /// not a session: sessions need a challenge of the center's).
    pub fn genuine(&self, card_id: &[u8; 16], challenge: &[u8; 8], response: &[u8]) -> bool {
        let expected = self.expected(card_id, challenge);
        response.len() == expected.len() && bool::from(expected.ct_eq(response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: [u8; 16] = [7; 16];

    fn answer(master: [u8; 16], challenge: &[u8; 8]) -> [u8; 16] {
        cryptogram(&card_key(&master, &CARD), challenge, INTERNAL_DOMAIN)
    }

    #[test]
    fn a_right_answer_passes_once_and_only_for_the_terminal_that_asked() {
        let c = Challenges::new([1; 16]);
        let (id, challenge) = c.issue("kiosk-1");
        let good = answer([1; 16], &challenge);
        assert_eq!(
            c.check("kiosk-2", &id, &CARD, &good),
            Err(ProofError::NoChallenge),
            "another terminal's challenge"
        );
        // The attempt from the wrong terminal spent it.
        assert_eq!(
            c.check("kiosk-1", &id, &CARD, &good),
            Err(ProofError::NoChallenge)
        );

        let (id, challenge) = c.issue("kiosk-1");
        let good = answer([1; 16], &challenge);
        assert_eq!(c.check("kiosk-1", &id, &CARD, &good), Ok(()));
        assert_eq!(
            c.check("kiosk-1", &id, &CARD, &good),
            Err(ProofError::NoChallenge),
            "a replayed answer"
        );
    }

    #[test]
    fn a_forged_answer_or_another_cards_key_fails() {
        let c = Challenges::new([1; 16]);
        let (id, challenge) = c.issue("k");
        let forged = answer([2; 16], &challenge);
        assert_eq!(
            c.check("k", &id, &CARD, &forged),
            Err(ProofError::WrongAnswer)
        );
        let (id, challenge) = c.issue("k");
        let good = answer([1; 16], &challenge);
        assert_eq!(
            c.check("k", &id, &[8; 16], &good),
            Err(ProofError::WrongAnswer),
            "the answer of a card other than the one the store holds"
        );
        let (id, _) = c.issue("k");
        assert_eq!(
            c.check("k", &id, &CARD, &[0; 3]),
            Err(ProofError::WrongAnswer)
        );
    }
}
