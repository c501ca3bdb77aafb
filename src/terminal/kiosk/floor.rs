//! The kiosk's state: the PC/SC service, the readers, the card in each, and at most one open
//! session. Pure (no I/O, time passed in), so the rules are unit-tested:
//!
//! - a session lives while its card stays in its reader, until the idle deadline or logout;
//! - any card inserted while another card is present ends every session, and no card gets one
//!   until it is inserted again alone: the screen never shows one citizen's data to the next;
//! - the service going down takes every card and reader with it.

use super::session::{Holder, Session};
use crate::protocol::Refusal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// What sits in a reader.
#[derive(Debug, Clone)]
pub enum CardHere {
    Open(Session),
    Refused(Refusal),
    /// The session ended while the card stayed in (idle, logout, a second card).
    Ended {
        why: EndReason,
        holder: Holder,
    },
    /// Present, but never admitted (it was one of two cards).
    Waiting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    Idle,
    Logout,
}

/// What the screen shows, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Screen {
    /// The state is not known yet (the monitor just started).
    Starting,
    /// The center does not answer: 暂停服务, with the help desk, until it answers again.
    CenterDown,
    /// An admin took the kiosk out of service; shown whenever no card is in.
    OutOfService,
    ServiceDown,
    NoReader,
    Ready,
    Session,
    Refused,
    /// A session opened for the card, waiting for its holder's PIN (no data, no token yet).
    Pin,
    /// Idle or logout with the card still in: "take your card" (or start again).
    Ended,
    MultipleCards,
}

/// One snapshot for the screen, sent in the event stream.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct View {
    /// Grows with every change; lets a client drop an out-of-order snapshot.
    pub version: u64,
    pub screen: Screen,
    pub reason: Option<Refusal>,
    pub ended: Option<EndReason>,
    pub reader: Option<String>,
    /// Present only on the session screen.
    pub token: Option<String>,
    /// On the PIN screen after a wrong PIN: the tries the card still takes.
    pub pin_tries_left: Option<u8>,
    /// Draw the PIN pad's digits in a random order (`kiosk.pin_pad_shuffled`).
    pub pin_pad_shuffled: bool,
    /// Whether the kiosk's printer answered "ready" at the center's last check: printing is
    /// offered only then.
    pub printer_ready: bool,
    pub expires_in_ms: Option<u64>,
    pub idle_timeout_ms: u64,
    pub warning_ms: u64,
    pub help_desk: String,
    /// The admin's note while out of service (may be empty).
    pub note: Option<String>,
    pub readers: Vec<String>,
    /// Time the monitor spent reading the card of this session (µs), for the benchmark.
    pub card_read_us: Option<u64>,
    /// Time the card proof took: the center's challenge, the card's answer, the center's
    /// session (µs), for the benchmark.
    pub card_proof_us: Option<u64>,
    /// Unix time (ms) this snapshot was made, for the benchmark's event-delivery figure.
    pub sent_at_ms: i64,
}

#[derive(Debug, Default)]
pub struct Floor {
    pub service_up: Option<bool>,
    pub readers: BTreeMap<String, Option<CardHere>>,
    pub version: u64,
    pub last_read_us: Option<u64>,
    pub last_proof_us: Option<u64>,
    /// Set (to the admin's note) while the kiosk is out of service.
    pub out_of_service: Option<String>,
    /// Set while the center does not answer.
    pub center_down: bool,
    /// The center's last check of this kiosk's printer said it cannot print.
    pub printer_down: bool,
}

impl Floor {
    pub fn service(&mut self, up: bool) {
        self.service_up = Some(up);
        if !up {
            self.readers.clear();
        }
    }

    pub fn reader_added(&mut self, reader: &str) {
        self.readers.entry(reader.to_string()).or_insert(None);
    }

    pub fn reader_removed(&mut self, reader: &str) {
        self.readers.remove(reader);
    }

    pub fn card_removed(&mut self, reader: &str) {
        if let Some(slot) = self.readers.get_mut(reader) {
            *slot = None;
        }
    }

    /// Whether a card other than the one in `reader` is present (a second card).
    pub fn other_card_present(&self, reader: &str) -> bool {
        self.readers
            .iter()
            .any(|(name, card)| name != reader && card.is_some())
    }

    /// A card arrived in `reader` and was read (or not): `outcome` is what it alone would get.
    pub fn card_arrived(&mut self, reader: &str, outcome: CardHere) {
        let crowded = self.other_card_present(reader);
        if crowded {
            for card in self.readers.values_mut().flatten() {
                *card = CardHere::Waiting;
            }
        }
        let outcome = if crowded { CardHere::Waiting } else { outcome };
        self.readers.insert(reader.to_string(), Some(outcome));
    }

    pub fn session(&self) -> Option<&Session> {
        self.readers.values().flatten().find_map(|c| match c {
            CardHere::Open(s) => Some(s),
            _ => None,
        })
    }

    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.readers.values_mut().flatten().find_map(|c| match c {
            CardHere::Open(s) => Some(s),
            _ => None,
        })
    }

    /// Ends the open session (if any) with the card still in.
    pub fn end_session(&mut self, why: EndReason) -> bool {
        for card in self.readers.values_mut().flatten() {
            if let CardHere::Open(s) = card {
                *card = CardHere::Ended {
                    why,
                    holder: s.holder.clone(),
                };
                return true;
            }
        }
        false
    }

    /// Ends the open session because the card may no longer be used (e.g. reported lost at a
    /// window meanwhile): the screen shows the refusal.
    pub fn refuse_open_card(&mut self, card_no: &str, refusal: Refusal) -> bool {
        for card in self.readers.values_mut().flatten() {
            if matches!(card, CardHere::Open(s) if s.holder.card_no == card_no) {
                *card = CardHere::Refused(refusal);
                return true;
            }
        }
        false
    }

    /// Ends an idle session; true when one ended.
    pub fn expire(&mut self, now: Instant) -> bool {
        match self.session() {
            Some(s) if s.expired(now) => self.end_session(EndReason::Idle),
            _ => false,
        }
    }

    /// The session waiting for its holder's PIN: its reader and center token.
    pub fn pin_pending(&self) -> Option<(String, String)> {
        self.session()
            .filter(|s| !s.pin_verified)
            .map(|s| (s.reader.clone(), s.center_token.clone()))
    }

    /// What the card said of the PIN entered for the session `center_token` (if it is still
    /// the open one): verified opens the data; a blocked PIN ends the session with the locked
    /// card's refusal.
    pub fn pin_checked(&mut self, center_token: &str, check: crate::card::PinCheck) -> bool {
        use crate::card::PinCheck;
        for card in self.readers.values_mut().flatten() {
            if let CardHere::Open(s) = card {
                if s.center_token != center_token {
                    continue;
                }
                match check {
                    PinCheck::Verified => {
                        s.pin_verified = true;
                        s.pin_tries_left = None;
                    }
                    PinCheck::Wrong { tries_left } => s.pin_tries_left = Some(tries_left),
                    PinCheck::Blocked => *card = CardHere::Refused(Refusal::Locked),
                }
                return true;
            }
        }
        false
    }

    /// The card still in its reader after idle or logout, for "start again" (a new proof).
    pub fn restart_candidate(&self) -> Option<(String, Holder)> {
        if self.out_of_service.is_some()
            || self.center_down
            || self.readers.values().flatten().count() != 1
        {
            return None;
        }
        self.readers.iter().find_map(|(reader, card)| match card {
            Some(CardHere::Ended { holder, .. }) => Some((reader.clone(), holder.clone())),
            _ => None,
        })
    }

    /// Shows a new admission's `outcome` for card `card_no` in `reader`, if that card is still
    /// there alone (it may have left while the center was asked).
    pub fn readmit(&mut self, reader: &str, card_no: &str, outcome: CardHere) -> bool {
        let still_here = match self.readers.get(reader) {
            Some(Some(CardHere::Ended { holder, .. })) => holder.card_no == card_no,
            Some(Some(CardHere::Open(s))) => s.holder.card_no == card_no,
            _ => false,
        };
        if !still_here || self.other_card_present(reader) {
            return false;
        }
        self.readers.insert(reader.to_string(), Some(outcome));
        true
    }

    /// The center stopped (`false`) or resumed answering. While it is down no citizen data is
    /// kept: an open or ended session becomes a refusal (the card must be taken out).
    pub fn center(&mut self, up: bool) -> bool {
        if self.center_down != up {
            return false;
        }
        self.center_down = !up;
        if !up {
            for card in self.readers.values_mut().flatten() {
                if matches!(card, CardHere::Open(_) | CardHere::Ended { .. }) {
                    *card = CardHere::Refused(Refusal::StoreUnavailable);
                }
            }
        }
        true
    }

    pub fn next_deadline(&self) -> Option<Instant> {
        self.session().map(|s| s.deadline)
    }

    pub fn view(&self, settings: &ViewSettings, now: Instant) -> View {
        let present: Vec<(&String, &CardHere)> = self
            .readers
            .iter()
            .filter_map(|(r, c)| c.as_ref().map(|c| (r, c)))
            .collect();
        let mut view = View {
            version: self.version,
            screen: Screen::Ready,
            reason: None,
            ended: None,
            reader: None,
            token: None,
            pin_tries_left: None,
            pin_pad_shuffled: settings.pin_pad_shuffled,
            printer_ready: !self.printer_down,
            expires_in_ms: None,
            idle_timeout_ms: settings.idle.as_millis() as u64,
            warning_ms: settings.warning.as_millis() as u64,
            help_desk: settings.help_desk.clone(),
            note: self.out_of_service.clone(),
            readers: self.readers.keys().cloned().collect(),
            card_read_us: None,
            card_proof_us: None,
            sent_at_ms: chrono::Utc::now().timestamp_millis(),
        };
        view.screen = match (self.service_up, present.as_slice()) {
            _ if self.center_down => Screen::CenterDown,
            // A session already open runs to its end; a card in must still be taken.
            (_, []) if self.out_of_service.is_some() => Screen::OutOfService,
            (None, _) => Screen::Starting,
            (Some(false), _) => Screen::ServiceDown,
            _ if self.readers.is_empty() => Screen::NoReader,
            (_, []) => Screen::Ready,
            (_, [(reader, card)]) => {
                view.reader = Some(reader.to_string());
                match card {
                    CardHere::Open(s) if !s.pin_verified => {
                        view.pin_tries_left = s.pin_tries_left;
                        view.expires_in_ms = Some(s.remaining(now).as_millis() as u64);
                        Screen::Pin
                    }
                    CardHere::Open(s) => {
                        view.token = Some(s.token.to_hex());
                        view.expires_in_ms = Some(s.remaining(now).as_millis() as u64);
                        view.card_read_us = self.last_read_us;
                        view.card_proof_us = self.last_proof_us;
                        Screen::Session
                    }
                    CardHere::Refused(r) => {
                        view.reason = Some(r.clone());
                        Screen::Refused
                    }
                    CardHere::Ended { why, .. } => {
                        view.ended = Some(*why);
                        Screen::Ended
                    }
                    CardHere::Waiting => Screen::MultipleCards,
                }
            }
            _ => Screen::MultipleCards,
        };
        view
    }
}

#[derive(Debug, Clone)]
pub struct ViewSettings {
    pub idle: Duration,
    pub warning: Duration,
    pub help_desk: String,
    pub pin_pad_shuffled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CitizenId;

    const IDLE: Duration = Duration::from_secs(60);

    fn settings() -> ViewSettings {
        ViewSettings {
            idle: IDLE,
            warning: Duration::from_secs(20),
            help_desk: "1号窗口".into(),
            pin_pad_shuffled: false,
        }
    }

    fn holder() -> Holder {
        Holder {
            ssn: CitizenId::parse("440305198503150016").unwrap(),
            card_no: "A12345678".into(),
            name: "李建国".into(),
        }
    }

    fn floor() -> Floor {
        let mut f = Floor::default();
        f.service(true);
        f.reader_added("A");
        f.reader_added("B");
        f
    }

    fn open(now: Instant) -> CardHere {
        let mut s = Session::open("A", holder(), "center".into(), IDLE, now);
        s.pin_verified = true;
        CardHere::Open(s)
    }

    #[test]
    fn a_session_shows_its_token_and_dies_with_removal() {
        let now = Instant::now();
        let mut f = floor();
        assert_eq!(f.view(&settings(), now).screen, Screen::Ready);
        f.card_arrived("A", open(now));
        let v = f.view(&settings(), now);
        assert_eq!(v.screen, Screen::Session);
        assert_eq!(v.token.as_deref().map(str::len), Some(64));
        assert_eq!(v.expires_in_ms, Some(60_000));
        f.card_removed("A");
        let v = f.view(&settings(), now);
        assert_eq!((v.screen, v.token), (Screen::Ready, None));
        assert!(f.session().is_none());
    }

    #[test]
    fn a_second_card_ends_the_session_and_admits_neither() {
        let now = Instant::now();
        let mut f = floor();
        f.card_arrived("A", open(now));
        f.card_arrived("B", open(now));
        assert!(f.session().is_none());
        assert_eq!(f.view(&settings(), now).screen, Screen::MultipleCards);
        // Taking one out leaves the other waiting: it must be inserted again alone.
        f.card_removed("B");
        let v = f.view(&settings(), now);
        assert_eq!((v.screen, v.token), (Screen::MultipleCards, None));
        f.card_removed("A");
        f.card_arrived("A", open(now));
        assert!(f.session().is_some());
    }

    #[test]
    fn idle_ends_the_session_and_the_card_can_start_again() {
        let now = Instant::now();
        let mut f = floor();
        f.card_arrived("A", open(now));
        assert!(!f.expire(now + Duration::from_secs(59)));
        assert!(f.expire(now + IDLE));
        let v = f.view(&settings(), now + IDLE);
        assert_eq!(
            (v.screen, v.ended, v.token),
            (Screen::Ended, Some(EndReason::Idle), None)
        );
        let (reader, h) = f.restart_candidate().unwrap();
        assert_eq!((reader.as_str(), h), ("A", holder()));
        assert!(f.readmit("A", "A12345678", open(now + IDLE)));
        assert_eq!(f.view(&settings(), now).screen, Screen::Session);
        assert!(
            !f.readmit("B", "A12345678", open(now)),
            "not the card's reader"
        );
    }

    #[test]
    fn out_of_service_shows_with_no_card_lets_a_session_finish_and_allows_no_restart() {
        let now = Instant::now();
        let mut f = floor();
        f.card_arrived("A", open(now));
        f.out_of_service = Some("请到 3 号窗口".into());
        let v = f.view(&settings(), now);
        assert_eq!(
            v.screen,
            Screen::Session,
            "the citizen at the screen finishes"
        );
        assert_eq!(v.note.as_deref(), Some("请到 3 号窗口"));
        f.end_session(EndReason::Idle);
        assert!(
            f.restart_candidate().is_none(),
            "no new session while out of service"
        );
        assert_eq!(f.view(&settings(), now).screen, Screen::Ended);
        f.card_removed("A");
        assert_eq!(f.view(&settings(), now).screen, Screen::OutOfService);
        f.service(false);
        assert_eq!(f.view(&settings(), now).screen, Screen::OutOfService);
        f.out_of_service = None;
        let v = f.view(&settings(), now);
        assert_eq!((v.screen, v.note), (Screen::ServiceDown, None));
    }

    #[test]
    fn no_token_before_the_pin_and_a_blocked_pin_ends_with_the_locked_refusal() {
        use crate::card::PinCheck;
        let now = Instant::now();
        let mut f = floor();
        let fresh = Session::open("A", holder(), "c1".into(), IDLE, now);
        f.card_arrived("A", CardHere::Open(fresh));
        let v = f.view(&settings(), now);
        assert_eq!((v.screen, v.token), (Screen::Pin, None));
        assert_eq!(f.pin_pending(), Some(("A".into(), "c1".into())));
        assert!(f.pin_checked("c1", PinCheck::Wrong { tries_left: 4 }));
        let v = f.view(&settings(), now);
        assert_eq!((v.screen, v.pin_tries_left), (Screen::Pin, Some(4)));
        assert!(
            !f.pin_checked("other", PinCheck::Verified),
            "another session's answer"
        );
        assert!(f.pin_checked("c1", PinCheck::Verified));
        let v = f.view(&settings(), now);
        assert_eq!(v.screen, Screen::Session);
        assert!(v.token.is_some());
        f.card_removed("A");
        f.card_arrived(
            "A",
            CardHere::Open(Session::open("A", holder(), "c2".into(), IDLE, now)),
        );
        assert!(f.pin_checked("c2", PinCheck::Blocked));
        let v = f.view(&settings(), now);
        assert_eq!(
            (v.screen, v.reason),
            (Screen::Refused, Some(Refusal::Locked))
        );
    }

    #[test]
    fn the_center_going_down_keeps_no_citizen_and_shows_the_pause() {
        let now = Instant::now();
        let mut f = floor();
        f.card_arrived("A", open(now));
        assert!(f.center(false));
        assert!(f.session().is_none());
        assert_eq!(f.view(&settings(), now).screen, Screen::CenterDown);
        assert!(f.restart_candidate().is_none());
        assert!(f.center(true));
        let v = f.view(&settings(), now);
        assert_eq!(
            (v.screen, v.reason),
            (Screen::Refused, Some(Refusal::StoreUnavailable))
        );
    }

    #[test]
    fn a_card_found_blocked_ends_only_its_own_session() {
        let now = Instant::now();
        let mut f = floor();
        f.card_arrived("A", open(now));
        assert!(
            !f.refuse_open_card("B99999999", Refusal::CardLost),
            "another card's check"
        );
        assert!(f.session().is_some());
        assert!(f.refuse_open_card("A12345678", Refusal::CardLost));
        assert!(f.session().is_none());
    }

    #[test]
    fn service_down_clears_everything_and_refusals_carry_their_reason() {
        let now = Instant::now();
        let mut f = floor();
        f.card_arrived("A", CardHere::Refused(Refusal::CardLost));
        let v = f.view(&settings(), now);
        assert_eq!(
            (v.screen, v.reason),
            (Screen::Refused, Some(Refusal::CardLost))
        );
        f.card_removed("A");
        f.card_arrived("A", open(now));
        f.service(false);
        assert!(f.session().is_none());
        assert_eq!(f.view(&settings(), now).screen, Screen::ServiceDown);
        f.service(true);
        assert_eq!(f.view(&settings(), now).screen, Screen::NoReader);
        assert_eq!(
            Floor::default().view(&settings(), now).screen,
            Screen::Starting
        );
    }
}
