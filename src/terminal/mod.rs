//! `sskiosk terminal`: a kiosk or window PC of the service hall, an untrusted edge device
//! (issue 10). It watches the card reader(s) through pcscd, serves the kiosk page on loopback,
//! and reaches the center over mutual TLS with its device certificate. It has no database
//! connection, no signing key and no card key: sessions are opened by the center after the
//! card proves itself, and every citizen's data comes from the center for that one session.
//! See docs/terminals.md.

pub mod center_module;
pub mod client;
pub mod enrol;
pub mod kiosk;
pub mod link;
pub mod state;
pub mod web;
mod window;

use crate::card::{Monitor, MonitorConfig, SecurityChoice, SecurityModule};
use crate::config::{Config, SecurityModuleKind};
use crate::protocol::Heartbeat;
use link::Link;
use state::State;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error(transparent)]
    State(#[from] state::StateError),
    #[error(transparent)]
    Center(#[from] client::CenterError),
    #[error(transparent)]
    Kiosk(#[from] kiosk::KioskError),
    #[error("{0}")]
    Io(String),
}

/// How 3.00 cards are read here: a local PSAM when configured, else the center.
fn security(config: &Config, link: &Arc<Link>) -> SecurityChoice {
    if config.card.security_module == SecurityModuleKind::Psam {
        return SecurityChoice::Psam;
    }
    let link = link.clone();
    SecurityChoice::Remote(Arc::new(move || {
        Box::new(center_module::CenterModule(link.client())) as Box<dyn SecurityModule>
    }))
}

/// Runs the terminal until SIGINT/SIGTERM.
pub fn run(config: &Config) -> Result<(), TerminalError> {
    let mut state = State::load(&config.terminal.state_dir)?;
    let timeout = Duration::from_millis(config.terminal.request_timeout_ms.max(100));
    let link = Arc::new(Link::new(client::CenterClient::for_state(&state, timeout)?));
    renew(&mut state, &link, timeout);
    let listener = std::net::TcpListener::bind(&config.terminal.listen).map_err(|e| {
        TerminalError::Io(format!("cannot listen on {}: {e}", config.terminal.listen))
    })?;
    let address = listener
        .local_addr()
        .map_err(|e| TerminalError::Io(e.to_string()))?;
    let (kiosk, monitor) = match state.identity.kind.as_str() {
        "window" => {
            let mut watch =
                MonitorConfig::from_config(&config.card).map_err(kiosk::KioskError::Card)?;
            watch.security = security(config, &link);
            let monitor = Monitor::start(watch);
            window::spawn(link.clone(), &monitor).map_err(|e| TerminalError::Io(e.to_string()))?;
            (None, Some(monitor))
        }
        _ => (
            Some(kiosk::Kiosk::start(
                config,
                link.clone(),
                security(config, &link),
            )?),
            None,
        ),
    };
    let reader = if config.card.readers.is_empty() {
        "(every reader)".to_string()
    } else {
        config.card.readers.join(", ")
    };
    spawn_heartbeat(
        state,
        link,
        kiosk.clone(),
        reader,
        Duration::from_secs(config.terminal.heartbeat_seconds.max(1)),
        timeout,
    )?;
    // Printed on stdout, not only logged: scripts and tests read the address from it.
    println!("sskiosk terminal listening on http://{address}");
    let server = web::start(kiosk, listener).map_err(|e| TerminalError::Io(e.to_string()))?;
    actix_web::rt::System::new()
        .block_on(server)
        .map_err(|e| TerminalError::Io(format!("terminal stopped: {e}")))?;
    drop(monitor);
    Ok(())
}

/// Renews the device certificate when it is due, and swaps the client to the new one.
fn renew(state: &mut State, link: &Link, timeout: Duration) {
    match enrol::renew_if_due(state, &link.client(), false) {
        Ok(true) => match client::CenterClient::for_state(state, timeout) {
            Ok(c) => link.replace(c),
            Err(e) => tracing::error!("renewed certificate unusable: {e}"),
        },
        Ok(false) => {}
        Err(e) => tracing::warn!("certificate renewal failed (tried again later): {e}"),
    }
}

/// Reports to the center every `period`, applies what admins set, and renews the certificate
/// when due (checked hourly).
fn spawn_heartbeat(
    mut state: State,
    link: Arc<Link>,
    kiosk: Option<Arc<kiosk::Kiosk>>,
    reader: String,
    period: Duration,
    timeout: Duration,
) -> Result<(), TerminalError> {
    let beat = move |link: &Link| {
        let screen = kiosk.as_ref().map_or("window".to_string(), |k| {
            serde_json::to_value(k.view().screen)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        });
        let reply = link.client().heartbeat(&Heartbeat {
            state: screen,
            reader: reader.clone(),
        });
        link.saw(&reply);
        match reply {
            Ok(settings) => {
                if let Some(k) = &kiosk {
                    k.set_printer_ready(settings.printer_ready);
                    k.set_out_of_service((!settings.in_service).then_some(settings.note));
                }
            }
            Err(e) => tracing::debug!("heartbeat: {e}"),
        }
    };
    beat(&link);
    std::thread::Builder::new()
        .name("terminal-heartbeat".into())
        .spawn(move || {
            let mut since_renewal_check = Duration::ZERO;
            loop {
                std::thread::sleep(period);
                beat(&link);
                since_renewal_check += period;
                if since_renewal_check >= Duration::from_secs(3600) {
                    since_renewal_check = Duration::ZERO;
                    renew(&mut state, &link, timeout);
                }
            }
        })
        .map_err(|e| TerminalError::Io(e.to_string()))?;
    Ok(())
}
