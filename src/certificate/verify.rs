//! Verification, online (against the store: revocation and reissue are known) and offline (QR
//! text or PDF file, the published keys only). Both check the same signature over the same
//! message; the online check also reports what was certified, as printed.

use super::canonical::{digest, digest_prefix};
use super::content::Content;
use super::pdf::CONTENT_MARKER;
use super::seal::{Seal, SealError};
use super::sign::PublishedKey;
use super::store::{self, StoredCertificate};
use super::CertificateError;
use crate::db::DbConn;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::NaiveDateTime;
use ed25519_dalek::Signature;
use serde::Serialize;

/// The answer of a verification; `code()` is its stable machine form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verdict {
    Valid,
    InvalidSignature,
    UnknownSerial,
    Revoked {
        revoked_at: NaiveDateTime,
        reason: String,
    },
    Superseded {
        superseded_by: String,
    },
}

impl Verdict {
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::InvalidSignature => "invalid_signature",
            Verdict::UnknownSerial => "unknown_serial",
            Verdict::Revoked { .. } => "revoked",
            Verdict::Superseded { .. } => "superseded",
        }
    }
}

/// An online verification: the verdict and, for a certificate on record, what it certified.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Verification {
    pub serial: String,
    pub verdict: Verdict,
    pub issued_at: Option<NaiveDateTime>,
    pub key_id: Option<String>,
    pub supersedes: Option<String>,
    /// The certified content as printed (ID number masked); only for whoever holds the paper
    /// (the QR's `c=` or the printed check code).
    #[schema(value_type = Option<Object>)]
    pub content: Option<Content>,
    /// Where it was issued: kiosk (自助终端), window (窗口) or system (后台), from the audit
    /// trail; shown with the content only.
    pub channel: Option<String>,
}

/// Checks a seal's signature with the published keys.
pub fn check_seal(seal: &Seal, keys: &[PublishedKey]) -> bool {
    let Some(key) = keys.iter().find(|k| k.key_id == seal.key_id) else {
        return false;
    };
    let Ok(key) = key.verifying_key() else {
        return false;
    };
    key.verify_strict(&seal.message(), &Signature::from_bytes(&seal.signature))
        .is_ok()
}

/// The seal of a stored certificate, rebuilt from its columns.
pub fn stored_seal(c: &StoredCertificate) -> Option<Seal> {
    let digest: [u8; 32] = hex::decode(&c.digest).ok()?.try_into().ok()?;
    let signature: [u8; 64] = B64.decode(&c.signature).ok()?.try_into().ok()?;
    Some(Seal {
        serial: c.serial.clone(),
        key_id: c.key_id.clone(),
        issued_at: c.issued_at.and_utc().timestamp(),
        digest_prefix: digest_prefix(&digest),
        signature,
    })
}

/// Verifies `serial` against the store, with the `c=` value of the scanned URL when there is
/// one (it must be the very seal issued) and against the `trusted` keys only, and logs the verification unless `log` is false (the
/// caller's budget of logged verifications is used up).
pub fn verify_online(
    conn: &mut DbConn,
    serial: &str,
    scanned: Option<&str>,
    typed_code: Option<&str>,
    trusted: &[PublishedKey],
    log: bool,
    now: NaiveDateTime,
) -> Result<Verification, CertificateError> {
    let found = if super::serial::is_well_formed(serial) {
        store::find(conn, serial)?
    } else {
        None
    };
    let subject = found.as_ref().map(|c| c.ssn.clone());
    let verification = match found {
        None => Verification {
            serial: serial.to_string(),
            verdict: Verdict::UnknownSerial,
            issued_at: None,
            key_id: None,
            supersedes: None,
            content: None,
            channel: None,
        },
        Some(c) => {
            let content: Option<Content> = serde_json::from_str(&c.content).ok();
            let intact = match (stored_seal(&c), &content) {
                (Some(seal), Some(content)) => {
                    // The kind column must say what the signed content says.
                    c.kind == content.kind.code()
                        && check_seal(&seal, trusted)
                        && seal.digest_prefix == digest_prefix(&digest(content))
                        && scanned.is_none_or(|s| Seal::decode(serial, s).ok() == Some(seal))
                }
                _ => false,
            };
            // The check code printed on the paper (查验码) proves the same possession.
            let typed = typed_code
                .zip(stored_seal(&c))
                .is_some_and(|(code, seal)| super::check_code::matches(code, &seal.signature));
            let verdict = match (&c.revoked_at, &c.superseded_by) {
                _ if !intact => Verdict::InvalidSignature,
                (Some(at), _) => Verdict::Revoked {
                    revoked_at: *at,
                    reason: c.revoke_reason.clone().unwrap_or_default(),
                },
                (None, Some(by)) => Verdict::Superseded {
                    superseded_by: by.clone(),
                },
                (None, None) => Verdict::Valid,
            };
            Verification {
                serial: c.serial,
                verdict,
                issued_at: Some(c.issued_at),
                key_id: Some(c.key_id),
                supersedes: c.supersedes,
                // The certified content only to whoever holds the QR code's seal: serials are
                // short and seen in logs and print lists, and alone would open a citizen's
                // contributions to anyone (review D12).
                content: content.filter(|_| intact && (scanned.is_some() || typed)),
                channel: None,
            }
        }
    };
    let mut verification = verification;
    if let (Some(ssn), true) = (&subject, verification.content.is_some()) {
        verification.channel = issue_channel(conn, ssn, &verification.serial)?;
    }
    // Junk serials are answered but not logged: the log is of certificates, not of noise.
    if !log {
        return Ok(verification);
    }
    if verification.verdict != Verdict::UnknownSerial || super::serial::is_well_formed(serial) {
        store::log_verification(conn, serial, verification.verdict.code(), now)?;
    }
    // A verification shows part of a citizen's record (masked) to whoever holds the QR code:
    // the citizen's own access log lists it, as "verified by scanning".
    if let Some(ssn) = subject {
        let entry = crate::audit::NewEntry {
            actor: "public".into(),
            action: "certificate.verify".into(),
            subject_ssn: Some(ssn),
            purpose: None,
            result: verification.verdict.code().into(),
            detail: Some(verification.serial.clone()),
        };
        crate::audit::append(conn, &entry, now)?;
    }
    Ok(verification)
}

/// kiosk, window or system: who issued `serial`, as the audit trail recorded it.
fn issue_channel(
    conn: &mut DbConn,
    ssn: &str,
    serial: &str,
) -> Result<Option<String>, CertificateError> {
    let entries = crate::audit::search(
        conn,
        &crate::audit::Filter {
            subject_ssn: Some(ssn.to_string()),
            action: Some("certificate.issue".into()),
            limit: 500,
            ..Default::default()
        },
    )?;
    let entry = entries.into_iter().find(|e| {
        e.detail
            .as_deref()
            .is_some_and(|d| d.split(' ').next() == Some(serial))
    });
    Ok(entry.map(|e| {
        match e.actor.split_once(':') {
            Some(("kiosk", _)) => "kiosk",
            Some(("staff", _)) => "window",
            _ => "system",
        }
        .to_string()
    }))
}

/// The outcome of an offline check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfflineVerdict {
    /// Signature valid (and, for a PDF, its embedded content matches the signed digest).
    /// Revocation can only be known online.
    Valid {
        serial: String,
        key_id: String,
    },
    UnknownKey(String),
    InvalidSignature,
    /// The signature is valid but the content in the file is not what was signed.
    ContentAltered,
}

#[derive(Debug, thiserror::Error)]
pub enum OfflineError {
    #[error(transparent)]
    Seal(#[from] SealError),
    #[error("this PDF is not an sskiosk certificate (no embedded certificate data)")]
    NotACertificate,
    #[error("the certificate data embedded in this PDF is damaged")]
    DamagedContent,
}

pub fn verify_qr_text(text: &str, keys: &[PublishedKey]) -> Result<OfflineVerdict, OfflineError> {
    let seal = Seal::parse_url(text)?;
    Ok(verdict_of(&seal, None, keys))
}

/// Verifies a certificate PDF: the embedded QR URL's signature, and the embedded content
/// against the signed digest.
pub fn verify_pdf(bytes: &[u8], keys: &[PublishedKey]) -> Result<OfflineVerdict, OfflineError> {
    let (seal, content) = read_pdf(bytes)?;
    Ok(verdict_of(&seal, Some(content.as_slice()), keys))
}

fn verdict_of(seal: &Seal, content: Option<&[u8]>, keys: &[PublishedKey]) -> OfflineVerdict {
    if !keys.iter().any(|k| k.key_id == seal.key_id) {
        return OfflineVerdict::UnknownKey(seal.key_id.clone());
    }
    if !check_seal(seal, keys) {
        return OfflineVerdict::InvalidSignature;
    }
    if let Some(content) = content {
        let d: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(content).into();
        if digest_prefix(&d) != seal.digest_prefix {
            return OfflineVerdict::ContentAltered;
        }
    }
    OfflineVerdict::Valid {
        serial: seal.serial.clone(),
        key_id: seal.key_id.clone(),
    }
}

/// The seal and canonical content bytes a certificate PDF carries in its information
/// dictionary (Keywords: the QR URL; Subject: the marker and the base64url content).
pub fn read_pdf(bytes: &[u8]) -> Result<(Seal, Vec<u8>), OfflineError> {
    let url = info_entry(bytes, b"/Keywords").ok_or(OfflineError::NotACertificate)?;
    if !url.contains("/verify/") {
        return Err(OfflineError::NotACertificate);
    }
    let seal = Seal::parse_url(&url)?;
    let subject = info_entry(bytes, b"/Subject").ok_or(OfflineError::NotACertificate)?;
    let content = subject
        .strip_prefix(CONTENT_MARKER)
        .ok_or(OfflineError::NotACertificate)?;
    let content = B64
        .decode(content.trim())
        .map_err(|_| OfflineError::DamagedContent)?;
    Ok((seal, content))
}

/// The text of an information-dictionary entry: a hex string (UTF-16BE with a byte-order mark,
/// as printpdf writes it, or bytes) or a literal string without escapes.
fn info_entry(bytes: &[u8], key: &[u8]) -> Option<String> {
    let at = bytes.windows(key.len()).position(|w| w == key)? + key.len();
    let rest = &bytes[at..];
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = &rest[start..];
    match rest.first()? {
        b'<' => {
            let end = rest.iter().position(|b| *b == b'>')?;
            let raw = hex::decode(
                rest[1..end]
                    .iter()
                    .filter(|b| !b.is_ascii_whitespace())
                    .copied()
                    .collect::<Vec<u8>>(),
            )
            .ok()?;
            match raw.strip_prefix(&[0xFE, 0xFF]) {
                Some(utf16) => {
                    let units: Vec<u16> = utf16
                        .chunks_exact(2)
                        .map(|p| u16::from_be_bytes([p[0], p[1]]))
                        .collect();
                    String::from_utf16(&units).ok()
                }
                None => String::from_utf8(raw).ok(),
            }
        }
        b'(' => {
            let end = rest.iter().position(|b| *b == b')')?;
            String::from_utf8(rest[1..end].to_vec()).ok()
        }
        _ => None,
    }
}
