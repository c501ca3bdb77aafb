//! The card kiosk of a terminal: the card monitor's events become the kiosk's state
//! ([`floor`]), with at most one citizen session at a time, bound to the reader holding their
//! card. A session opens only when the center accepted the card's proof ([`admission`]); the
//! terminal keeps the center's token and the screen gets a token of its own.
//!
//! Sessions live in memory: a session exists only while a card sits in this terminal's reader,
//! and a restart (which loses the reader's state anyway) must end it. See docs/terminals.md.
//!
//! [`Kiosk::start`] runs the monitor thread and the hub thread ([`hub`]); the web layer reads
//! snapshots ([`Kiosk::view`]), waits for changes ([`Kiosk::changes`]) and checks tokens
//! ([`Kiosk::authorize`]).

pub mod admission;
pub mod clients;
pub mod floor;
mod hub;
pub mod session;

use super::link::Link;
use crate::card::{Monitor, MonitorConfig};
use crate::config::KioskConfig;
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

/// Why a PIN could not be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinFailure {
    /// The card did not answer (pulled out during VERIFY, or unreadable).
    Card,
    /// The center did not take the outcome.
    Center,
}

/// The citizen of a live session, as handed to a handler.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub holder: Holder,
    pub reader: String,
    /// The center's token of this session: the terminal's own calls to the center carry it.
    pub center_token: String,
}

pub struct Kiosk {
    floor: Mutex<Floor>,
    changed: watch::Sender<u64>,
    /// Wakes the hub when a deadline moved (restart), so its timer is set again.
    wake: Notify,
    settings: ViewSettings,
    pub clients: AllowedClients,
    pub link: Arc<Link>,
    /// Center tokens of sessions that ended here, for the center to end too.
    ended: std::sync::mpsc::Sender<String>,
    /// Kept for its thread: dropping it would stop the card events.
    _monitor: Monitor,
}

impl Kiosk {
    /// Starts the card monitor and the hub that turns its events into sessions opened by the
    /// center. The hub holds the kiosk, and the kiosk the monitor, for as long as the process
    /// serves. `security` reads 3.00 cards (the center, unless a local PSAM is configured).
    pub fn start(
        config: &crate::config::Config,
        link: Arc<Link>,
        security: crate::card::SecurityChoice,
    ) -> Result<Arc<Kiosk>, KioskError> {
        let (settings, clients) = settings(&config.kiosk)?;
        let mut watch = MonitorConfig::from_config(&config.card).map_err(KioskError::Card)?;
        watch.security = security;
        let monitor = Monitor::start(watch);
        // Subscribed before the monitor can have published anything of interest.
        let events = monitor.subscribe();
        let (ended, ended_rx) = std::sync::mpsc::channel();
        let kiosk = Arc::new(Kiosk {
            floor: Mutex::new(Floor::default()),
            changed: watch::channel(0).0,
            wake: Notify::new(),
            settings,
            clients,
            link: link.clone(),
            ended,
            _monitor: monitor,
        });
        spawn_end_notifier(link.clone(), ended_rx);
        let weak = Arc::downgrade(&kiosk);
        link.on_change(move |up| {
            if let Some(k) = weak.upgrade() {
                k.update(|f| (f.center(up), ()));
            }
        });
        hub::spawn(kiosk.clone(), events);
        Ok(kiosk)
    }

    fn lock(&self) -> MutexGuard<'_, Floor> {
        self.floor.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies `change` to the state; publishes a new snapshot when it says something changed.
    /// A session that is gone afterwards is ended on the center too.
    fn update<T>(&self, change: impl FnOnce(&mut Floor) -> (bool, T)) -> T {
        let mut floor = self.lock();
        let before = floor.session().map(|s| s.center_token.clone());
        let (changed, out) = change(&mut floor);
        if changed {
            let after = floor.session().map(|s| s.center_token.clone());
            if let Some(token) = before.filter(|b| after.as_ref() != Some(b)) {
                let _ = self.ended.send(token);
            }
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

    /// The open session's citizen if `token` is its token; the session's idle time restarts
    /// unless `touch` is false (the screen polling a print job is not the citizen acting).
    pub fn authorize(&self, token: &str) -> Result<Citizen, Denied> {
        self.authorize_with(token, true)
    }

    pub fn authorize_with(&self, token: &str, touch: bool) -> Result<Citizen, Denied> {
        let now = Instant::now();
        let idle = self.settings.idle;
        self.update(|floor| {
            // An idle end noticed here must be announced like the hub's own.
            let expired = floor.expire(now);
            match floor.session_mut() {
                Some(s) if s.pin_verified && s.token.matches(token) => {
                    if touch {
                        s.touch(idle, now);
                    }
                    let citizen = Citizen {
                        holder: s.holder.clone(),
                        reader: s.reader.clone(),
                        center_token: s.center_token.clone(),
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

    /// Takes the kiosk out of service (`Some(note)`) or back (`None`), as an admin set it
    /// (docs/devices.md). An open session runs to its end; no new one opens meanwhile.
    pub fn set_out_of_service(&self, note: Option<String>) {
        self.update(|floor| {
            let changed = floor.out_of_service != note;
            floor.out_of_service = note;
            (changed, ())
        });
    }

    /// Has the card of the session waiting for its PIN check `pin` (VERIFY through PC/SC; the
    /// PIN goes to the card and nowhere else), tells the center when the card accepted it, and
    /// shows the outcome. `None` when no session waits for a PIN. Blocking.
    pub fn enter_pin(&self, pin: &str) -> Option<Result<crate::card::PinCheck, PinFailure>> {
        let (reader, center_token) = self.lock().pin_pending()?;
        let checked = match crate::card::verify_pin_in_reader(&reader, pin) {
            Ok(c) => c,
            Err(e) => {
                tracing::info!(%reader, "kiosk: the card did not check the PIN: {e}");
                return Some(Err(PinFailure::Card));
            }
        };
        if checked == crate::card::PinCheck::Verified {
            let told: Result<(), _> = self.link.client().post(
                crate::protocol::path::PIN,
                Some(&center_token),
                &serde_json::json!({}),
            );
            self.link.saw(&told);
            if let Err(e) = told {
                tracing::warn!("kiosk: the center did not take the PIN's outcome: {e}");
                return Some(Err(PinFailure::Center));
            }
        }
        tracing::info!(%reader, outcome = ?checked, "kiosk: PIN checked by the card");
        self.update(|floor| (floor.pin_checked(&center_token, checked), ()));
        Some(Ok(checked))
    }

    /// What the center's last check of this kiosk's printer said (from the heartbeat).
    pub fn set_printer_ready(&self, ready: bool) {
        self.update(|floor| {
            let changed = floor.printer_down == ready;
            floor.printer_down = !ready;
            (changed, ())
        });
    }

    /// The one card waiting in a reader after idle or logout, for "start again".
    pub fn restart_candidate(&self) -> Option<(String, Holder)> {
        self.lock().restart_candidate()
    }

    /// Asks the center for a session for the card in `reader` (a new card proof) and shows the
    /// outcome, unless that card left meanwhile. Blocking (PC/SC and the center).
    pub fn readmit(&self, reader: &str, holder: &Holder) -> bool {
        let outcome = admission::admit(&self.link, reader, holder, self.settings.idle);
        self.update(|floor| {
            let applied = floor.readmit(reader, &holder.card_no, outcome);
            (applied, applied)
        })
    }

    /// The session's card can no longer be used (the center said so during a call): ask the
    /// center again, which ends it with the precise reason.
    pub fn card_blocked(&self, citizen: &Citizen) {
        self.readmit(&citizen.reader, &citizen.holder);
    }

    pub fn idle(&self) -> Duration {
        self.settings.idle
    }
}

/// Ends on the center, one by one, the sessions that ended here (removal, idle, logout, a
/// second card). If the center misses one, its own idle end follows.
fn spawn_end_notifier(link: Arc<Link>, ended: std::sync::mpsc::Receiver<String>) {
    let _ = std::thread::Builder::new()
        .name("kiosk-end".into())
        .spawn(move || {
            for token in ended {
                let result: Result<(), _> = link.client().post(
                    crate::protocol::path::END,
                    Some(&token),
                    &serde_json::json!({}),
                );
                if let Err(e) = result {
                    tracing::info!("could not end a session on the center: {e}");
                }
            }
        });
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
        pin_pad_shuffled: config.pin_pad_shuffled,
    };
    Ok((settings, clients))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> KioskConfig {
        KioskConfig {
            allowed_clients: vec!["127.0.0.1".into()],
            idle_timeout_seconds: 60,
            warning_seconds: 20,
            help_desk: "1号窗口".into(),
            pin_pad_shuffled: false,
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
