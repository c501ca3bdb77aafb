//! The office's Ed25519 key: loading, first-use generation, signing, and the public half as
//! published at `GET /api/verify/keys`. The key id is the first 4 bytes of SHA-256 of the public
//! key in hex, so keys can rotate and a certificate names the key that signed it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the office key {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the office key {path} is not a hex-encoded 32-byte Ed25519 seed")]
    Malformed { path: String },
    #[error("cannot write the office key {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("the office key {0} already exists; pass --force to replace it (certificates signed with it stay verifiable only while its public key is published)")]
    Exists(String),
    #[error("published key {0:?} is not a base64url Ed25519 public key")]
    BadPublicKey(String),
}

/// The signing key and its id.
pub struct OfficeKey {
    signing: SigningKey,
    key_id: String,
}

/// A public key as published: what a verifier needs, and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublishedKey {
    pub key_id: String,
    /// Always `Ed25519`.
    pub algorithm: String,
    /// The 32-byte public key, base64url without padding.
    pub public_key: String,
}

impl OfficeKey {
    /// Loads the key at `path`, or generates one there when the file does not exist; the flag
    /// says whether it was generated (the caller logs the new key id).
    pub fn load_or_generate(path: &Path) -> Result<(OfficeKey, bool), KeyError> {
        if path.exists() {
            return Ok((OfficeKey::load(path)?, false));
        }
        Ok((OfficeKey::generate(path, false)?, true))
    }

    pub fn load(path: &Path) -> Result<OfficeKey, KeyError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
            path: shown.clone(),
            source,
        })?;
        let bytes = hex::decode(text.trim()).map_err(|_| KeyError::Malformed {
            path: shown.clone(),
        })?;
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError::Malformed { path: shown })?;
        Ok(OfficeKey::from_seed(seed))
    }

    /// Writes a new random key to `path` (mode 0600), refusing to replace one unless `force`.
    pub fn generate(path: &Path, force: bool) -> Result<OfficeKey, KeyError> {
        let shown = path.display().to_string();
        if path.exists() && !force {
            return Err(KeyError::Exists(shown));
        }
        let mut seed = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
        let write = |e| KeyError::Write {
            path: shown.clone(),
            source: e,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_file::create_dir(dir).map_err(write)?;
        }
        crate::private_file::write(path, format!("{}\n", hex::encode(seed)).as_bytes())
            .map_err(write)?;
        Ok(OfficeKey::from_seed(seed))
    }

    pub fn from_seed(seed: [u8; 32]) -> OfficeKey {
        let signing = SigningKey::from_bytes(&seed);
        let key_id = key_id(&signing.verifying_key());
        OfficeKey { signing, key_id }
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    pub fn published(&self) -> PublishedKey {
        PublishedKey::of(&self.signing.verifying_key())
    }
}

impl PublishedKey {
    /// A key pinned in the configuration, given by its public half (base64url).
    pub fn pinned(public_key: &str) -> Result<PublishedKey, KeyError> {
        let candidate = PublishedKey {
            key_id: String::new(),
            algorithm: "Ed25519".into(),
            public_key: public_key.to_string(),
        };
        Ok(PublishedKey::of(&candidate.verifying_key()?))
    }

    pub fn of(key: &VerifyingKey) -> PublishedKey {
        PublishedKey {
            key_id: key_id(key),
            algorithm: "Ed25519".into(),
            public_key: B64.encode(key.as_bytes()),
        }
    }

    pub fn verifying_key(&self) -> Result<VerifyingKey, KeyError> {
        let bad = || KeyError::BadPublicKey(self.public_key.clone());
        let bytes: [u8; 32] = B64
            .decode(&self.public_key)
            .map_err(|_| bad())?
            .try_into()
            .map_err(|_| bad())?;
        VerifyingKey::from_bytes(&bytes).map_err(|_| bad())
    }
}

pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..4])
}

/// The office key is secret: Debug shows its id only.
impl std::fmt::Debug for OfficeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfficeKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}
