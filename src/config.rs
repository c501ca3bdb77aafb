//! Typed configuration, read in layers: the defaults in config/default.toml (built in) → a file
//! given with `--config` → `SSKIOSK__SECTION__KEY` environment variables. Unknown keys are
//! rejected, so a misspelt key is an error rather than a silent default.

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use serde::Deserialize;
use std::path::Path;

const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub database: DatabaseConfig,
    pub server: ServerConfig,
    pub demo: DemoConfig,
    pub log: LogConfig,
    pub card: CardConfig,
    pub certificate: CertificateConfig,
    pub print: PrintConfig,
    pub kiosk: KioskConfig,
    pub staff: StaffConfig,
    pub window: WindowConfig,
    pub device: DeviceConfig,
    pub center: CenterConfig,
    pub terminal: TerminalConfig,
    pub checks: ChecksConfig,
    pub unemployment: crate::domain::unemployment::UnemploymentRules,
    pub http: HttpConfig,
    pub bureau: BureauConfig,
    pub hall: crate::hall::HallConfig,
}

/// The bureau as a whole (issue 11).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BureauConfig {
    /// IANA name of the zone every time people read is shown in (see domain::bureau_time).
    pub time_zone: String,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
    pub pool_size: u32,
}

/// The URL may carry a password: Debug shows it redacted.
impl std::fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = crate::db::DbUrl::parse(&self.url)
            .map(|u| u.redacted())
            .unwrap_or_else(|_| "<unparsable>".into());
        f.debug_struct("DatabaseConfig")
            .field("url", &url)
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub bind: String,
    pub workers: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoConfig {
    pub citizens_on_empty_store: u32,
    pub seed: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub filter: String,
    pub format: crate::log_lines::LogFormat,
}

/// Payment certificates (issue 4); see docs/certificates.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateConfig {
    pub office_name: String,
    pub public_base_url: String,
    pub key_path: std::path::PathBuf,
    pub font_path: std::path::PathBuf,
    pub font_index: usize,
    pub seal_image: Option<std::path::PathBuf>,
    pub trusted_keys: Vec<String>,
    pub valid_without_seal: bool,
}

/// The print queue and its printer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintConfig {
    pub printer_uri: String,
    pub max_attempts: u32,
    pub backoff_seconds: u64,
    pub max_backoff_seconds: u64,
    pub monthly_limit_per_citizen: u32,
    pub worker: bool,
    pub kiosk_job_seconds: u64,
    pub keep_printed_hours: u32,
    pub allowed_printer_hosts: Vec<String>,
}

/// The citizen's self-service kiosk (issue 5); see docs/kiosk-setup.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    pub allowed_clients: Vec<String>,
    pub idle_timeout_seconds: u64,
    pub warning_seconds: u64,
    pub help_desk: String,
    pub pin_pad_shuffled: bool,
}

/// Window staff accounts and sessions (issue 6); see docs/staff.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffConfig {
    pub idle_minutes: u32,
    pub idle_seconds_extra: u32,
    pub max_session_minutes: u32,
    pub secure_cookie: bool,
    pub password_min_length: usize,
    pub lockout_after: u32,
    pub lockout_minutes: u32,
    pub address_failures_per_window: u32,
    pub address_window_minutes: u32,
    pub import_max_mb: u32,
}

/// The center's terminal port and device CA (issue 10); see docs/terminals.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CenterConfig {
    pub terminal_bind: String,
    pub tls_names: Vec<String>,
    pub state_dir: std::path::PathBuf,
    pub enrol_code_minutes: u32,
    pub device_certificate_hours: u32,
    pub enrol_failures_per_window: u32,
    pub enrol_window_minutes: u32,
}

/// `sskiosk terminal`: a kiosk or window PC reaching the center (issue 10).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalConfig {
    pub state_dir: std::path::PathBuf,
    pub listen: String,
    pub heartbeat_seconds: u64,
    pub request_timeout_ms: u64,
}

/// Limits and checks of every HTTP request (issue 13); see docs/operations.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    pub allowed_hosts: Vec<String>,
    pub request_seconds: u64,
    pub upload_seconds: u64,
    pub connections_per_peer: u32,
    pub keep_alive_seconds: u64,
    pub metrics_clients: Vec<String>,
}

/// This node as a terminal of the hall (docs/devices.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceConfig {
    pub name: String,
    pub heartbeat_seconds: u64,
}

/// Fund-safety cross-checks (issue 12); see docs/cross-checks.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksConfig {
    /// Run the checks every night inside `serve` on this node.
    pub nightly: bool,
    /// When, HH:MM in bureau time (UTC+8).
    pub nightly_at: String,
    /// Only the citizens written since the last run (true), or the whole store (false).
    pub nightly_incremental: bool,
}

/// The windows' printer (issue 6). Their card readers are on the window terminals (issue 10).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowConfig {
    pub printer_uri: String,
}

/// Card readers and the virtual card (issue 3); see docs/card.md.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardConfig {
    pub readers: Vec<String>,
    pub psam_reader: String,
    pub security_module: SecurityModuleKind,
    pub test_master_key: String,
    pub vpcd_host: String,
    pub vpcd_port: u16,
}

/// Where third-generation (3.00) cards are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecurityModuleKind {
    None,
    Test,
    Psam,
}

/// The test master key is a secret even if only a test one: Debug shows it redacted.
impl std::fmt::Debug for CardConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardConfig")
            .field("readers", &self.readers)
            .field("psam_reader", &self.psam_reader)
            .field("security_module", &self.security_module)
            .field("test_master_key", &"<redacted>")
            .field("vpcd_host", &self.vpcd_host)
            .field("vpcd_port", &self.vpcd_port)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {0} does not exist")]
    Missing(String),
    #[error("configuration is invalid: {0}")]
    Invalid(String),
}

impl Config {
    /// Loads the layers; `file` is the optional `--config` path.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Self::load_from(file, Env::prefixed("SSKIOSK__").split("__"))
    }

    fn load_from(file: Option<&Path>, env: Env) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError::Missing(path.display().to_string()));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment
            .merge(env.lowercase(true))
            .extract()
            .map_err(|e| ConfigError::Invalid(describe(e)))
    }
}

/// Figment's errors name the key and the layer it came from; join them into one line.
fn describe(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let origin = e
                .metadata
                .as_ref()
                .map(|m| format!(" (from {})", m.name))
                .unwrap_or_default();
            if key.is_empty() {
                format!("{}{origin}", e.kind)
            } else {
                format!("{key}: {}{origin}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn no_env() -> Env {
        Env::prefixed("SSKIOSK_TEST_UNUSED_PREFIX__").split("__")
    }

    #[test]
    fn defaults_alone_are_a_complete_config() {
        let c = Config::load_from(None, no_env()).unwrap();
        assert_eq!(c.database.url, "sqlite://data/sskiosk.db");
        assert_eq!(c.server.bind, "127.0.0.1:8080");
    }

    #[test]
    fn a_file_overrides_defaults_and_unknown_keys_are_named() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "[server]\nbind = \"0.0.0.0:9000\"").unwrap();
        let c = Config::load_from(Some(f.path()), no_env()).unwrap();
        assert_eq!(c.server.bind, "0.0.0.0:9000");

        let mut bad = tempfile::NamedTempFile::new().unwrap();
        writeln!(bad, "[server]\nbnid = \"0.0.0.0:9000\"").unwrap();
        let err = Config::load_from(Some(bad.path()), no_env())
            .unwrap_err()
            .to_string();
        assert!(err.contains("bnid"), "{err}");
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let err = Config::load_from(Some(Path::new("/nonexistent/x.toml")), no_env()).unwrap_err();
        assert!(matches!(err, ConfigError::Missing(_)));
    }

    #[test]
    fn database_passwords_are_redacted_in_debug() {
        let c = DatabaseConfig {
            url: "postgres://u:pw@h/db".into(),
            pool_size: 1,
        };
        assert!(!format!("{c:?}").contains("pw@"));
    }
}
