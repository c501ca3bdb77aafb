//! This node as a terminal of the hall: it announces itself at start (so an admin's setting
//! holds from the first request, also after a restart) and then on every heartbeat, and applies
//! what admins set — out of service on the kiosk, the printer for new print jobs.

use super::registry::{self, Announce};
use super::{node_name, DeviceError, Kind, Settings};
use crate::config::Config;
use crate::db::DbPool;
use crate::print::Refusal;
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

pub struct ThisNode {
    pub name: String,
    pub kind: Kind,
    reader: String,
    configured_printer: String,
    printer_hosts: crate::print::allowed_hosts::PrinterHosts,
    pub heartbeat: Duration,
    settings: RwLock<Settings>,
    /// The last printer check's result, reported with the next heartbeat.
    printer_state: Mutex<String>,
    pool: DbPool,
}

impl ThisNode {
    /// Announces the node (an error here stops `serve`: a node that cannot reach the store
    /// cannot serve anyone) and starts its heartbeat thread, which ends with the node.
    pub fn start(config: &Config, pool: DbPool) -> Result<Arc<ThisNode>, DeviceError> {
        let kind = Kind::of(config);
        // The center reads no card itself: its terminals do.
        let reader = String::new();
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
            printer_hosts: crate::print::allowed_hosts::PrinterHosts::new(
                &config.print.allowed_printer_hosts,
            ),
            heartbeat: Duration::from_secs(config.device.heartbeat_seconds.max(1)),
            settings: RwLock::new(Settings {
                in_service: true,
                ..Settings::default()
            }),
            printer_state: Mutex::new(String::new()),
            pool,
        });
        node.beat()?;
        let weak = Arc::downgrade(&node);
        std::thread::Builder::new()
            .name("device-heartbeat".into())
            .spawn(move || every_heartbeat(weak, ThisNode::beat_logged))?;
        // Its own thread: a printer that does not answer can take the IPP timeout (30 s), which
        // must not stop the heartbeat and make the node look offline.
        let weak = Arc::downgrade(&node);
        std::thread::Builder::new()
            .name("printer-watch".into())
            .spawn(move || {
                if let Some(node) = weak.upgrade() {
                    node.check_printer();
                }
                every_heartbeat(weak, ThisNode::check_printer)
            })?;
        Ok(node)
    }

    /// Where this node's new print jobs go: the admin's printer when set, else the configured
    /// one (`configured`, which differs between the kiosk's and the window's printer).
    pub fn printer(&self, configured: &str) -> String {
        self.settings()
            .printer_override
            .filter(|uri| self.printer_hosts.permits(uri)) // a row written past the staff page
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

    /// A missed heartbeat keeps the last settings; the staff page shows the node offline.
    fn beat_logged(&self) {
        if let Err(e) = self.beat() {
            tracing::warn!(device = %self.name, "heartbeat failed: {e}");
        }
    }

    /// Asks the printer new jobs would go to whether it can take one; and, since the center
    /// prints for its enrolled terminals, each terminal's printer too (each printer once).
    fn check_printer(&self) {
        let uri = self.printer(&self.configured_printer);
        let mut seen = std::collections::HashMap::new();
        let state = printer_state(&uri);
        seen.insert(uri, state.clone());
        *self.printer_state.lock().unwrap_or_else(|e| e.into_inner()) = state;
        let Ok(mut conn) = self.pool.get() else {
            return;
        };
        let terminals = match registry::terminal_printers(&mut conn) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!("terminal printers not checked: {e}");
                return;
            }
        };
        for (name, uri) in terminals {
            let state = seen
                .entry(uri.clone())
                .or_insert_with(|| printer_state(&uri))
                .clone();
            if let Err(e) = registry::set_printer_state(&mut conn, &name, &state) {
                tracing::warn!(terminal = %name, "printer state not recorded: {e}");
            }
        }
    }

    /// One heartbeat: report, read the settings back, apply them.
    fn beat(&self) -> Result<(), DeviceError> {
        let state = String::new();
        let report = Announce {
            name: self.name.clone(),
            kind: self.kind.code().into(),
            reader: self.reader.clone(),
            configured_printer: self.configured_printer.clone(),
            state,
            printer_state: self
                .printer_state
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
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
        Ok(())
    }
}

/// "ready", or why the printer at `uri` cannot take a job now.
fn printer_state(uri: &str) -> String {
    match crate::print::Printer::from_uri(uri).map(|p| p.check_ready()) {
        Ok(Ok(())) => "ready".to_string(),
        Ok(Err(Refusal::Later(reason) | Refusal::Never(reason))) => reason,
        Err(e) => e.to_string(),
    }
}

/// Runs `task` every heartbeat until the node is gone.
fn every_heartbeat(node: Weak<ThisNode>, task: fn(&ThisNode)) {
    loop {
        let Some(period) = node.upgrade().map(|n| n.heartbeat) else {
            return;
        };
        std::thread::sleep(period);
        let Some(node) = node.upgrade() else { return };
        task(&node);
    }
}
