//! Payment certificates (参保缴费证明 and 待遇领取证明, see [`kind`]): frozen content, Ed25519 signature, QR code, PDF, and
//! verification online and offline. See docs/certificates.md for the formats.
//!
//! [`CertificateService`] holds what is loaded once at start-up (key, font, seal image) and
//! runs the use cases; every function taking a `DbConn` is blocking.

pub mod benefit;
pub mod canonical;
pub mod check_code;
pub mod content;
pub mod kind;
pub mod pdf;
pub mod qr;
pub mod seal;
pub mod serial;
pub mod sign;
pub mod store;
pub mod trust;
pub mod verify;

use crate::config::CertificateConfig;
use crate::db::DbConn;
use crate::domain::{BenefitKind, CitizenId, Insurance, Month};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::{NaiveDateTime, Timelike};
use content::{Content, Selection};
use diesel::Connection;
use kind::CertificateKind;
use pdf::font::{CertFont, FontError};
use seal::Seal;
use sign::{KeyError, OfficeKey};
use store::StoredCertificate;

#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error(transparent)]
    Font(#[from] FontError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("cannot load the seal image {path}: {reason}")]
    Seal { path: String, reason: String },
    #[error("no person with ID number {0}")]
    UnknownPerson(String),
    #[error("{0} received no benefit of the chosen kinds in the chosen months: there is nothing to certify")]
    NoBenefits(String),
    #[error("no certificate with serial {0}")]
    UnknownSerial(String),
    #[error("certificate {0} is revoked and cannot be reissued or printed")]
    Revoked(String),
    #[error("certificate {serial} was already reissued as {by}")]
    AlreadyReissued { serial: String, by: String },
    #[error(transparent)]
    Qr(#[from] qr::QrError),
    #[error("stored certificate {0} is damaged")]
    Corrupt(String),
    #[error(transparent)]
    Record(#[from] crate::record::RecordError),
    #[error("database query failed: {0}")]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
}

/// What a certificate certifies, besides the month range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A contribution certificate of these insurances (every one on record when empty).
    Contributions(Vec<Insurance>),
    /// A benefit certificate of these benefit kinds (every one on record when empty).
    Benefits(Vec<BenefitKind>),
}

impl Subject {
    pub fn kind(&self) -> CertificateKind {
        match self {
            Subject::Contributions(_) => CertificateKind::Contribution,
            Subject::Benefits(_) => CertificateKind::Benefit,
        }
    }

    /// The subject of a stored certificate, from its frozen content (for a reissue).
    fn of(content: &Content) -> Option<Subject> {
        Some(match content.kind {
            CertificateKind::Contribution => Subject::Contributions(
                (content.selection.insurances.iter())
                    .map(|c| Insurance::parse(c).ok())
                    .collect::<Option<_>>()?,
            ),
            CertificateKind::Benefit => Subject::Benefits(
                (content.selection.benefits.iter())
                    .map(|c| BenefitKind::parse(c).ok())
                    .collect::<Option<_>>()?,
            ),
        })
    }
}

/// A certificate just issued.
pub struct Issued {
    pub serial: String,
    pub url: String,
    pub content: Content,
    pub pdf: Vec<u8>,
}

pub struct CertificateService {
    key: OfficeKey,
    trusted: trust::TrustedKeys,
    font: CertFont,
    seal: Option<printpdf::RawImage>,
    office: String,
    base_url: String,
    /// `certificate.valid_without_seal`: the bureau states its certificates are valid without a
    /// stamp (then the PDF says so); otherwise a kiosk prints only with a seal image.
    valid_without_seal: bool,
}

impl CertificateService {
    /// Loads the font, the seal image and the key (generating the key on first use).
    pub fn from_config(config: &CertificateConfig) -> Result<CertificateService, CertificateError> {
        let font = CertFont::load(&config.font_path, config.font_index)?;
        let seal = match &config.seal_image {
            None => None,
            Some(path) => {
                let fail = |reason: String| CertificateError::Seal {
                    path: path.display().to_string(),
                    reason,
                };
                let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
                Some(printpdf::RawImage::decode_from_bytes(&bytes, &mut Vec::new()).map_err(fail)?)
            }
        };
        let (key, generated) = OfficeKey::load_or_generate(&config.key_path)?;
        if generated {
            tracing::warn!(
                key_id = key.key_id(),
                path = %config.key_path.display(),
                "no office key found: generated a new one"
            );
        }
        let trusted = trust::TrustedKeys::new(&key, &config.trusted_keys)?;
        Ok(CertificateService {
            key,
            trusted,
            font,
            seal,
            office: config.office_name.clone(),
            base_url: config.public_base_url.clone(),
            valid_without_seal: config.valid_without_seal,
        })
    }

    /// Whether a kiosk may print: with a seal image, or where the bureau states its certificates
    /// are valid without a stamp. A bank rejects an unsealed kiosk printout otherwise (C1).
    pub fn kiosk_may_print(&self) -> bool {
        self.seal.is_some() || self.valid_without_seal
    }

    pub fn key(&self) -> &OfficeKey {
        &self.key
    }

    /// The keys a verification trusts (certificate::trust).
    pub fn trusted(&self) -> &trust::TrustedKeys {
        &self.trusted
    }

    /// Issues a certificate of `ssn` for `subject` and the month range.
    pub fn issue(
        &self,
        conn: &mut DbConn,
        ssn: &CitizenId,
        subject: &Subject,
        from: Option<Month>,
        to: Option<Month>,
    ) -> Result<Issued, CertificateError> {
        self.issue_superseding(conn, ssn, subject, from, to, None)
    }

    /// The frozen content of a new certificate, built from today's data.
    fn build_content(
        &self,
        conn: &mut DbConn,
        ssn: &CitizenId,
        subject: &Subject,
        from: Option<Month>,
        to: Option<Month>,
    ) -> Result<Content, CertificateError> {
        let record = crate::record::unified_record(conn, ssn)?
            .ok_or_else(|| CertificateError::UnknownPerson(ssn.masked()))?;
        match subject {
            Subject::Contributions(insurances) => {
                let rows =
                    crate::record::contributions::contributions(conn, ssn, insurances, from, to)?;
                let selection = Selection {
                    insurances: insurances.iter().map(|i| i.code().to_string()).collect(),
                    benefits: Vec::new(),
                    from: from.map(|m| m.to_string()),
                    to: to.map(|m| m.to_string()),
                };
                Ok(Content::build(&self.office, &record, &rows, selection))
            }
            Subject::Benefits(kinds) => {
                let request = benefit::BenefitRequest { kinds, from, to };
                benefit::build(&self.office, &record, &request)
                    .ok_or_else(|| CertificateError::NoBenefits(ssn.masked()))
            }
        }
    }

    fn issue_superseding(
        &self,
        conn: &mut DbConn,
        ssn: &CitizenId,
        subject: &Subject,
        from: Option<Month>,
        to: Option<Month>,
        supersedes: Option<&str>,
    ) -> Result<Issued, CertificateError> {
        let content = self.build_content(conn, ssn, subject, from, to)?;
        let now = chrono::Utc::now().naive_utc();
        // Whole seconds: the signed message carries unix seconds, the store must agree.
        let issued_at = now.with_nanosecond(0).unwrap_or(now);
        let serial = serial::new_serial(issued_at);
        let (stored, issued) = self.seal_and_render(&serial, issued_at, ssn, content)?;
        let stored = StoredCertificate {
            supersedes: supersedes.map(str::to_string),
            ..stored
        };
        conn.transaction(|conn| {
            store::remember_key(conn, &self.key.published(), now)?;
            store::insert(conn, &stored)?;
            if let Some(old) = supersedes {
                store::mark_superseded(conn, old, &serial)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        tracing::info!(serial, ssn = %ssn.masked(), "certificate issued");
        Ok(issued)
    }

    /// Signs and renders; nothing is stored yet.
    pub fn seal_and_render(
        &self,
        serial: &str,
        issued_at: NaiveDateTime,
        ssn: &CitizenId,
        content: Content,
    ) -> Result<(StoredCertificate, Issued), CertificateError> {
        let canonical = canonical::content_bytes(&content);
        let digest = canonical::digest_of(&canonical);
        let mut seal = Seal {
            serial: serial.to_string(),
            key_id: self.key.key_id().to_string(),
            issued_at: issued_at.and_utc().timestamp(),
            digest_prefix: canonical::digest_prefix(&digest),
            signature: [0; 64],
        };
        seal.signature = self.key.sign(&seal.message());
        let url = seal.url(&self.base_url);
        let pdf = self.render(&content, &canonical, &seal, issued_at)?;
        let stored = StoredCertificate {
            serial: serial.to_string(),
            ssn: ssn.as_str().to_string(),
            kind: content.kind.code().to_string(),
            key_id: seal.key_id.clone(),
            issued_at,
            content: String::from_utf8(canonical).expect("JSON is UTF-8"),
            digest: hex::encode(digest),
            signature: B64.encode(seal.signature),
            revoked_at: None,
            revoke_reason: None,
            supersedes: None,
            superseded_by: None,
        };
        Ok((
            stored,
            Issued {
                serial: serial.to_string(),
                url,
                content,
                pdf,
            },
        ))
    }

    fn render(
        &self,
        content: &Content,
        canonical: &[u8],
        seal: &Seal,
        issued_at: NaiveDateTime,
    ) -> Result<Vec<u8>, CertificateError> {
        let url = seal.url(&self.base_url);
        let address = format!(
            "{}/verify/{}",
            self.base_url.trim_end_matches('/'),
            seal.serial
        );
        let code = check_code::check_code(&seal.signature);
        let stamp = pdf::Stamp {
            serial: &seal.serial,
            issued_at,
            qr_url: &url,
            canonical_content: canonical,
            verify_address: &address,
            check_code: &code,
            valid_without_seal: self.valid_without_seal,
        };
        Ok(pdf::render(
            &self.font,
            self.seal.as_ref(),
            content,
            &stamp,
        )?)
    }

    /// The PDF of a stored certificate, rendered again from its frozen content (for printing).
    pub fn pdf_of(
        &self,
        conn: &mut DbConn,
        serial: &str,
    ) -> Result<(StoredCertificate, Vec<u8>), CertificateError> {
        let stored = store::find(conn, serial)?
            .ok_or_else(|| CertificateError::UnknownSerial(serial.to_string()))?;
        if stored.revoked_at.is_some() {
            return Err(CertificateError::Revoked(serial.to_string()));
        }
        let corrupt = || CertificateError::Corrupt(serial.to_string());
        let content: Content = serde_json::from_str(&stored.content).map_err(|_| corrupt())?;
        let seal = verify::stored_seal(&stored).ok_or_else(corrupt)?;
        // The stored text is the canonical encoding the digest was taken of.
        let pdf = self.render(&content, stored.content.as_bytes(), &seal, stored.issued_at)?;
        Ok((stored, pdf))
    }

    /// Issues a new certificate of the same selection from today's data, superseding `serial`.
    pub fn reissue(&self, conn: &mut DbConn, serial: &str) -> Result<Issued, CertificateError> {
        let old = store::find(conn, serial)?
            .ok_or_else(|| CertificateError::UnknownSerial(serial.to_string()))?;
        if old.revoked_at.is_some() {
            return Err(CertificateError::Revoked(serial.to_string()));
        }
        if let Some(by) = old.superseded_by {
            return Err(CertificateError::AlreadyReissued {
                serial: serial.to_string(),
                by,
            });
        }
        let corrupt = || CertificateError::Corrupt(serial.to_string());
        let content: Content = serde_json::from_str(&old.content).map_err(|_| corrupt())?;
        let ssn = CitizenId::parse(&old.ssn).map_err(|_| corrupt())?;
        let subject = Subject::of(&content).ok_or_else(corrupt)?;
        let month = |m: &Option<String>| {
            m.as_deref()
                .map(|m| Month::parse(m).map_err(|_| corrupt()))
                .transpose()
        };
        let (from, to) = (
            month(&content.selection.from)?,
            month(&content.selection.to)?,
        );
        self.issue_superseding(conn, &ssn, &subject, from, to, Some(serial))
    }

    /// Revokes `serial`; false when it was already revoked.
    pub fn revoke(
        &self,
        conn: &mut DbConn,
        serial: &str,
        reason: &str,
    ) -> Result<bool, CertificateError> {
        if store::find(conn, serial)?.is_none() {
            return Err(CertificateError::UnknownSerial(serial.to_string()));
        }
        Ok(store::revoke(
            conn,
            serial,
            reason,
            chrono::Utc::now().naive_utc(),
        )?)
    }
}
