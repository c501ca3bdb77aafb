//! The canonical form of an entry and the chained hash over it.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

/// The fields an entry's hash covers, in a fixed order.
pub struct Hashed<'a> {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject_ssn: Option<&'a str>,
    pub purpose: Option<&'a str>,
    pub result: &'a str,
    pub detail: Option<&'a str>,
}

/// `SHA-256(prev_hash ‖ JSON array of the fields)`, hex. A JSON array keeps field boundaries
/// unambiguous whatever the texts contain; the time is written to the microsecond, the precision
/// both databases keep.
pub fn entry_hash(prev_hash: &str, e: &Hashed) -> String {
    let fields = serde_json::json!([
        e.seq,
        e.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        e.actor,
        e.action,
        e.subject_ssn,
        e.purpose,
        e.result,
        e.detail,
    ]);
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(fields.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(actor: &str) -> Hashed<'_> {
        Hashed {
            seq: 1,
            at: chrono::DateTime::from_timestamp(1_700_000_000, 123_456_000)
                .unwrap()
                .naive_utc(),
            actor,
            action: "record.view",
            subject_ssn: Some("11010519491231002X"),
            purpose: None,
            result: "ok",
            detail: None,
        }
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_hash() {
        let base = entry_hash(super::super::GENESIS, &entry("staff:alice"));
        assert_eq!(base.len(), 64);
        assert_ne!(
            base,
            entry_hash(super::super::GENESIS, &entry("staff:alicf"))
        );
        assert_ne!(base, entry_hash(&"1".repeat(64), &entry("staff:alice")));
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let a = Hashed {
            actor: "a\",\"b",
            ..entry("x")
        };
        let b = Hashed {
            actor: "a",
            action: "b\",\"record.view",
            ..entry("x")
        };
        assert_ne!(entry_hash("p", &a), entry_hash("p", &b));
    }
}
