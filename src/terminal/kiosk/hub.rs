//! The hub: one thread with its own small tokio runtime that applies the monitor's events in
//! order and ends idle sessions at their deadline. Events are applied one at a time (the card
//! check against the store included), so a removal can never overtake the insertion before it.

use super::admission::{admit, of_read_error};
use super::floor::CardHere;
use super::session::Holder;
use super::Kiosk;
use crate::card::CardEvent;
use crate::protocol::Refusal;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::broadcast::{self, error::RecvError};

pub(super) fn spawn(kiosk: Arc<Kiosk>, events: broadcast::Receiver<CardEvent>) {
    std::thread::Builder::new()
        .name("kiosk-hub".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("build the kiosk hub runtime");
            runtime.block_on(run(kiosk, events));
        })
        .expect("spawn the kiosk hub thread");
}

async fn run(kiosk: Arc<Kiosk>, mut events: broadcast::Receiver<CardEvent>) {
    loop {
        let deadline = kiosk.lock().next_deadline();
        let sleep = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d.into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            event = events.recv() => match event {
                Ok(event) => apply(&kiosk, event).await,
                Err(RecvError::Lagged(n)) => {
                    // Missed events could hide a removal: end everything, the monitor's next
                    // events rebuild the state.
                    tracing::warn!(missed = n, "kiosk: card events lost; clearing the sessions");
                    kiosk.update(|f| {
                        for card in f.readers.values_mut() {
                            *card = None;
                        }
                        (true, ())
                    });
                }
                Err(RecvError::Closed) => return,
            },
            () = sleep => {
                kiosk.update(|f| (f.expire(Instant::now()), ()));
            }
            () = kiosk.wake.notified() => {}
        }
    }
}

async fn apply(kiosk: &Arc<Kiosk>, event: CardEvent) {
    match event {
        CardEvent::ServiceUp => kiosk.update(|f| {
            f.service(true);
            (true, ())
        }),
        CardEvent::ServiceDown { .. } => kiosk.update(|f| {
            f.service(false);
            (true, ())
        }),
        CardEvent::ReaderAdded { reader } => kiosk.update(|f| {
            f.reader_added(&reader);
            (true, ())
        }),
        CardEvent::ReaderRemoved { reader } => kiosk.update(|f| {
            f.reader_removed(&reader);
            (true, ())
        }),
        CardEvent::CardRemoved { reader } => kiosk.update(|f| {
            f.card_removed(&reader);
            (true, ())
        }),
        CardEvent::CardReadFailed { reader, error, .. } => {
            tracing::info!(%reader, %error, "kiosk: card not readable");
            let refusal = of_read_error(&error);
            kiosk.update(|f| {
                f.card_arrived(&reader, CardHere::Refused(refusal));
                (true, ())
            })
        }
        CardEvent::CardInserted {
            reader,
            card,
            timing,
        } => {
            // A second card opens nothing, so its store check is not needed; nor does any card
            // while the kiosk is out of service.
            let (crowded, closed) = {
                let floor = kiosk.lock();
                (
                    floor.other_card_present(&reader),
                    floor.out_of_service.is_some(),
                )
            };
            let mut proof_us = None;
            let outcome = if crowded {
                CardHere::Waiting
            } else if closed {
                CardHere::Refused(Refusal::OutOfService)
            } else if !kiosk.link.is_up() {
                CardHere::Refused(Refusal::StoreUnavailable)
            } else {
                let link = kiosk.link.clone();
                let idle = kiosk.idle();
                let holder = Holder {
                    ssn: card.ssn.clone(),
                    card_no: card.card_no.clone(),
                    name: card.name.clone(),
                };
                let reader = reader.clone();
                let started = Instant::now();
                let outcome =
                    tokio::task::spawn_blocking(move || admit(&link, &reader, &holder, idle))
                        .await
                        .unwrap_or(CardHere::Refused(Refusal::StoreUnavailable));
                proof_us = Some(started.elapsed().as_micros() as u64);
                outcome
            };
            kiosk.update(|f| {
                f.last_proof_us = proof_us;
                f.last_read_us = Some(timing.total.as_micros() as u64);
                f.card_arrived(&reader, outcome);
                (true, ())
            })
        }
    }
}
