//! The central service's side of the terminals (issue 10): its device CA, enrolment codes, the
//! enrolled terminals, card proofs and the kiosk sessions they open. Terminals hold no secret of
//! the bureau: the store, the signing key and the card master key stay here.
//! See docs/terminals.md.

pub mod admission;
pub mod attempts;
pub mod ca;
pub mod card_proof;
pub mod enrolment;
pub mod sessions;
pub mod terminals;
pub mod trail;
pub mod window_cards;

use std::sync::Arc;

/// What the terminal port needs, built once at `serve`'s start.
pub struct Center {
    pub ca: ca::DeviceCa,
    pub challenges: card_proof::Challenges,
    pub sessions: sessions::Sessions,
    pub enrol_failures: attempts::Attempts,
    pub window_cards: window_cards::WindowCards,
    pub settings: crate::config::CenterConfig,
}

impl Center {
    pub fn open(config: &crate::config::Config) -> Result<Arc<Center>, String> {
        let ca =
            ca::DeviceCa::open_or_create(&config.center.state_dir).map_err(|e| e.to_string())?;
        let master = crate::card::security::parse_key(&config.card.test_master_key)
            .map_err(|e| format!("card.test_master_key: {e}"))?;
        // The center's idle end comes a little after the terminal's own, so the terminal's
        // screen is what the citizen sees end first.
        let idle = std::time::Duration::from_secs(config.kiosk.idle_timeout_seconds + 5);
        Ok(Arc::new(Center {
            ca,
            challenges: card_proof::Challenges::new(master),
            sessions: sessions::Sessions::new(idle),
            window_cards: window_cards::WindowCards::default(),
            enrol_failures: attempts::Attempts::new(
                config.center.enrol_failures_per_window,
                std::time::Duration::from_secs(u64::from(config.center.enrol_window_minutes) * 60),
            ),
            settings: config.center.clone(),
        }))
    }

    pub fn certificate_validity(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.settings.device_certificate_hours.max(1)))
    }
}
