//! The terminal's state folder: all it holds, and all a thief gets from it — the center's
//! address and CA certificate, the terminal's own private key (0600) and device certificate.
//! No database URL, signing key or card key is ever written here.
//!
//! Files are replaced atomically (written aside, then renamed), and `terminal.json` is written
//! last, so an enrolment cut short leaves the folder as "not enrolled", never half-enrolled.

use crate::private_file::{create_private_dir, write_atomic};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("this terminal is not enrolled yet (no {0}): run `sskiosk terminal enrol --center https://HOST:PORT --code CODE`")]
    NotEnrolled(String),
    #[error("terminal state {path}: {reason}")]
    Files { path: String, reason: String },
}

/// What `terminal.json` says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    /// `https://HOST:PORT` of the center's terminal port.
    pub center: String,
    pub name: String,
    pub kind: String,
    pub window_label: String,
}

/// An enrolled terminal's state, read whole.
#[derive(Clone)]
pub struct State {
    pub dir: PathBuf,
    pub identity: Identity,
    pub key_pem: String,
    pub certificate_pem: String,
    pub ca_pem: String,
}

/// Never print the key.
impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("dir", &self.dir)
            .field("identity", &self.identity)
            .field("key_pem", &"<redacted>")
            .finish()
    }
}

const IDENTITY: &str = "terminal.json";
const KEY: &str = "key.pem";
const CERTIFICATE: &str = "certificate.pem";
const CA: &str = "ca.pem";

fn files(path: &Path, e: impl std::fmt::Display) -> StateError {
    StateError::Files {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

impl State {
    pub fn load(dir: &Path) -> Result<State, StateError> {
        let identity_path = dir.join(IDENTITY);
        if !identity_path.exists() {
            return Err(StateError::NotEnrolled(identity_path.display().to_string()));
        }
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|e| files(&path, e))
        };
        let identity: Identity =
            serde_json::from_str(&read(IDENTITY)?).map_err(|e| files(&identity_path, e))?;
        Ok(State {
            dir: dir.to_path_buf(),
            identity,
            key_pem: read(KEY)?,
            certificate_pem: read(CERTIFICATE)?,
            ca_pem: read(CA)?,
        })
    }

    /// Writes the whole state (enrolment): the old identity goes first, the new one last.
    pub fn save(&self) -> Result<(), StateError> {
        create_private_dir(&self.dir).map_err(|e| files(&self.dir, e))?;
        let identity_path = self.dir.join(IDENTITY);
        if identity_path.exists() {
            std::fs::remove_file(&identity_path).map_err(|e| files(&identity_path, e))?;
        }
        self.write(KEY, &self.key_pem)?;
        self.write(CERTIFICATE, &self.certificate_pem)?;
        self.write(CA, &self.ca_pem)?;
        let json =
            serde_json::to_string_pretty(&self.identity).map_err(|e| files(&identity_path, e))?;
        self.write(IDENTITY, &json)
    }

    /// Replaces key and certificate after a renewal (each file atomically; the key is only
    /// replaced together with a certificate for it, key first is never left alone: the old
    /// certificate is kept until the new key is in place, then replaced).
    pub fn save_renewal(&self) -> Result<(), StateError> {
        self.write(KEY, &self.key_pem)?;
        self.write(CERTIFICATE, &self.certificate_pem)
    }

    fn write(&self, name: &str, text: &str) -> Result<(), StateError> {
        let path = self.dir.join(name);
        write_atomic(&path, text.as_bytes()).map_err(|e| files(&path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_a_folder_without_identity_is_not_enrolled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        assert!(matches!(
            State::load(&path),
            Err(StateError::NotEnrolled(_))
        ));
        let state = State {
            dir: path.clone(),
            identity: Identity {
                center: "https://127.0.0.1:8443".into(),
                name: "kiosk-1".into(),
                kind: "kiosk".into(),
                window_label: String::new(),
            },
            key_pem: "KEY".into(),
            certificate_pem: "CERT".into(),
            ca_pem: "CA".into(),
        };
        state.save().unwrap();
        let again = State::load(&path).unwrap();
        assert_eq!(again.identity, state.identity);
        assert!(!format!("{again:?}").contains("KEY\""));
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path.join(KEY)), 0o600);
        assert_eq!(mode(&path), 0o700);
    }
}
