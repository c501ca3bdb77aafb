//! Authentication of third-generation (3.00) cards behind one interface, [`SecurityModule`].
//!
//! The national key scheme (RKSSSE held by a PSAM or an HSM, ssc-card.md §3) is not public, so
//! the project defines a **test scheme**, documented in docs/card.md and implemented identically
//! by [`TestSecurityModule`], the virtual card and the virtual PSAM:
//! - per-card key `K = SM4(master, card identification code)` (the code is exactly one block);
//! - external authentication: cryptogram `SM4(K, challenge ‖ 45 00 00 00 00 00 00 00)`;
//! - internal authentication: response `SM4(K, challenge ‖ 49 00 00 00 00 00 00 00)`.
//!
//! The two domain bytes ('E', 'I') keep a card's answer to an internal authentication from ever
//! being a valid external cryptogram.

use sm4::cipher::{BlockEncrypt, KeyInit};
use sm4::Sm4;

/// Why the security module could not help; the read then fails with no data shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecurityError {
    #[error("security module unavailable: {0}")]
    Unavailable(String),
    #[error("security module refused: {0}")]
    Refused(String),
}

/// What a 3.00 read needs from a PSAM or HSM. The card identification code (EF05 item 01, read
/// before authentication) selects the per-card key.
pub trait SecurityModule: Send {
    /// The 16-byte cryptogram for EXTERNAL AUTHENTICATE `00 82 00 0A 10 …` over the card's
    /// 8-byte GET CHALLENGE answer.
    fn external_cryptogram(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
    ) -> Result<[u8; 16], SecurityError>;

    /// Whether `response` is the genuine card's answer to INTERNAL AUTHENTICATE of `challenge`.
    fn verify_internal(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
        response: &[u8],
    ) -> Result<bool, SecurityError>;
}

pub const EXTERNAL_DOMAIN: u8 = 0x45;
pub const INTERNAL_DOMAIN: u8 = 0x49;

fn encrypt(key: &[u8; 16], block: [u8; 16]) -> [u8; 16] {
    let cipher = Sm4::new(key.into());
    let mut b = block.into();
    cipher.encrypt_block(&mut b);
    b.into()
}

/// The per-card key of the test scheme.
pub fn card_key(master: &[u8; 16], card_id: &[u8; 16]) -> [u8; 16] {
    encrypt(master, *card_id)
}

/// The 16-byte answer to `challenge` in `domain` under the per-card key.
pub fn cryptogram(card_key: &[u8; 16], challenge: &[u8; 8], domain: u8) -> [u8; 16] {
    let mut block = [0u8; 16];
    block[..8].copy_from_slice(challenge);
    block[8] = domain;
    encrypt(card_key, block)
}

/// 8 random bytes from the operating system (challenges are worthless if predictable).
pub fn random_challenge() -> [u8; 8] {
    use rand::RngCore;
    let mut c = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut c);
    c
}

/// Parses a 32-hex-character key (config, profiles).
pub fn parse_key(text: &str) -> Result<[u8; 16], String> {
    let bytes = hex::decode(text.trim()).map_err(|e| format!("key is not hex: {e}"))?;
    bytes
        .try_into()
        .map_err(|b: Vec<u8>| format!("key must be 16 bytes (32 hex characters), got {}", b.len()))
}

/// The test scheme with the master key in memory. For tests, the demo and development only:
/// a production node uses the PSAM ([`super::psam::PsamModule`]) or an HSM.
#[derive(Clone)]
pub struct TestSecurityModule {
    master: [u8; 16],
}

impl TestSecurityModule {
    pub fn new(master: [u8; 16]) -> Self {
        TestSecurityModule { master }
    }
}

/// Never print the key.
impl std::fmt::Debug for TestSecurityModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestSecurityModule(<redacted>)")
    }
}

impl SecurityModule for TestSecurityModule {
    fn external_cryptogram(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
    ) -> Result<[u8; 16], SecurityError> {
        Ok(cryptogram(
            &card_key(&self.master, card_id),
            challenge,
            EXTERNAL_DOMAIN,
        ))
    }

    fn verify_internal(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
        response: &[u8],
    ) -> Result<bool, SecurityError> {
        let expected = cryptogram(&card_key(&self.master, card_id), challenge, INTERNAL_DOMAIN);
        Ok(response == expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sm4_matches_the_standard_test_vector() {
        // GB/T 32907-2016 appendix A.1: key = plaintext = 0123456789ABCDEFFEDCBA9876543210.
        let k: [u8; 16] = hex::decode("0123456789ABCDEFFEDCBA9876543210")
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(
            hex::encode_upper(encrypt(&k, k)),
            "681EDF34D206965E86B3E94F536E4246"
        );
    }

    #[test]
    fn internal_and_external_answers_differ_and_keys_are_per_card() {
        let mut m = TestSecurityModule::new([1; 16]);
        let ext = m.external_cryptogram(&[2; 16], &[3; 8]).unwrap();
        let int = cryptogram(&card_key(&[1; 16], &[2; 16]), &[3; 8], INTERNAL_DOMAIN);
        assert_ne!(ext, int);
        assert!(m.verify_internal(&[2; 16], &[3; 8], &int).unwrap());
        assert!(!m.verify_internal(&[4; 16], &[3; 8], &int).unwrap());
        assert!(parse_key("00").is_err());
        assert!(!format!("{m:?}").contains("01"));
    }
}
