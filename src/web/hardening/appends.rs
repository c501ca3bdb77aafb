//! The node's budgets for what callers make it append (review D7), shared by all workers as app
//! data: staff refusals (`staff.denied`) once per account, call and window; public verifications
//! logged up to a budget per client address and window, then answered without a row.

use crate::audit::{Admission, Throttle};
use std::time::Duration;

const WINDOW: Duration = Duration::from_secs(10 * 60);
/// Verifications one address may have logged per window: a hall's phones scan a few each; a
/// loop over serials is not a record of anything.
const VERIFICATIONS_PER_ADDRESS: u32 = 30;

#[derive(Debug)]
pub struct Appends {
    denied: Throttle,
    verifications: Throttle,
}

impl Default for Appends {
    fn default() -> Self {
        Appends {
            denied: Throttle::new(WINDOW, 1),
            verifications: Throttle::new(WINDOW, VERIFICATIONS_PER_ADDRESS),
        }
    }
}

impl Appends {
    /// Whether this refusal (`key`: account and call) is audited.
    pub fn denied(&self, key: &str) -> bool {
        self.denied.admit(key) == Admission::Record
    }

    /// Whether a verification from `address` is logged; says so once when the budget ends.
    pub fn verification(&self, address: &str) -> bool {
        match self.verifications.admit(address) {
            Admission::Record => true,
            Admission::Exhausted => {
                tracing::warn!(
                    code = "verifications_not_recorded",
                    peer = address,
                    "verification budget of this address used up; not logged until the window ends"
                );
                false
            }
            Admission::Skip => false,
        }
    }
}
