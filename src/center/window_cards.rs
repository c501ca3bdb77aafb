//! The card proven present at each window terminal, for its clerk's lookup by card. A window
//! terminal reports each card it proves and each removal; a clerk signed in at that window
//! looks up the holder of the card there and no other (docs/terminals.md).

use super::sessions::Holder;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Default)]
pub struct WindowCards {
    present: Mutex<HashMap<String, (Holder, Instant)>>,
}

impl WindowCards {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Holder, Instant)>> {
        self.present.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn present(&self, terminal: &str, holder: Holder) {
        self.lock()
            .insert(terminal.to_string(), (holder, Instant::now()));
    }

    pub fn left(&self, terminal: &str) {
        self.lock().remove(terminal);
    }

    /// The holder of the card in `terminal`'s reader, if one is proven there.
    pub fn at(&self, terminal: &str) -> Option<Holder> {
        self.lock().get(terminal).map(|(h, _)| h.clone())
    }
}
