//! A session for a card, asked of the center: a challenge from the center, the card's answer
//! to it (INTERNAL AUTHENTICATE through PC/SC), and the center's verdict. The terminal decides
//! nothing about the card itself. Blocking: call from a blocking thread.

use super::floor::CardHere;
use super::session::{Holder, Session};
use crate::card::CardError;
use crate::protocol::{
    self, path, CardClaim, Challenge, ChallengeRequest, OpenSession, Opened, Refusal,
};
use crate::terminal::client::{CenterClient, CenterError};
use crate::terminal::link::Link;
use std::time::{Duration, Instant};

/// What a card's read error shows at the kiosk.
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

fn center_failed(e: &CenterError) -> Refusal {
    tracing::warn!("kiosk: the center could not open a session: {e}");
    Refusal::StoreUnavailable
}

/// The card of `holder` in `reader`, proven to the center: an open session, or why not.
pub fn admit(link: &Link, reader: &str, holder: &Holder, idle: Duration) -> CardHere {
    match try_admit(link, reader, holder) {
        Ok((center_token, name)) => {
            let holder = Holder {
                name,
                ..holder.clone()
            };
            tracing::info!(%reader, ssn = %holder.ssn.masked(), "kiosk: session opened by the center");
            CardHere::Open(Session::open(
                reader,
                holder,
                center_token,
                idle,
                Instant::now(),
            ))
        }
        Err(refusal) => {
            tracing::info!(%reader, ?refusal, "kiosk: card refused");
            CardHere::Refused(refusal)
        }
    }
}

fn try_admit(link: &Link, reader: &str, holder: &Holder) -> Result<(String, String), Refusal> {
    let client = link.client();
    let (challenge_id, answer) = match prove(link, &client, reader) {
        Ok(proof) => proof,
        Err(ProofStep::Center(e)) => return Err(center_failed(&e)),
        Err(ProofStep::Card(e)) => {
            tracing::info!(%reader, "kiosk: the card did not answer the challenge: {e}");
            return Err(of_read_error(&e));
        }
    };
    let opened: Result<Opened, _> = client.post(
        path::OPEN,
        None,
        &OpenSession {
            reader: reader.to_string(),
            challenge_id,
            answer,
            card: CardClaim {
                ssn: holder.ssn.as_str().to_string(),
                card_no: holder.card_no.clone(),
            },
        },
    );
    link.saw(&opened);
    match opened.map_err(|e| center_failed(&e))? {
        Opened::Opened { token, name, .. } => Ok((token, name)),
        Opened::Refused { reason } => Err(reason),
    }
}

/// Which step of a card proof failed.
pub enum ProofStep {
    /// The center gave no (usable) challenge.
    Center(CenterError),
    /// The card in the reader did not answer it.
    Card(CardError),
}

/// A fresh challenge of the center, answered by the card in `reader`: the challenge's id and
/// the card's answer (hex), for the center to check. Blocking (the center and PC/SC).
pub fn prove(
    link: &Link,
    client: &CenterClient,
    reader: &str,
) -> Result<(String, String), ProofStep> {
    let challenge: Result<Challenge, _> = client.post(
        path::CHALLENGE,
        None,
        &ChallengeRequest {
            reader: reader.to_string(),
        },
    );
    link.saw(&challenge);
    let challenge = challenge.map_err(ProofStep::Center)?;
    let bytes = protocol::bytes::<8>(&challenge.challenge)
        .ok_or_else(|| ProofStep::Center(CenterError::BadAnswer("challenge".into())))?;
    let answer = crate::card::answer_in_reader(reader, &bytes).map_err(ProofStep::Card)?;
    Ok((challenge.id, hex::encode(answer)))
}

/// A fresh proof of the card inside an open session (before a certificate is issued).
pub fn reprove(link: &Link, reader: &str, center_token: &str) -> Result<(), CenterError> {
    let client = link.client();
    let (challenge_id, answer) = prove(link, &client, reader).map_err(|e| match e {
        ProofStep::Center(e) => e,
        ProofStep::Card(e) => CenterError::Setup(format!("the card did not answer: {e}")),
    })?;
    client.post(
        path::REPROVE,
        Some(center_token),
        &protocol::Reprove {
            challenge_id,
            answer,
        },
    )
}
