//! The center's own certificate authority for its terminals (rcgen). It signs two kinds of
//! certificate: each terminal's device certificate (client authentication only, short-lived),
//! and the center's own server certificate for the terminal port, made anew at every start for
//! the configured names. Terminals trust this CA alone; the CA key never leaves the center.
//!
//! A device's certificate request is used only for its public key: every field of the
//! certificate is the center's (docs/terminals.md: a parsed request carries the requester's
//! subject, names, key usages and CA flag, and signing it as it is would let a device ask to
//! become a CA).

use crate::private_file::{create_private_dir, write_atomic};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateSigningRequestParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A request larger than this is refused before it is parsed (a real one is under 1 KiB).
pub const MAX_REQUEST_BYTES: usize = 8 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum CaError {
    #[error("terminal CA files in {dir}: {reason}")]
    Files { dir: String, reason: String },
    #[error("the certificate request is larger than {MAX_REQUEST_BYTES} bytes")]
    RequestTooLarge,
    #[error("the certificate request is not a valid signed PKCS#10 request in PEM: {0}")]
    BadRequest(String),
    #[error("cannot sign: {0}")]
    Sign(String),
}

/// A device certificate just signed.
#[derive(Debug, Clone)]
pub struct Issued {
    pub pem: String,
    pub serial: String,
    /// SHA-256 of the DER, hex: how the terminal port recognises it.
    pub fingerprint: String,
    pub not_after: chrono::NaiveDateTime,
}

pub struct DeviceCa {
    issuer: Issuer<'static, KeyPair>,
    ca_der: CertificateDer<'static>,
    ca_pem: String,
}

impl DeviceCa {
    /// Opens the CA kept in `dir` (`ca.key`, `ca.pem`), creating it on first start. The key
    /// file is written 0600 in a folder of 0700, atomically (a crash leaves no half key).
    pub fn open_or_create(dir: &Path) -> Result<DeviceCa, CaError> {
        let files = |reason: String| CaError::Files {
            dir: dir.display().to_string(),
            reason,
        };
        let key_path = dir.join("ca.key");
        let cert_path = dir.join("ca.pem");
        if !key_path.exists() {
            create_private_dir(dir).map_err(|e| files(e.to_string()))?;
            let key = KeyPair::generate().map_err(|e| files(e.to_string()))?;
            let mut params = CertificateParams::default();
            params.distinguished_name = name("sskiosk terminal CA");
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            params.not_before = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
            params.not_after = time::OffsetDateTime::now_utc() + time::Duration::days(3650);
            params.serial_number = Some(random_serial());
            let cert = params.self_signed(&key).map_err(|e| files(e.to_string()))?;
            write_atomic(&cert_path, cert.pem().as_bytes()).map_err(|e| files(e.to_string()))?;
            // The key last: a folder with a key always has its certificate.
            write_atomic(&key_path, key.serialize_pem().as_bytes())
                .map_err(|e| files(e.to_string()))?;
            tracing::info!(dir = %dir.display(), "created the terminal CA");
        }
        let key_pem = std::fs::read_to_string(&key_path).map_err(|e| files(e.to_string()))?;
        let ca_pem = std::fs::read_to_string(&cert_path).map_err(|e| files(e.to_string()))?;
        let key = KeyPair::from_pem(&key_pem).map_err(|e| files(format!("ca.key: {e}")))?;
        let ca_der = pem_certificates(&ca_pem)
            .map_err(|e| files(format!("ca.pem: {e}")))?
            .into_iter()
            .next()
            .ok_or_else(|| files("ca.pem holds no certificate".into()))?;
        let issuer = Issuer::from_ca_cert_der(&ca_der, key)
            .map_err(|e| files(format!("ca.pem does not match ca.key: {e}")))?;
        Ok(DeviceCa {
            issuer,
            ca_der,
            ca_pem,
        })
    }

    pub fn certificate_pem(&self) -> &str {
        &self.ca_pem
    }

    pub fn certificate_der(&self) -> &CertificateDer<'static> {
        &self.ca_der
    }

    /// What an enrolment code carries to pin this CA: the first 16 bytes of its SHA-256, hex.
    pub fn pin(&self) -> String {
        pin_of(&self.ca_der)
    }

    /// Signs a device certificate for `terminal` over the public key of `request_pem`, valid
    /// `validity` from now. Nothing of the request but its key is used.
    pub fn sign_device(
        &self,
        request_pem: &str,
        terminal: &str,
        validity: chrono::Duration,
    ) -> Result<Issued, CaError> {
        if request_pem.len() > MAX_REQUEST_BYTES {
            return Err(CaError::RequestTooLarge);
        }
        let mut request = CertificateSigningRequestParams::from_pem(request_pem)
            .map_err(|e| CaError::BadRequest(e.to_string()))?;
        if request.params.is_ca != IsCa::NoCa {
            tracing::warn!(terminal, "a certificate request asked for a CA certificate; issued a device certificate instead");
        }
        let now = time::OffsetDateTime::now_utc();
        let seconds = validity.num_seconds().max(60);
        let mut params = CertificateParams::default();
        params.distinguished_name = name(terminal);
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        // A few minutes back, so a terminal whose clock is slightly behind still accepts it.
        params.not_before = now - time::Duration::minutes(5);
        params.not_after = now + time::Duration::seconds(seconds);
        let serial = random_serial();
        params.serial_number = Some(serial.clone());
        params.use_authority_key_identifier_extension = true;
        request.params = params;
        let cert = request
            .signed_by(&self.issuer)
            .map_err(|e| CaError::Sign(e.to_string()))?;
        Ok(Issued {
            pem: cert.pem(),
            serial: hex::encode(serial.to_bytes()),
            fingerprint: fingerprint(cert.der()),
            not_after: chrono::Utc::now().naive_utc() + chrono::Duration::seconds(seconds),
        })
    }

    /// A fresh server certificate for the terminal port, for `names` (DNS names or IP
    /// addresses), with its key; valid one year, made at every start so names can change.
    pub fn server_identity(
        &self,
        names: &[String],
    ) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), CaError> {
        let key = KeyPair::generate().map_err(|e| CaError::Sign(e.to_string()))?;
        let mut params = CertificateParams::default();
        params.distinguished_name = name("sskiosk center");
        params.subject_alt_names = names
            .iter()
            .map(|n| match n.parse::<std::net::IpAddr>() {
                Ok(ip) => Ok(SanType::IpAddress(ip)),
                Err(_) => n
                    .clone()
                    .try_into()
                    .map(SanType::DnsName)
                    .map_err(|e| CaError::Sign(format!("center.tls_names {n:?}: {e}"))),
            })
            .collect::<Result<_, _>>()?;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.not_before = time::OffsetDateTime::now_utc() - time::Duration::minutes(5);
        params.not_after = time::OffsetDateTime::now_utc() + time::Duration::days(365);
        params.serial_number = Some(random_serial());
        params.use_authority_key_identifier_extension = true;
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(|e| CaError::Sign(e.to_string()))?;
        let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        // The chain carries the CA too: an enrolling terminal finds the pinned CA in it.
        Ok((vec![cert.der().clone(), self.ca_der.clone()], key_der))
    }
}

fn name(common: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "sskiosk");
    dn.push(DnType::CommonName, common);
    dn
}

fn random_serial() -> SerialNumber {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    // Positive as a DER integer.
    bytes[0] &= 0x7F;
    SerialNumber::from_slice(&bytes)
}

pub fn fingerprint(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

pub fn pin_of(der: &[u8]) -> String {
    hex::encode(&Sha256::digest(der)[..16])
}

/// The certificates of a PEM text, in order.
pub fn pem_certificates(pem: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    use rustls_pki_types::pem::PemObject;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    if certs.is_empty() {
        return Err("no certificate in it".into());
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(ca: bool) -> (KeyPair, String) {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(vec!["evil.example".to_string()]).unwrap();
        params.distinguished_name = name("admin");
        if ca {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
        }
        let csr = params.serialize_request(&key).unwrap().pem().unwrap();
        (key, csr)
    }

    #[test]
    fn a_device_certificate_takes_only_the_key_of_its_request() {
        let dir = tempfile::tempdir().unwrap();
        let ca = DeviceCa::open_or_create(&dir.path().join("ca")).unwrap();
        let (_, csr) = request(true);
        let issued = ca
            .sign_device(&csr, "kiosk-1", chrono::Duration::days(30))
            .unwrap();
        let der = pem_certificates(&issued.pem).unwrap().remove(0);
        let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert_eq!(
            cert.subject()
                .iter_common_name()
                .next()
                .unwrap()
                .as_str()
                .unwrap(),
            "kiosk-1"
        );
        assert!(!cert.is_ca(), "a request for a CA must not make one");
        assert!(cert.subject_alternative_name().unwrap().is_none());
        let eku = cert.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.client_auth && !eku.server_auth);
        assert_eq!(issued.fingerprint, fingerprint(&der));

        // Reopened from its files: the same CA.
        let again = DeviceCa::open_or_create(&dir.path().join("ca")).unwrap();
        assert_eq!(again.pin(), ca.pin());
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("ca/ca.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn garbage_and_oversized_requests_are_refused_with_their_reason() {
        let dir = tempfile::tempdir().unwrap();
        let ca = DeviceCa::open_or_create(dir.path()).unwrap();
        let days = chrono::Duration::days(1);
        assert!(matches!(
            ca.sign_device("hello", "k", days),
            Err(CaError::BadRequest(_))
        ));
        let (_, csr) = request(false);
        let truncated = &csr[..csr.len() / 2];
        assert!(matches!(
            ca.sign_device(truncated, "k", days),
            Err(CaError::BadRequest(_))
        ));
        let huge = "A".repeat(MAX_REQUEST_BYTES + 1);
        assert!(matches!(
            ca.sign_device(&huge, "k", days),
            Err(CaError::RequestTooLarge)
        ));
    }
}
