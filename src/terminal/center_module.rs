//! The center as the security module of a 3.00 read on a terminal (the card interface's HSM
//! split, docs/terminals.md): the terminal asks for the EXTERNAL AUTHENTICATE cryptogram of the
//! card's own challenge, and for the check of the card's internal answer. The key stays on the
//! center; the terminal relays. Blocking, like every [`SecurityModule`] call.

use super::client::CenterClient;
use crate::card::security::{SecurityError, SecurityModule};
use crate::protocol::{self, path};
use std::sync::Arc;

pub struct CenterModule(pub Arc<CenterClient>);

fn unavailable(e: impl std::fmt::Display) -> SecurityError {
    SecurityError::Unavailable(format!("center: {e}"))
}

impl SecurityModule for CenterModule {
    fn external_cryptogram(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
    ) -> Result<[u8; 16], SecurityError> {
        let reply: protocol::ExternalReply = self
            .0
            .post(
                path::EXTERNAL,
                None,
                &protocol::ExternalRequest {
                    card_id: hex::encode(card_id),
                    challenge: hex::encode(challenge),
                },
            )
            .map_err(unavailable)?;
        protocol::bytes::<16>(&reply.cryptogram)
            .ok_or_else(|| unavailable("the cryptogram is not 16 bytes"))
    }

    fn verify_internal(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
        response: &[u8],
    ) -> Result<bool, SecurityError> {
        let reply: protocol::InternalReply = self
            .0
            .post(
                path::INTERNAL,
                None,
                &protocol::InternalRequest {
                    card_id: hex::encode(card_id),
                    challenge: hex::encode(challenge),
                    response: hex::encode(response),
                },
            )
            .map_err(unavailable)?;
        Ok(reply.genuine)
    }
}
