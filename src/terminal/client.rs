//! The terminal's client of the center's terminal port: HTTPS with its device certificate, the
//! center's CA as the only root, keep-alive connections (no handshake per request), and a
//! bounded wait for every answer. Blocking (ureq): call from a blocking thread.

use super::state::State;
use crate::protocol::path;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum CenterError {
    /// No answer: network, TLS (e.g. a revoked CA, a clock far off) or a timeout.
    #[error("the center does not answer: {0}")]
    Unreachable(String),
    /// The center answered with an error: its stable code and sentence.
    #[error("the center refused ({status} {code}): {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the center's answer is not what this terminal expects: {0}")]
    BadAnswer(String),
    #[error("{0}")]
    Setup(String),
}

impl CenterError {
    pub fn code(&self) -> Option<&str> {
        match self {
            CenterError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// An answer passed through as it came (the kiosk's data calls).
pub struct Forwarded {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Largest answer the terminal takes from the center (a certificate preview is ~200 KB).
const MAX_ANSWER: u64 = 16 << 20;

pub struct CenterClient {
    agent: ureq::Agent,
    base: String,
}

pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls client configuration of an enrolled terminal.
pub fn tls_config(state: &State) -> Result<rustls::ClientConfig, CenterError> {
    let setup = |what: &str, e: &dyn std::fmt::Display| CenterError::Setup(format!("{what}: {e}"));
    let mut roots = rustls::RootCertStore::empty();
    for ca in crate::center::ca::pem_certificates(&state.ca_pem).map_err(|e| setup("ca.pem", &e))? {
        roots.add(ca).map_err(|e| setup("ca.pem", &e))?;
    }
    let chain: Vec<CertificateDer<'static>> =
        crate::center::ca::pem_certificates(&state.certificate_pem)
            .map_err(|e| setup("certificate.pem", &e))?;
    let key = PrivateKeyDer::from_pem_slice(state.key_pem.as_bytes())
        .map_err(|e| setup("key.pem", &e))?;
    rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| setup("TLS", &e))?
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .map_err(|e| setup("device certificate", &e))
}

impl CenterClient {
    pub fn new(base: &str, tls: rustls::ClientConfig, timeout: Duration) -> CenterClient {
        let agent = ureq::AgentBuilder::new()
            .tls_config(Arc::new(tls))
            .timeout_connect(timeout)
            .timeout(timeout)
            .max_idle_connections_per_host(4)
            .redirects(0)
            .build();
        CenterClient {
            agent,
            base: base.trim_end_matches('/').to_string(),
        }
    }

    pub fn for_state(state: &State, timeout: Duration) -> Result<CenterClient, CenterError> {
        Ok(CenterClient::new(
            &state.identity.center,
            tls_config(state)?,
            timeout,
        ))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs `body` as JSON to `path` (with the session's `token` if any) and reads the JSON
    /// answer.
    pub fn post<B: Serialize, R: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &B,
    ) -> Result<R, CenterError> {
        let mut request = self.agent.post(&self.url(path));
        if let Some(t) = token {
            request = request.set("Authorization", &format!("Bearer {t}"));
        }
        let value = serde_json::to_value(body).map_err(|e| CenterError::Setup(e.to_string()))?;
        match request.send_json(value) {
            Ok(response) if response.status() == 204 => {
                serde_json::from_value(serde_json::Value::Null)
                    .map_err(|e| CenterError::BadAnswer(e.to_string()))
            }
            Ok(response) => response
                .into_json()
                .map_err(|e| CenterError::BadAnswer(e.to_string())),
            Err(e) => Err(failure(e)),
        }
    }

    /// Passes a kiosk data call through to the center unchanged (same path and query), with the
    /// session's token, and hands back the center's answer whatever its status.
    pub fn forward(
        &self,
        method: &str,
        path_and_query: &str,
        token: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Forwarded, CenterError> {
        let mut request = self
            .agent
            .request(method, &self.url(path_and_query))
            .set("Authorization", &format!("Bearer {token}"));
        if let Some(ct) = content_type {
            request = request.set("Content-Type", ct);
        }
        let response = match request.send_bytes(body) {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(failure(e)),
        };
        let status = response.status();
        let content_type = response.content_type().to_string();
        let mut bytes = Vec::new();
        use std::io::Read;
        response
            .into_reader()
            .take(MAX_ANSWER)
            .read_to_end(&mut bytes)
            .map_err(|e| CenterError::Unreachable(e.to_string()))?;
        Ok(Forwarded {
            status,
            content_type,
            body: bytes,
        })
    }

    pub fn heartbeat(
        &self,
        report: &crate::protocol::Heartbeat,
    ) -> Result<crate::protocol::HeartbeatReply, CenterError> {
        self.post(path::HEARTBEAT, None, report)
    }
}

/// A ureq failure as ours: an error answer keeps the center's code and message.
pub fn failure(e: ureq::Error) -> CenterError {
    match e {
        ureq::Error::Status(status, response) => {
            let body: serde_json::Value = response.into_json().unwrap_or_default();
            CenterError::Refused {
                status,
                code: body["error"]["code"].as_str().unwrap_or("").to_string(),
                message: body["error"]["message"].as_str().unwrap_or("").to_string(),
            }
        }
        ureq::Error::Transport(t) => CenterError::Unreachable(t.to_string()),
    }
}
