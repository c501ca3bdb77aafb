//! Failed attempts per client address within a window (wrong enrolment codes): past the limit
//! the address is refused until its window has passed, and only the first refusal of a window
//! is audited, so a loop of guesses cannot flood the audit log either.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Attempts {
    limit: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

/// What one more failure means for its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Under the limit.
    Counted,
    /// The failure that reached the limit: refuse, and audit this one.
    JustBlocked,
    /// Already blocked in this window: refuse silently.
    Blocked,
}

impl Attempts {
    pub fn new(limit: u32, window: Duration) -> Attempts {
        Attempts {
            limit: limit.max(1),
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, (Instant, u32)>> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `peer` is blocked now (checked before any work is done for it).
    pub fn blocked(&self, peer: IpAddr) -> bool {
        let now = Instant::now();
        self.lock()
            .get(&peer)
            .is_some_and(|(start, n)| now.duration_since(*start) < self.window && *n >= self.limit)
    }

    pub fn failed(&self, peer: IpAddr) -> Verdict {
        let now = Instant::now();
        let mut seen = self.lock();
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = seen.entry(peer).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        match entry.1.cmp(&self.limit) {
            std::cmp::Ordering::Less => Verdict::Counted,
            std::cmp::Ordering::Equal => Verdict::JustBlocked,
            std::cmp::Ordering::Greater => Verdict::Blocked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_blocks_its_address_only_and_the_block_is_reported_once() {
        let a = Attempts::new(3, Duration::from_secs(600));
        let me: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(a.failed(me), Verdict::Counted);
        assert_eq!(a.failed(me), Verdict::Counted);
        assert!(!a.blocked(me));
        assert_eq!(a.failed(me), Verdict::JustBlocked);
        assert!(a.blocked(me));
        assert_eq!(a.failed(me), Verdict::Blocked);
        assert!(!a.blocked(other));
    }
}
