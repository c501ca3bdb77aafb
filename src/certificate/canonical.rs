//! The bytes that are hashed and signed. Both are versioned by a fixed prefix so that a later
//! change of encoding can never make an old signature mean something else.
//!
//! - Content: compact JSON of [`Content`] with fields in declaration order (serde's derive
//!   keeps it; the types hold no maps or floats), UTF-8. Its SHA-256 is the content digest.
//! - Signed message: `sskiosk-certificate-v1\n<serial>\n<issued unix seconds>\n<key id>\n<hex of
//!   the first 16 bytes of the digest>`. The QR code carries those 16 bytes, so a verifier holding
//!   only the QR text can check the signature, and one holding the content can check the digest.

use super::content::Content;
use sha2::{Digest, Sha256};

/// Bytes of the content digest carried in the QR code and covered by the signature: 128 bits
/// resist a second preimage as well as the key resists forgery.
pub const DIGEST_PREFIX: usize = 16;

pub fn content_bytes(content: &Content) -> Vec<u8> {
    serde_json::to_vec(content).expect("content serialises: plain types only")
}

pub fn digest(content: &Content) -> [u8; 32] {
    digest_of(&content_bytes(content))
}

/// The digest of content bytes already encoded (issuing encodes once for the store, the
/// digest and the PDF).
pub fn digest_of(content_bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(content_bytes).into()
}

pub fn digest_prefix(digest: &[u8; 32]) -> [u8; DIGEST_PREFIX] {
    let mut prefix = [0u8; DIGEST_PREFIX];
    prefix.copy_from_slice(&digest[..DIGEST_PREFIX]);
    prefix
}

pub fn signed_message(
    serial: &str,
    issued_at: i64,
    key_id: &str,
    digest_prefix: &[u8; DIGEST_PREFIX],
) -> Vec<u8> {
    format!(
        "sskiosk-certificate-v1\n{serial}\n{issued_at}\n{key_id}\n{}",
        hex::encode(digest_prefix)
    )
    .into_bytes()
}
