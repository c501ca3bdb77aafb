//! The verification URL carried by the QR code:
//! `<public base URL>/verify/<serial>?c=<base64url blob>`, the blob being
//! `version (1) | key id (4) | issued at, unix seconds, big-endian (8) | digest prefix (16) |
//! Ed25519 signature (64)` = 93 bytes, 124 characters. Binary packing keeps the whole URL under
//! ~190 characters, i.e. a version ≤ 10 QR code at error correction M.

use super::canonical::{signed_message, DIGEST_PREFIX};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;

const VERSION: u8 = 1;
const BLOB_LEN: usize = 1 + 4 + 8 + DIGEST_PREFIX + 64;

/// Everything a verifier needs besides the public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub serial: String,
    pub key_id: String,
    pub issued_at: i64,
    pub digest_prefix: [u8; DIGEST_PREFIX],
    pub signature: [u8; 64],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("this is not a certificate verification link (no /verify/<serial> in it)")]
    NotOurs,
    #[error(
        "the verification link is incomplete (the c= part is missing): scan the whole code again"
    )]
    Missing,
    #[error("the verification link is damaged or truncated: scan the whole code again")]
    Damaged,
}

impl Seal {
    pub fn message(&self) -> Vec<u8> {
        signed_message(
            &self.serial,
            self.issued_at,
            &self.key_id,
            &self.digest_prefix,
        )
    }

    /// The `c=` value.
    pub fn encode(&self) -> String {
        let mut blob = Vec::with_capacity(BLOB_LEN);
        blob.push(VERSION);
        blob.extend(hex::decode(&self.key_id).unwrap_or_else(|_| vec![0; 4]));
        blob.extend(self.issued_at.to_be_bytes());
        blob.extend(self.digest_prefix);
        blob.extend(self.signature);
        B64.encode(blob)
    }

    pub fn url(&self, base: &str) -> String {
        format!(
            "{}/verify/{}?c={}",
            base.trim_end_matches('/'),
            self.serial,
            self.encode()
        )
    }

    /// Parses a scanned URL (any host: a copy served elsewhere verifies the same).
    pub fn parse_url(text: &str) -> Result<Seal, SealError> {
        let text = text.trim();
        let (_, rest) = text.split_once("/verify/").ok_or(SealError::NotOurs)?;
        let (serial, query) = rest.split_once('?').ok_or(SealError::Missing)?;
        let c = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("c="))
            .ok_or(SealError::Missing)?;
        Seal::decode(serial, c)
    }

    /// Rebuilds a seal from the serial of the path and the `c=` value.
    pub fn decode(serial: &str, c: &str) -> Result<Seal, SealError> {
        if !super::serial::is_well_formed(serial) {
            return Err(SealError::Damaged);
        }
        let blob = B64.decode(c).map_err(|_| SealError::Damaged)?;
        if blob.len() != BLOB_LEN || blob[0] != VERSION {
            return Err(SealError::Damaged);
        }
        let take = |from: usize, len: usize| &blob[from..from + len];
        Ok(Seal {
            serial: serial.to_string(),
            key_id: hex::encode(take(1, 4)),
            issued_at: i64::from_be_bytes(take(5, 8).try_into().expect("8 bytes")),
            digest_prefix: take(13, DIGEST_PREFIX).try_into().expect("16 bytes"),
            signature: take(13 + DIGEST_PREFIX, 64).try_into().expect("64 bytes"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal() -> Seal {
        Seal {
            serial: "20261126-7K3M9Q2X".into(),
            key_id: "0a1b2c3d".into(),
            issued_at: 1_795_000_000,
            digest_prefix: [7; DIGEST_PREFIX],
            signature: [9; 64],
        }
    }

    #[test]
    fn a_url_round_trips_and_stays_compact() {
        let url = seal().url("https://si.example.gov.cn/");
        assert!(url.len() < 200, "{} characters", url.len());
        assert_eq!(Seal::parse_url(&url).unwrap(), seal());
    }

    #[test]
    fn truncated_or_foreign_text_is_refused() {
        let url = seal().url("http://x");
        assert_eq!(
            Seal::parse_url(&url[..url.len() - 3]),
            Err(SealError::Damaged)
        );
        assert_eq!(
            Seal::parse_url("https://example.com/"),
            Err(SealError::NotOurs)
        );
        assert_eq!(
            Seal::parse_url("http://x/verify/20261126-7K3M9Q2X"),
            Err(SealError::Missing)
        );
    }
}
