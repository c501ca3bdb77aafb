//! A window terminal's reader: each card inserted is proven to the center, which then lets the
//! clerk signed in at this window look its holder up by card; each removal is reported too.
//! Nothing of the card is kept here.

use super::kiosk::admission::{of_read_error, prove, ProofStep};
use super::link::Link;
use crate::card::{CardEvent, Monitor};
use crate::protocol::{path, CardClaim, OpenSession, WindowCard, WindowCardReply};
use std::sync::Arc;

/// Runs until the monitor's channel closes (the process ends).
pub fn spawn(link: Arc<Link>, monitor: &Monitor) -> std::io::Result<()> {
    let mut events = monitor.subscribe();
    std::thread::Builder::new()
        .name("window-card".into())
        .spawn(move || loop {
            match events.blocking_recv() {
                Ok(CardEvent::CardInserted { reader, card, .. }) => {
                    let claim = CardClaim {
                        ssn: card.ssn.as_str().to_string(),
                        card_no: card.card_no.clone(),
                    };
                    match report(&link, &reader, Some(claim)) {
                        Ok(reply) if reply.accepted => {
                            tracing::info!(%reader, ssn = %card.ssn.masked(), "window: card proven to the center")
                        }
                        Ok(reply) => tracing::info!(%reader, refusal = ?reply.refusal, "window: card refused"),
                        Err(e) => tracing::warn!(%reader, "window: card not reported: {e}"),
                    }
                }
                Ok(CardEvent::CardReadFailed { reader, error, .. }) => {
                    tracing::info!(%reader, refusal = ?of_read_error(&error), "window: card not readable");
                    let _ = report(&link, &reader, None);
                }
                Ok(CardEvent::CardRemoved { reader }) => {
                    let _ = report(&link, &reader, None);
                }
                Ok(_) => {}
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        })?;
    Ok(())
}

fn report(link: &Link, reader: &str, claim: Option<CardClaim>) -> Result<WindowCardReply, String> {
    let client = link.client();
    let proof = match claim {
        None => None,
        Some(card) => {
            let (challenge_id, answer) = prove(link, &client, reader).map_err(|e| match e {
                ProofStep::Center(e) => e.to_string(),
                ProofStep::Card(e) => e.to_string(),
            })?;
            Some(OpenSession {
                reader: reader.to_string(),
                challenge_id,
                answer,
                card,
            })
        }
    };
    let reply = client.post(
        path::WINDOW_CARD,
        None,
        &WindowCard {
            reader: reader.to_string(),
            proof,
        },
    );
    link.saw(&reply);
    reply.map_err(|e| e.to_string())
}
