//! Whether a card that was read opens a session: the person must be in the store and the card
//! must be theirs and active there. A card reported lost at a window (`cards.status`) opens
//! nothing, even though the chip still reads fine. Blocking (diesel): call from a blocking thread.

use super::session::Holder;
use crate::card::{CardError, SocialSecurityCard};
use crate::db::schema::{cards, persons};
use crate::db::DbConn;
use crate::domain::CardStatus;
use diesel::prelude::*;
use serde::Serialize;

/// Why a card opened no session: each is one screen of plain words at the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Readable card, but the ID number is not in the records.
    UnknownPerson,
    /// The person is known, but this card number is not their card on record (replaced card).
    CardNotRegistered,
    /// The card is reported lost, temporarily lost or cancelled (the store's card status).
    CardLost,
    CardTempLost,
    CardCancelled,
    /// The card's validity date has passed (from the card itself).
    Expired,
    /// The PIN is blocked.
    Locked,
    /// Not a social security card, or a blank one.
    NotSocialSecurityCard,
    /// Any other read failure: the card could not be read (dirty chip, pulled too early…).
    Unreadable,
    /// The store did not answer: nothing can be checked now.
    StoreUnavailable,
    /// An admin took this kiosk out of service (docs/devices.md): no new session opens.
    OutOfService,
}

impl Refusal {
    pub fn of_read_error(e: &CardError) -> Refusal {
        match e {
            CardError::Expired { .. } => Refusal::Expired,
            CardError::Locked => Refusal::Locked,
            CardError::NotSocialSecurityCard | CardError::BlankCard(_) => {
                Refusal::NotSocialSecurityCard
            }
            _ => Refusal::Unreadable,
        }
    }
}

/// Checks the card just read against the store.
pub fn admit(conn: &mut DbConn, card: &SocialSecurityCard) -> Result<Holder, Refusal> {
    let ssn = card.ssn.as_str();
    let known: Option<String> = persons::table
        .find(ssn)
        .select(persons::ssn)
        .first(conn)
        .optional()
        .map_err(|e| unavailable(&e))?;
    if known.is_none() {
        return Err(Refusal::UnknownPerson);
    }
    card_status(conn, &card.card_no, ssn).map(|()| Holder {
        ssn: card.ssn.clone(),
        card_no: card.card_no.clone(),
        name: card.name.clone(),
    })
}

/// Whether the card `card_no` of `ssn` may open (or keep) a session: its store status is active.
/// Checked again on every kiosk call, so a card reported lost at a window while its session is
/// open stops working at once.
pub fn card_status(conn: &mut DbConn, card_no: &str, ssn: &str) -> Result<(), Refusal> {
    let status: Option<String> = cards::table
        .filter(cards::card_no.eq(card_no))
        .filter(cards::ssn.eq(ssn))
        .select(cards::status)
        .first(conn)
        .optional()
        .map_err(|e| unavailable(&e))?;
    let Some(status) = status else {
        return Err(Refusal::CardNotRegistered);
    };
    match CardStatus::parse(&status) {
        Ok(CardStatus::Active) => Ok(()),
        Ok(CardStatus::TempLost) => Err(Refusal::CardTempLost),
        Ok(CardStatus::Lost) => Err(Refusal::CardLost),
        // Cancelled, and anything a later status list adds: no session without staff.
        Ok(CardStatus::Cancelled) | Err(_) => Err(Refusal::CardCancelled),
    }
}

fn unavailable(e: &diesel::result::Error) -> Refusal {
    tracing::error!("kiosk: card check failed: {e}");
    Refusal::StoreUnavailable
}
