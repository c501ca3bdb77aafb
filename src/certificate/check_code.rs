//! The short check code (查验码) printed as text beside the QR: a verifier without a scanner, or
//! with a poor photocopy, types the serial and this code on the verification page and sees what
//! the QR would show. It is derived from the certificate's signature, so only someone holding
//! the paper knows it, and the serial alone still shows nothing personal.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Crockford's base-32 alphabet, as in serials: no I, L, O, U to misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 8 characters (40 bits) shown as `XXXX-XXXX`.
pub fn check_code(signature: &[u8; 64]) -> String {
    let hash = Sha256::digest(signature);
    let bits = u64::from_be_bytes(hash[..8].try_into().expect("8 bytes"));
    let code: String = (0..8)
        .map(|i| ALPHABET[((bits >> (59 - 5 * i)) & 31) as usize] as char)
        .collect();
    format!("{}-{}", &code[..4], &code[4..])
}

/// Whether `typed` is the code of `signature`: case, spaces and hyphens do not matter, and the
/// usual misreadings (O→0, I/L→1) are forgiven as Crockford intends.
pub fn matches(typed: &str, signature: &[u8; 64]) -> bool {
    let normal: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let expected = check_code(signature).replace('-', "");
    normal.len() == expected.len() && bool::from(normal.as_bytes().ct_eq(expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_short_stable_and_forgiving() {
        let sig = [7u8; 64];
        let code = check_code(&sig);
        assert_eq!(code.len(), 9);
        assert_eq!(code, check_code(&sig));
        assert!(matches(&code.to_lowercase().replace('-', " "), &sig));
        assert!(!matches(&code, &[8u8; 64]));
        assert!(!matches("", &sig));
    }
}
