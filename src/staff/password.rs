//! Passwords: argon2id with the crate's default parameters (19 MiB, 2 passes, 1 lane — the
//! OWASP minimum), a random 16-byte salt, stored as a PHC string so parameters can be raised
//! later without invalidating old hashes.

use super::StaffError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

/// Longer inputs are refused before hashing: the cost must not be the attacker's choice.
pub const MAX_LENGTH: usize = 256;

/// The policy: a minimum length (characters), nothing else; length is what resists guessing.
pub fn check_policy(password: &str, min_length: usize) -> Result<(), StaffError> {
    let length = password.chars().count();
    if length < min_length {
        return Err(StaffError::WeakPassword { min: min_length });
    }
    if length > MAX_LENGTH {
        return Err(StaffError::LongPassword);
    }
    Ok(())
}

pub fn hash(password: &str) -> Result<String, StaffError> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| StaffError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StaffError::Hash(e.to_string()))
}

/// Whether `password` matches the stored PHC string (constant-time comparison in the crate).
pub fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_LENGTH * 4 {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a password nobody knows, verified against when the username does not exist so a
/// wrong username costs the same time as a wrong password.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let mut random = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut random);
        hash(&hex::encode(random)).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only_and_is_argon2id() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterz", &h));
        assert!(!verify("anything", "not a phc string"));
        assert_ne!(h, hash("correct horse battery").unwrap(), "salted");
    }

    #[test]
    fn the_policy_counts_characters_not_bytes() {
        assert!(check_policy("短密码", 4).is_err());
        assert!(check_policy("四个字符", 4).is_ok());
        assert!(check_policy(&"x".repeat(MAX_LENGTH + 1), 4).is_err());
    }
}
