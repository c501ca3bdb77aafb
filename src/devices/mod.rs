//! The service hall's terminals: every `sskiosk serve` node (a kiosk PC, a window PC, an office
//! server) registers itself in the shared store and reports on a heartbeat ([`node`]); admins
//! see them all on the staff page, take one out of service or point it at another printer
//! ([`registry`]), and the node applies that on its next heartbeat. A kiosk stays a node's own
//! card reader plus its configuration; what an admin may change from a browser is what a
//! service hall changes during the day (a broken printer, a kiosk to close). See docs/devices.md.

pub mod node;
pub mod registry;

use chrono::NaiveDateTime;
use serde::Serialize;

/// Longest note shown on an out-of-service kiosk.
pub const NOTE_MAX_CHARS: usize = 120;

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error("no terminal named {0:?} has registered")]
    Unknown(String),
    #[error("the note is longer than {NOTE_MAX_CHARS} characters")]
    LongNote,
    #[error("{0}")]
    BadPrinter(String),
    #[error("device.name {0:?}: use 1-64 letters, digits, '.', '-' or '_'")]
    BadName(String),
    #[error("database: {0}")]
    Store(#[from] diesel::result::Error),
    #[error("no database connection: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("cannot start the heartbeat thread: {0}")]
    Thread(#[from] std::io::Error),
    #[error("audit log: {0}")]
    Audit(#[from] crate::audit::AuditError),
}

/// What a center node is, from its configuration (kiosks are enrolled terminals now, listed
/// under their own kind: docs/terminals.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Serves a window: it has the window's printer configured.
    Window,
    /// Neither: an office or API node.
    Server,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Window => "window",
            Kind::Server => "server",
        }
    }

    pub fn of(config: &crate::config::Config) -> Kind {
        if !config.window.printer_uri.is_empty() {
            Kind::Window
        } else {
            Kind::Server
        }
    }
}

/// What an admin sets for a terminal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    pub in_service: bool,
    /// Shown on an out-of-service kiosk (e.g. "请到 3 号窗口办理").
    pub note: String,
    /// Replaces the configured printer while set.
    pub printer_override: Option<String>,
}

/// A terminal as the staff page lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Device {
    pub name: String,
    pub kind: String,
    pub reader: String,
    pub configured_printer: String,
    /// `printer_override` when set, else `configured_printer`.
    pub printer: String,
    pub printer_override: Option<String>,
    pub state: String,
    /// The printer as the node last found it: `ready`, or the printer's reason (empty until
    /// the first check).
    pub printer_state: String,
    pub in_service: bool,
    pub note: String,
    #[schema(value_type = String)]
    pub last_seen: NaiveDateTime,
    /// Whether its last heartbeat is recent (within three heartbeats).
    pub online: bool,
    pub changed_by: Option<String>,
    #[schema(value_type = Option<String>)]
    pub changed_at: Option<NaiveDateTime>,
}

/// Checks an admin's change before anything is written.
pub fn validate(settings: &Settings) -> Result<(), DeviceError> {
    if settings.note.chars().count() > NOTE_MAX_CHARS {
        return Err(DeviceError::LongNote);
    }
    if let Some(uri) = &settings.printer_override {
        // A print folder (file://) would let a browser account make the node write files where
        // it chooses; folders stay in the node's configuration, set by whoever runs the node.
        if !(uri.starts_with("ipp://") || uri.starts_with("ipps://")) {
            return Err(DeviceError::BadPrinter(format!(
                "printer {uri:?}: from the staff page use an ipp:// or ipps:// printer; a print \
                 folder is set in the node's configuration"
            )));
        }
        crate::print::Printer::from_uri(uri).map_err(|e| DeviceError::BadPrinter(e.to_string()))?;
    }
    Ok(())
}

/// The node's name as configured (refused unless valid: the admin chose it), or the machine's
/// host name made valid (a newcomer's machine must start whatever it is called).
pub fn node_name(configured: &str) -> Result<String, DeviceError> {
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if !configured.is_empty() {
        return if configured.len() <= 64 && configured.chars().all(valid) {
            Ok(configured.to_string())
        } else {
            Err(DeviceError::BadName(configured.to_string()))
        };
    }
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let name: String = host
        .trim()
        .chars()
        .map(|c| if valid(c) { c } else { '-' })
        .take(64)
        .collect();
    Ok(if name.is_empty() {
        "sskiosk".into()
    } else {
        name
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_changes_are_checked() {
        assert_eq!(node_name("kiosk-01").unwrap(), "kiosk-01");
        assert!(node_name("kiosk 01").is_err());
        assert!(node_name(&"x".repeat(65)).is_err());
        assert!(
            !node_name("").unwrap().is_empty(),
            "falls back to the host name"
        );
        let mut s = Settings {
            in_service: false,
            note: "请到 3 号窗口办理".into(),
            printer_override: Some("ipp://127.0.0.1:631/ipp/print".into()),
        };
        validate(&s).unwrap();
        s.note = "长".repeat(NOTE_MAX_CHARS + 1);
        assert!(matches!(validate(&s), Err(DeviceError::LongNote)));
        s.note.clear();
        for bad in ["lpt1", "file:///etc", "ipp:/x"] {
            s.printer_override = Some(bad.into());
            assert!(
                matches!(validate(&s), Err(DeviceError::BadPrinter(_))),
                "{bad}"
            );
        }
    }
}
