//! The monitor's inner loop on one PC/SC context: `get_status_change` over the PnP entry and the
//! watched readers, and a read of each card that appears.

use super::monitor::{CardEvent, MonitorConfig, ReadTiming, SecurityChoice, Shared};
use super::psam::PsamModule;
use super::reader::{historical_bytes, PcscTransport};
use super::{
    read_card, CardError, ReadStats, SecurityError, SecurityModule, SocialSecurityCard,
    TestSecurityModule,
};
use pcsc::{Context, ReaderState, State};
use std::ffi::CString;
use std::time::{Duration, Instant};

pub(super) enum Watch {
    Stopped,
    Lost(String),
}

struct Reader {
    name: String,
    present: bool,
    /// pcsc-lite's event counter when last seen.
    events: Option<u32>,
}

/// Longest blocking wait: shutdown normally cancels it at once; this bounds the rare case of a
/// cancel that lands between two waits, and checks a context pcscd's restart left silent.
const WAIT: Duration = Duration::from_secs(1);

pub(super) fn watch(
    ctx: &Context,
    shared: &Shared,
    config: &MonitorConfig,
    publish: &dyn Fn(CardEvent),
) -> Watch {
    let mut states = vec![ReaderState::new(pcsc::PNP_NOTIFICATION(), State::UNAWARE)];
    let mut readers: Vec<Reader> = Vec::new();
    if let Err(e) = refresh(ctx, config, &mut states, &mut readers, publish) {
        return lost(e, &readers, publish);
    }
    loop {
        if shared.stopping() {
            return Watch::Stopped;
        }
        match ctx.get_status_change(WAIT, &mut states) {
            Ok(()) => {}
            Err(pcsc::Error::Timeout) => {
                if let Err(e) = ctx.list_readers_len() {
                    if e != pcsc::Error::NoReadersAvailable {
                        return lost(e, &readers, publish);
                    }
                }
                continue;
            }
            Err(pcsc::Error::Cancelled) => continue,
            Err(pcsc::Error::UnknownReader) => {
                if let Err(e) = refresh(ctx, config, &mut states, &mut readers, publish) {
                    return lost(e, &readers, publish);
                }
                continue;
            }
            Err(e) => return lost(e, &readers, publish),
        }
        let seen = Instant::now();
        let mut changed_list = states[0].event_state().contains(State::CHANGED);
        states[0].sync_current_state();
        for i in 0..readers.len() {
            let s = &mut states[i + 1];
            let event = s.event_state();
            if !event.contains(State::CHANGED) {
                continue;
            }
            if event.intersects(State::UNKNOWN | State::UNAVAILABLE) {
                changed_list = true;
            }
            let present = event.contains(State::PRESENT) && !event.contains(State::MUTE);
            let atr = s.atr().to_vec();
            let count = s.event_count();
            s.sync_current_state();
            let r = &mut readers[i];
            // pcsc-lite counts insertions and removals: a card swapped between two waits shows
            // as "still present" with a new count.
            let swapped = present && r.present && r.events.is_some_and(|c| c != count);
            r.events = Some(count);
            if swapped {
                publish(CardEvent::CardRemoved {
                    reader: r.name.clone(),
                });
            }
            if present && (!r.present || swapped) {
                r.present = true;
                publish(read(ctx, config, &r.name, &atr, seen));
            } else if !present && r.present {
                r.present = false;
                publish(CardEvent::CardRemoved {
                    reader: r.name.clone(),
                });
            }
        }
        if changed_list {
            if let Err(e) = refresh(ctx, config, &mut states, &mut readers, publish) {
                return lost(e, &readers, publish);
            }
        }
    }
}

/// The service is gone: every card and reader is gone with it, so no session stays open.
fn lost(e: pcsc::Error, readers: &[Reader], publish: &dyn Fn(CardEvent)) -> Watch {
    if e == pcsc::Error::Cancelled {
        return Watch::Stopped;
    }
    for r in readers {
        if r.present {
            publish(CardEvent::CardRemoved {
                reader: r.name.clone(),
            });
        }
        publish(CardEvent::ReaderRemoved {
            reader: r.name.clone(),
        });
    }
    Watch::Lost(e.to_string())
}

/// Brings the watched list in line with pcscd's (readers plugged in or out).
fn refresh(
    ctx: &Context,
    config: &MonitorConfig,
    states: &mut Vec<ReaderState>,
    readers: &mut Vec<Reader>,
    publish: &dyn Fn(CardEvent),
) -> Result<(), pcsc::Error> {
    let names: Vec<String> = match ctx.list_readers_owned() {
        Ok(list) => list
            .into_iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect(),
        Err(pcsc::Error::NoReadersAvailable) => Vec::new(),
        Err(e) => return Err(e),
    };
    let mut i = 0;
    while i < readers.len() {
        if names.contains(&readers[i].name) {
            i += 1;
            continue;
        }
        let r = readers.remove(i);
        states.remove(i + 1);
        if r.present {
            publish(CardEvent::CardRemoved {
                reader: r.name.clone(),
            });
        }
        publish(CardEvent::ReaderRemoved { reader: r.name });
    }
    for name in names {
        if !config.watches(&name) || readers.iter().any(|r| r.name == name) {
            continue;
        }
        let Ok(c_name) = CString::new(name.clone()) else {
            continue;
        };
        states.push(ReaderState::new(c_name, State::UNAWARE));
        publish(CardEvent::ReaderAdded {
            reader: name.clone(),
        });
        readers.push(Reader {
            name,
            present: false,
            events: None,
        });
    }
    Ok(())
}

fn read(
    ctx: &Context,
    config: &MonitorConfig,
    reader: &str,
    atr: &[u8],
    seen: Instant,
) -> CardEvent {
    let (result, stats) = read_reader(ctx, config, reader, Some(atr));
    let timing = ReadTiming {
        apdus: stats.apdus,
        transmit: stats.transmit,
        connect: stats.connect,
        total: seen.elapsed(),
    };
    match result {
        Ok(card) => {
            tracing::info!(reader, ssn = ?card.ssn, apdus = stats.apdus, "card read");
            CardEvent::CardInserted {
                reader: reader.to_string(),
                card: Box::new(card),
                timing,
            }
        }
        Err(error) => {
            tracing::warn!(reader, %error, "card read failed");
            CardEvent::CardReadFailed {
                reader: reader.to_string(),
                error,
                timing,
            }
        }
    }
}

/// Connects to the card in `reader`, reads it, and disconnects with a reset. The ATR is taken
/// from the card when the caller has none.
pub fn read_reader(
    ctx: &Context,
    config: &MonitorConfig,
    reader: &str,
    atr: Option<&[u8]>,
) -> (Result<SocialSecurityCard, CardError>, ReadStats) {
    let mut stats = ReadStats::default();
    let Ok(c_name) = CString::new(reader) else {
        return (
            Err(CardError::Transport("reader name contains NUL".into())),
            stats,
        );
    };
    let started = Instant::now();
    let card = match ctx.connect(&c_name, pcsc::ShareMode::Shared, pcsc::Protocols::ANY) {
        Ok(card) => card,
        Err(e) => return (Err(super::reader::map_error(e).into()), stats),
    };
    let atr = match atr {
        Some(a) => a.to_vec(),
        None => card
            .status2_owned()
            .map(|s| s.atr().to_vec())
            .unwrap_or_default(),
    };
    stats.connect = started.elapsed();
    let mut transport = PcscTransport::new(card);
    let mut security = security_module(ctx, config);
    let (result, read_stats) = read_card(
        &mut transport,
        historical_bytes(&atr),
        security.as_deref_mut(),
        today(),
    );
    let started = Instant::now();
    drop(security);
    transport.finish();
    stats.connect += started.elapsed();
    stats.apdus = read_stats.apdus;
    stats.transmit = read_stats.transmit;
    (result, stats)
}

fn security_module<'a>(
    ctx: &'a Context,
    config: &'a MonitorConfig,
) -> Option<Box<dyn SecurityModule + 'a>> {
    match &config.security {
        SecurityChoice::None => None,
        SecurityChoice::Test(key) => Some(Box::new(TestSecurityModule::new(*key))),
        SecurityChoice::Remote(make) => Some(make()),
        SecurityChoice::Psam => Some(Box::new(LazyPsam {
            ctx,
            pattern: config.psam_reader.clone().unwrap_or_default(),
            psam: None,
        })),
    }
}

/// Connects to the PSAM only when a 3.00 card needs it.
struct LazyPsam<'a> {
    ctx: &'a Context,
    pattern: String,
    psam: Option<PsamModule<PcscTransport>>,
}

impl LazyPsam<'_> {
    fn get(&mut self) -> Result<&mut PsamModule<PcscTransport>, SecurityError> {
        if self.psam.is_none() {
            let unavailable = |e: String| {
                SecurityError::Unavailable(format!("PSAM reader {:?}: {e}", self.pattern))
            };
            let names = self
                .ctx
                .list_readers_owned()
                .map_err(|e| unavailable(e.to_string()))?;
            let pattern = self.pattern.to_lowercase();
            let name = names
                .into_iter()
                .find(|n| {
                    !pattern.is_empty() && n.to_string_lossy().to_lowercase().contains(&pattern)
                })
                .ok_or_else(|| unavailable("no such reader".into()))?;
            let card = self
                .ctx
                .connect(&name, pcsc::ShareMode::Shared, pcsc::Protocols::ANY)
                .map_err(|e| unavailable(e.to_string()))?;
            self.psam = Some(PsamModule::new(PcscTransport::new(card)));
        }
        Ok(self.psam.as_mut().expect("just set"))
    }
}

impl SecurityModule for LazyPsam<'_> {
    fn external_cryptogram(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
    ) -> Result<[u8; 16], SecurityError> {
        self.get()?.external_cryptogram(card_id, challenge)
    }

    fn verify_internal(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
        response: &[u8],
    ) -> Result<bool, SecurityError> {
        self.get()?.verify_internal(card_id, challenge, response)
    }
}

impl Drop for LazyPsam<'_> {
    fn drop(&mut self) {
        if let Some(p) = self.psam.take() {
            p.into_inner().finish();
        }
    }
}

/// Connects to the card in `reader`, runs `work` on it, and disconnects with a reset, so no
/// verified PIN or authentication outlives the call.
fn with_card<T>(
    reader: &str,
    work: impl FnOnce(&mut PcscTransport) -> Result<T, CardError>,
) -> Result<T, CardError> {
    let ctx = Context::establish(pcsc::Scope::User)
        .map_err(|e| CardError::from(super::reader::map_error(e)))?;
    let c_name = CString::new(reader)
        .map_err(|_| CardError::Transport("reader name contains NUL".into()))?;
    let card = ctx
        .connect(&c_name, pcsc::ShareMode::Shared, pcsc::Protocols::ANY)
        .map_err(|e| CardError::from(super::reader::map_error(e)))?;
    let mut transport = PcscTransport::new(card);
    let out = work(&mut transport);
    transport.finish();
    out
}

/// Has the card in `reader` answer `challenge` (INTERNAL AUTHENTICATE): the terminal's half of
/// a card proof.
pub fn answer_in_reader(reader: &str, challenge: &[u8; 8]) -> Result<Vec<u8>, CardError> {
    with_card(reader, |t| super::session::answer_challenge(t, challenge))
}

/// Has the card in `reader` check the cardholder's PIN (VERIFY).
pub fn verify_pin_in_reader(
    reader: &str,
    pin: &str,
) -> Result<super::session::PinCheck, CardError> {
    with_card(reader, |t| super::session::verify_pin(t, pin))
}

/// Today in the bureau's zone: decides whether a card has expired.
fn today() -> chrono::NaiveDate {
    crate::domain::bureau_time::today()
}
