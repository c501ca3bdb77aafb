//! Card loss reports at the window: 临时挂失 (temporary, active → temp_lost) and its release
//! (temp_lost → active), and 挂失 (permanent, → lost). The kiosk reads `cards.status` and
//! refuses a card that is not active, sending the citizen to the window.
//!
//! Asking for the state a card is already in changes nothing and says so (a double click acts
//! once); a transition that makes no sense (releasing a permanently lost card) is a conflict.

use super::{audit_staff, WindowError};
use crate::db::schema::cards;
use crate::db::DbConn;
use crate::domain::CardStatus;
use crate::staff::Staff;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CardAction {
    TempLoss,
    Release,
    Lost,
}

impl CardAction {
    fn audit_action(self) -> &'static str {
        match self {
            CardAction::TempLoss => "card.temp_loss",
            CardAction::Release => "card.release",
            CardAction::Lost => "card.lost",
        }
    }

    fn target(self) -> CardStatus {
        match self {
            CardAction::TempLoss => CardStatus::TempLost,
            CardAction::Release => CardStatus::Active,
            CardAction::Lost => CardStatus::Lost,
        }
    }

    /// The states this action may start from (besides its own target).
    fn allowed_from(self) -> &'static [CardStatus] {
        match self {
            CardAction::TempLoss => &[CardStatus::Active],
            CardAction::Release => &[CardStatus::TempLost],
            CardAction::Lost => &[CardStatus::Active, CardStatus::TempLost],
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CardChange {
    pub card_no: String,
    pub status: String,
    /// False when the card already was in that state.
    pub changed: bool,
}

pub fn change(
    conn: &mut DbConn,
    who: &Staff,
    card_no: &str,
    action: CardAction,
    now: NaiveDateTime,
) -> Result<CardChange, WindowError> {
    if card_no.is_empty()
        || card_no.len() > 20
        || !card_no.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(WindowError::BadInput(
            "a card number is 1 to 20 letters and digits".into(),
        ));
    }
    conn.transaction(|conn| {
        let found: Option<(String, String)> = cards::table
            .find(card_no)
            .select((cards::ssn, cards::status))
            .first(conn)
            .optional()?;
        let Some((ssn, status)) = found else {
            return Err(WindowError::NotFound(format!("no card {card_no}")));
        };
        let current = CardStatus::parse(&status)
            .map_err(|e| WindowError::Conflict(format!("stored card status: {e}")))?;
        let target = action.target();
        if current == target {
            return Ok(CardChange {
                card_no: card_no.into(),
                status: status.clone(),
                changed: false,
            });
        }
        if !action.allowed_from().contains(&current) {
            return Err(WindowError::Conflict(format!(
                "card {card_no} is {} ({}); {} is not possible from that state",
                current.code(),
                current.name_zh(),
                action.audit_action()
            )));
        }
        // Conditional on the state just read: a concurrent change makes this one a no-op.
        let updated = diesel::update(
            cards::table
                .find(card_no)
                .filter(cards::status.eq(current.code())),
        )
        .set(cards::status.eq(target.code()))
        .execute(conn)?;
        if updated == 0 {
            return Err(WindowError::Conflict(format!(
                "card {card_no} changed meanwhile; look it up again"
            )));
        }
        let detail = Some(format!(
            "card {card_no} {}→{}",
            current.code(),
            target.code()
        ));
        audit_staff(
            conn,
            who,
            action.audit_action(),
            Some(&ssn),
            Some("card_service"),
            "ok",
            detail,
            now,
        )?;
        Ok(CardChange {
            card_no: card_no.into(),
            status: target.code().into(),
            changed: true,
        })
    })
}
