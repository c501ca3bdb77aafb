//! Which public keys a verifier trusts (review D2): the office's own key and the keys pinned in
//! `certificate.trusted_keys`, never a key merely because a row of `certificate_keys` names it.
//! Anyone with write access to the store could add a row and sign "valid" certificates with
//! their own key; the configuration file is the operator's. A certificate whose key id no
//! trusted key has verifies as `invalid_signature`.

use super::sign::{KeyError, OfficeKey, PublishedKey};

/// The trusted keys: the office key first, then the pinned ones (duplicates dropped).
#[derive(Debug, Clone)]
pub struct TrustedKeys(Vec<PublishedKey>);

impl TrustedKeys {
    /// `pinned`: public keys as published (base64url, `GET /api/verify/keys`'s `public_key`).
    pub fn new(office: &OfficeKey, pinned: &[String]) -> Result<TrustedKeys, KeyError> {
        let mut keys = vec![office.published()];
        for text in pinned {
            let key = PublishedKey::pinned(text.trim())?;
            if !keys.iter().any(|k| k.key_id == key.key_id) {
                keys.push(key);
            }
        }
        Ok(TrustedKeys(keys))
    }

    pub fn keys(&self) -> &[PublishedKey] {
        &self.0
    }
}
