//! Whether a card a terminal read opens a session: the person must be in the store and the card
//! must be theirs and active there. A card reported lost at a window (`cards.status`) opens
//! nothing, even though the chip still reads fine. The store's card identification code is what
//! the card's proof is checked against (never the one the terminal reports).
//! Blocking (diesel): call from a blocking thread.

use super::sessions::Holder;
use crate::db::schema::{cards, persons};
use crate::db::DbConn;
use crate::domain::{CardStatus, CitizenId};
use crate::protocol::Refusal;
use diesel::prelude::*;

/// A card the store knows, with the identification code its key derives from.
pub struct Admitted {
    pub holder: Holder,
    pub card_id_code: [u8; 16],
}

/// Checks the card a terminal claims against the store, for a kiosk session: the card must be
/// active.
pub fn admit(conn: &mut DbConn, ssn: &CitizenId, card_no: &str) -> Result<Admitted, Refusal> {
    let admitted = identify(conn, ssn, card_no)?;
    card_status(conn, card_no, ssn.as_str())?;
    Ok(admitted)
}

/// The person and card a terminal claims, whatever the card's status (a clerk serves holders of
/// lost cards too).
pub fn identify(conn: &mut DbConn, ssn: &CitizenId, card_no: &str) -> Result<Admitted, Refusal> {
    let name: Option<String> = persons::table
        .find(ssn.as_str())
        .select(persons::name)
        .first(conn)
        .optional()
        .map_err(|e| unavailable(&e))?;
    let Some(name) = name else {
        return Err(Refusal::UnknownPerson);
    };
    let code: Option<String> = cards::table
        .filter(cards::card_no.eq(card_no))
        .filter(cards::ssn.eq(ssn.as_str()))
        .select(cards::card_id_code)
        .first(conn)
        .optional()
        .map_err(|e| unavailable(&e))?;
    let code = code.ok_or(Refusal::CardNotRegistered)?;
    let card_id_code = crate::protocol::bytes::<16>(&code).ok_or(Refusal::NotGenuine)?;
    Ok(Admitted {
        holder: Holder {
            ssn: ssn.clone(),
            card_no: card_no.to_string(),
            name,
        },
        card_id_code,
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
