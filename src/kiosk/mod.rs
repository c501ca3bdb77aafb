//! The card kiosk (issue 5): the card monitor's events become the kiosk's state ([`floor`]),
//! with at most one citizen session at a time, bound to the reader holding their card.
//!
//! Sessions live in memory, not in the store: a session exists only while a card sits in this
//! node's own reader, so no other node could ever serve it, and a restart (which loses the
//! reader's state anyway) must end it. See docs/kiosk-setup.md.
//!
//! [`Kiosk::start`] runs the monitor thread and the hub thread ([`hub`]); the web layer reads
//! snapshots ([`Kiosk::view`]), waits for changes ([`Kiosk::changes`]) and checks tokens
//! ([`Kiosk::authorize`]).

pub mod admission;
pub mod clients;
pub mod floor;
mod hub;
pub mod session;
pub mod trail;

use crate::card::{Monitor, MonitorConfig};
use crate::config::KioskConfig;
use crate::db::DbPool;
use clients::AllowedClients;
use floor::{EndReason, Floor, View, ViewSettings};
use session::Holder;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};

#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    #[error("kiosk.allowed_clients: {0}")]
    Clients(String),
    #[error("kiosk.idle_timeout_seconds must be at least 1 and kiosk.warning_seconds below it")]
    Timing,
    #[error("{0}")]
    Card(String),
}

/// Why a token was not accepted (all become 401 at the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No session is open, or the token is not the open session's (forged, replayed, expired,
    /// another kiosk's, or the card was removed).
    NoSession,
}

/// The citizen of a live session, as handed to a handler.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub holder: Holder,
    pub reader: String,
}

pub struct Kiosk {
    floor: Mutex<Floor>,
    changed: watch::Sender<u64>,
    /// Wakes the hub when a deadline moved (restart), so its timer is set again.
    wake: Notify,
    settings: ViewSettings,
    pub clients: AllowedClients,
    pub pool: DbPool,
    /// The printer and the monthly limit of certificates per citizen.
    pub print: crate::config::PrintConfig,
    /// Kept for its thread: dropping it would stop the card events.
    _monitor: Monitor,
}

impl Kiosk {
    /// Starts the card monitor and the hub that turns its events into sessions. The hub holds
    /// the kiosk, and the kiosk the monitor, for as long as the process serves.
    pub fn start(config: &crate::config::Config, pool: DbPool) -> Result<Arc<Kiosk>, KioskError> {
        let (settings, clients) = settings(&config.kiosk)?;
        let mut watch = MonitorConfig::from_config(&config.card).map_err(KioskError::Card)?;
        // The window's reader belongs to the clerk: its card is read on demand for a lookup.
        watch.excluded.push(config.window.reader.clone());
        let monitor = Monitor::start(watch);
        // Subscribed before the monitor can have published anything of interest.
        let events = monitor.subscribe();
        let kiosk = Arc::new(Kiosk {
            floor: Mutex::new(Floor::default()),
            changed: watch::channel(0).0,
            wake: Notify::new(),
            settings,
            clients,
            pool,
            print: config.print.clone(),
            _monitor: monitor,
        });
        hub::spawn(kiosk.clone(), events);
        Ok(kiosk)
    }

    fn lock(&self) -> MutexGuard<'_, Floor> {
        self.floor.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies `change` to the state; publishes a new snapshot when it says something changed.
    fn update<T>(&self, change: impl FnOnce(&mut Floor) -> (bool, T)) -> T {
        let mut floor = self.lock();
        let (changed, out) = change(&mut floor);
        if changed {
            floor.version += 1;
            let version = floor.version;
            drop(floor);
            self.changed.send_replace(version);
            self.wake.notify_one();
        }
        out
    }

    pub fn view(&self) -> View {
        self.lock().view(&self.settings, Instant::now())
    }

    /// A receiver that wakes on every new snapshot.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// The open session's citizen if `token` is its token; the session's idle time restarts.
    pub fn authorize(&self, token: &str) -> Result<Citizen, Denied> {
        let now = Instant::now();
        let idle = self.settings.idle;
        self.update(|floor| {
            // An idle end noticed here must be announced like the hub's own.
            let expired = floor.expire(now);
            match floor.session_mut() {
                Some(s) if s.token.matches(token) => {
                    s.touch(idle, now);
                    let citizen = Citizen {
                        holder: s.holder.clone(),
                        reader: s.reader.clone(),
                    };
                    (true, Ok(citizen))
                }
                _ => (expired, Err(Denied::NoSession)),
            }
        })
    }

    /// Logout (after [`Kiosk::authorize`]): the session ends, the card stays in until taken.
    pub fn end_session(&self) {
        self.update(|floor| (floor.end_session(EndReason::Logout), ()));
    }

    /// Card `card_no` may no longer be used: its session, if still the open one, ends with
    /// `refusal` shown. (The check ran on a blocking thread: meanwhile that card may have left
    /// and another citizen's opened the session, which must not be ended.)
    pub fn refuse_open_card(&self, card_no: &str, refusal: admission::Refusal) {
        self.update(|floor| (floor.refuse_open_card(card_no, refusal), ()));
    }

    /// Takes the kiosk out of service (`Some(note)`) or back (`None`), as an admin set it
    /// (docs/devices.md). An open session runs to its end; no new one opens meanwhile.
    pub fn set_out_of_service(&self, note: Option<String>) {
        self.update(|floor| {
            let changed = floor.out_of_service != note;
            floor.out_of_service = note;
            (changed, ())
        });
    }

    /// A new session for the card left in after idle or logout; false when there is none.
    pub fn restart(&self) -> bool {
        let idle = self.settings.idle;
        self.update(|floor| {
            let done = floor.restart(idle, Instant::now());
            (done, done)
        })
    }

    pub fn idle(&self) -> Duration {
        self.settings.idle
    }
}

/// The `[kiosk]` section checked: a bad value stops `serve` with its key named.
fn settings(config: &KioskConfig) -> Result<(ViewSettings, AllowedClients), KioskError> {
    if config.idle_timeout_seconds == 0 || config.warning_seconds >= config.idle_timeout_seconds {
        return Err(KioskError::Timing);
    }
    let clients = AllowedClients::parse(&config.allowed_clients).map_err(KioskError::Clients)?;
    let settings = ViewSettings {
        idle: Duration::from_secs(config.idle_timeout_seconds),
        warning: Duration::from_secs(config.warning_seconds),
        help_desk: config.help_desk.clone(),
    };
    Ok((settings, clients))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> KioskConfig {
        KioskConfig {
            enabled: true,
            allowed_clients: vec!["127.0.0.1".into()],
            idle_timeout_seconds: 60,
            warning_seconds: 20,
            help_desk: "1号窗口".into(),
        }
    }

    #[test]
    fn the_kiosk_section_is_checked_with_its_keys_named() {
        let (s, c) = settings(&config()).unwrap();
        assert_eq!(s.idle, Duration::from_secs(60));
        assert!(c.allows("127.0.0.1".parse().unwrap()));
        let warning_too_long = KioskConfig {
            warning_seconds: 60,
            ..config()
        };
        let err = settings(&warning_too_long).unwrap_err().to_string();
        assert!(err.contains("warning_seconds"), "{err}");
        let bad_client = KioskConfig {
            allowed_clients: vec!["kiosk-pc".into()],
            ..config()
        };
        let err = settings(&bad_client).unwrap_err().to_string();
        assert!(
            err.contains("kiosk.allowed_clients") && err.contains("kiosk-pc"),
            "{err}"
        );
    }
}
