//! `sskiosk terminal enrol`: the terminal makes its own key pair (the private key never leaves
//! it), proves nothing but the one-time code, and receives a device certificate. The code's pin
//! is checked against the center's CA during the TLS handshake, before the code is sent, so a
//! man in the middle learns nothing and gets nothing.
//! Renewal uses the same request over the terminal's current certificate.

use super::client::{provider, CenterClient, CenterError};
use super::state::{Identity, State};
use crate::center::enrolment::Code;
use crate::protocol::{path, EnrolReply, EnrolRequest, RenewReply, RenewRequest};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum EnrolFailure {
    #[error("{0}")]
    Code(String),
    #[error("the center at {0} is not the one the code was made for (its CA does not match the code's pin): nothing was sent")]
    WrongCenter(String),
    #[error(transparent)]
    Center(#[from] CenterError),
    #[error(transparent)]
    State(#[from] super::state::StateError),
    #[error("cannot make the terminal's key or request: {0}")]
    Key(String),
}

/// Accepts the center's certificate only if it chains to a CA whose SHA-256 starts with the
/// code's pin (the CA travels in the center's chain).
#[derive(Debug)]
struct PinnedCa {
    pin: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for PinnedCa {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let ca = intermediates
            .iter()
            .find(|c| crate::center::ca::pin_of(c) == self.pin)
            .ok_or_else(|| {
                rustls::Error::General("center CA does not match the enrolment code's pin".into())
            })?;
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.clone().into_owned())?;
        let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(
            Arc::new(roots),
            self.provider.clone(),
        )
        .build()
        .map_err(|e| rustls::Error::General(e.to_string()))?;
        verifier.verify_server_cert(end_entity, &[], server_name, ocsp, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A new key pair and a certificate request over it (the center reads only the key).
fn key_and_request() -> Result<(String, String), EnrolFailure> {
    let key = rcgen::KeyPair::generate().map_err(|e| EnrolFailure::Key(e.to_string()))?;
    let params = rcgen::CertificateParams::new(Vec::<String>::new())
        .map_err(|e| EnrolFailure::Key(e.to_string()))?;
    let csr = params
        .serialize_request(&key)
        .and_then(|r| r.pem())
        .map_err(|e| EnrolFailure::Key(e.to_string()))?;
    Ok((key.serialize_pem(), csr))
}

/// Enrols this terminal at `center` with `code`, and writes the state folder `dir`.
pub fn enrol(
    center: &str,
    code: &str,
    dir: &Path,
    timeout: Duration,
) -> Result<State, EnrolFailure> {
    let code = Code::parse(code).map_err(|e| EnrolFailure::Code(e.to_string()))?;
    let center = center.trim().trim_end_matches('/');
    if !center.starts_with("https://") {
        return Err(EnrolFailure::Code(format!(
            "--center {center:?}: give the center's terminal port as https://HOST:PORT"
        )));
    }
    let provider = provider();
    let tls = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| EnrolFailure::Key(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedCa {
            pin: code.pin.clone(),
            provider,
        }))
        .with_no_client_auth();
    let client = CenterClient::new(center, tls, timeout);
    let (key_pem, csr) = key_and_request()?;
    let reply: EnrolReply = client
        .post(
            path::ENROL,
            None,
            &EnrolRequest {
                code: code.secret.clone(),
                csr,
            },
        )
        .map_err(|e| match e {
            CenterError::Unreachable(why) if why.contains("pin") => {
                EnrolFailure::WrongCenter(center.to_string())
            }
            other => EnrolFailure::Center(other),
        })?;
    // The CA the center sends must be the pinned one too.
    let ca = crate::center::ca::pem_certificates(&reply.ca)
        .map_err(|e| EnrolFailure::Center(CenterError::BadAnswer(format!("CA: {e}"))))?;
    if !ca.iter().any(|c| crate::center::ca::pin_of(c) == code.pin) {
        return Err(EnrolFailure::WrongCenter(center.to_string()));
    }
    let state = State {
        dir: dir.to_path_buf(),
        identity: Identity {
            center: center.to_string(),
            name: reply.name,
            kind: reply.kind,
            window_label: reply.window_label,
        },
        key_pem,
        certificate_pem: reply.certificate,
        ca_pem: reply.ca,
    };
    state.save()?;
    Ok(state)
}

/// The device certificate's expiry.
pub fn not_after(state: &State) -> Option<chrono::DateTime<chrono::Utc>> {
    let der = crate::center::ca::pem_certificates(&state.certificate_pem)
        .ok()?
        .into_iter()
        .next()?;
    let (_, cert) = x509_parser::parse_x509_certificate(&der).ok()?;
    chrono::DateTime::from_timestamp(cert.validity().not_after.timestamp(), 0)
}

/// Renews the certificate when less than a third of its life is left (or `force`); the new key
/// and certificate replace the old ones in `state`'s folder.
pub fn renew_if_due(
    state: &mut State,
    client: &CenterClient,
    force: bool,
) -> Result<bool, EnrolFailure> {
    let der = crate::center::ca::pem_certificates(&state.certificate_pem)
        .map_err(|e| EnrolFailure::Key(e.to_string()))?
        .remove(0);
    let (_, cert) =
        x509_parser::parse_x509_certificate(&der).map_err(|e| EnrolFailure::Key(e.to_string()))?;
    let from = cert.validity().not_before.timestamp();
    let until = cert.validity().not_after.timestamp();
    let now = chrono::Utc::now().timestamp();
    if !force && until - now > (until - from) / 3 {
        return Ok(false);
    }
    let (key_pem, csr) = key_and_request()?;
    let reply: RenewReply = client.post(path::RENEW, None, &RenewRequest { csr })?;
    state.key_pem = key_pem;
    state.certificate_pem = reply.certificate;
    state.save_renewal()?;
    tracing::info!(until = %reply.not_after, "terminal certificate renewed");
    Ok(true)
}
