//! Counters of what happens away from the public port's handlers: card proofs on the terminal
//! port (another server of the same process) and audit appends, which handlers, the terminal
//! port, the nightly checks and the command line all make. None of those has the public port's
//! app data at hand, so the counters are one value per process — which is also what a scrape
//! describes. Callers use the hook functions below; [`render`] writes them for `/metrics`.

use super::histogram::Histogram;
use crate::protocol::Refusal;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{LazyLock, Mutex};
use std::time::Instant;

/// Seconds. An append is a fraction of a millisecond on SQLite and waits for a durable commit
/// behind the chain's head on PostgreSQL (tens of milliseconds under load, docs/benchmarks.md).
const APPEND_SECONDS: [f64; 11] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
];
/// Entries per commit.
const BATCH_ENTRIES: [f64; 8] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

struct Events {
    cards: Mutex<Cards>,
    audit: Mutex<Audit>,
}

#[derive(Default)]
struct Cards {
    read: u64,
    /// By reason code: a protocol [`Refusal`]'s name, so a bounded set of series.
    refused: BTreeMap<String, u64>,
}

struct Audit {
    latency: Histogram,
    batch: Histogram,
}

static EVENTS: LazyLock<Events> = LazyLock::new(|| Events {
    cards: Mutex::default(),
    audit: Mutex::new(Audit {
        latency: Histogram::new(&APPEND_SECONDS),
        batch: Histogram::new(&BATCH_ENTRIES),
    }),
});

fn cards() -> std::sync::MutexGuard<'static, Cards> {
    EVENTS.cards.lock().unwrap_or_else(|p| p.into_inner())
}

fn audit() -> std::sync::MutexGuard<'static, Audit> {
    EVENTS.audit.lock().unwrap_or_else(|p| p.into_inner())
}

/// Why the center did not take a card a terminal presented.
#[derive(Debug, Clone, Copy)]
pub enum CardRefusal<'a> {
    /// The store's or the proof's verdict, as the terminal is told it.
    Refusal(&'a Refusal),
    /// The answer came for a challenge this center does not hold (replayed, relayed, expired).
    UnknownChallenge,
}

/// A card a terminal presented to the center with its answer to a challenge (kiosk session,
/// re-proof or window card): the center's view of a card read.
pub fn card_read() {
    cards().read += 1;
}

pub fn card_refused(reason: CardRefusal) {
    let code = match reason {
        // The same snake_case name the terminal receives (serde), not a second spelling.
        CardRefusal::Refusal(r) => serde_json::to_value(r)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "other".into()),
        CardRefusal::UnknownChallenge => "challenge_unknown".into(),
    };
    *cards().refused.entry(code).or_default() += 1;
}

/// Times one audit append from its call to its return (what the audited request waits),
/// recorded when dropped, whatever the outcome.
#[must_use = "the append is timed until this is dropped"]
pub struct AuditAppendTimer(Instant);

impl AuditAppendTimer {
    pub fn start() -> AuditAppendTimer {
        AuditAppendTimer(Instant::now())
    }
}

impl Drop for AuditAppendTimer {
    fn drop(&mut self) {
        let seconds = self.0.elapsed().as_secs_f64();
        audit().latency.observe(seconds);
    }
}

/// A commit of the audit chain that carried `entries` appended entries.
pub fn audit_batch_committed(entries: usize) {
    audit().batch.observe(entries as f64);
}

pub(super) fn render(out: &mut String) {
    {
        let cards = cards();
        let _ = writeln!(
            out,
            "# HELP sskiosk_card_reads_total Cards presented to the center with a card proof (kiosk sessions, re-proofs, window cards).\n\
             # TYPE sskiosk_card_reads_total counter\nsskiosk_card_reads_total {}\n\
             # HELP sskiosk_card_read_refusals_total Presented cards the center refused, by reason.\n\
             # TYPE sskiosk_card_read_refusals_total counter",
            cards.read
        );
        for (reason, n) in &cards.refused {
            let _ = writeln!(
                out,
                "sskiosk_card_read_refusals_total{{reason=\"{}\"}} {n}",
                super::registry::label(reason)
            );
        }
    }
    let audit = audit();
    out.push_str("# HELP sskiosk_audit_append_seconds Time an audit append takes, call to return.\n# TYPE sskiosk_audit_append_seconds histogram\n");
    audit
        .latency
        .render(out, "sskiosk_audit_append_seconds", "");
    out.push_str("# HELP sskiosk_audit_append_batch_entries Entries per commit of the audit chain.\n# TYPE sskiosk_audit_append_batch_entries histogram\n");
    audit
        .batch
        .render(out, "sskiosk_audit_append_batch_entries", "");
}
