//! This node as a terminal of the hall: it announces itself at start (so an admin's setting
//! holds from the first request, also after a restart) and then on every heartbeat, and applies
//! what admins set — out of service on the kiosk, the printer for new print jobs.

use super::registry::{self, Announce};
use super::{node_name, DeviceError, Kind, Settings};
use crate::config::Config;
use crate::db::DbPool;
use crate::kiosk::Kiosk;
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

pub struct ThisNode {
    pub name: String,
    pub kind: Kind,
    reader: String,
    configured_printer: String,
    pub heartbeat: Duration,
    settings: RwLock<Settings>,
    kiosk: Option<Arc<Kiosk>>,
    pool: DbPool,
}

impl ThisNode {
    /// Announces the node (an error here stops `serve`: a node that cannot reach the store
    /// cannot serve anyone) and starts its heartbeat thread, which ends with the node.
    pub fn start(
        config: &Config,
        pool: DbPool,
        kiosk: Option<Arc<Kiosk>>,
    ) -> Result<Arc<ThisNode>, DeviceError> {
        let kind = Kind::of(config);
        let reader = match kind {
            Kind::Window => config.window.reader.clone(),
            _ if config.card.readers.is_empty() => "(every reader)".into(),
            _ => config.card.readers.join(", "),
        };
        let configured_printer = match kind {
            Kind::Window if !config.window.printer_uri.is_empty() => {
                config.window.printer_uri.clone()
            }
            _ => config.print.printer_uri.clone(),
        };
        let node = Arc::new(ThisNode {
            name: node_name(&config.device.name)?,
            kind,
            reader,
            configured_printer,
            heartbeat: Duration::from_secs(config.device.heartbeat_seconds.max(1)),
            settings: RwLock::new(Settings {
                in_service: true,
                ..Settings::default()
            }),
            kiosk,
            pool,
        });
        node.beat()?;
        let weak = Arc::downgrade(&node);
        std::thread::Builder::new()
            .name("device-heartbeat".into())
            .spawn(move || heartbeats(weak))?;
        Ok(node)
    }

    /// Where this node's new print jobs go: the admin's printer when set, else the configured
    /// one (`configured`, which differs between the kiosk's and the window's printer).
    pub fn printer(&self, configured: &str) -> String {
        self.settings()
            .printer_override
            .unwrap_or_else(|| configured.to_string())
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A terminal is shown offline after three missed heartbeats.
    pub fn stale(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.heartbeat * 3).unwrap_or(chrono::Duration::MAX)
    }

    /// One heartbeat: report, read the settings back, apply them.
    fn beat(&self) -> Result<(), DeviceError> {
        let state = self.kiosk.as_ref().map_or(String::new(), |k| {
            serde_json::to_value(k.view().screen)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        });
        let report = Announce {
            name: self.name.clone(),
            kind: self.kind.code().into(),
            reader: self.reader.clone(),
            configured_printer: self.configured_printer.clone(),
            state,
            last_seen: chrono::Utc::now().naive_utc(),
        };
        let mut conn = self.pool.get()?;
        let settings = registry::announce(&mut conn, &report)?;
        let before = std::mem::replace(
            &mut *self.settings.write().unwrap_or_else(|e| e.into_inner()),
            settings.clone(),
        );
        if before != settings {
            tracing::info!(
                device = %self.name,
                in_service = settings.in_service,
                printer = settings.printer_override.as_deref().unwrap_or("(configured)"),
                "device settings applied"
            );
        }
        if let Some(kiosk) = &self.kiosk {
            kiosk.set_out_of_service((!settings.in_service).then(|| settings.note.clone()));
        }
        Ok(())
    }
}

fn heartbeats(node: Weak<ThisNode>) {
    loop {
        let Some(period) = node.upgrade().map(|n| n.heartbeat) else {
            return;
        };
        std::thread::sleep(period);
        let Some(node) = node.upgrade() else { return };
        // A missed heartbeat keeps the last settings; the staff page shows the node offline.
        if let Err(e) = node.beat() {
            tracing::warn!(device = %node.name, "heartbeat failed: {e}");
        }
    }
}
