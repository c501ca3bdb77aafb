//! [`SecurityModule`] backed by a PSAM card in another reader slot (ssc-card.md §3). The
//! commands are those of the project's virtual PSAM (`virtual_card::psam`); a vendor PSAM needs
//! its own command set behind the same trait (docs/card.md).

use super::security::{SecurityError, SecurityModule};
use super::{apdu, Transport};

pub struct PsamModule<T: Transport> {
    transport: T,
}

impl<T: Transport> PsamModule<T> {
    pub fn new(transport: T) -> Self {
        PsamModule { transport }
    }

    pub fn into_inner(self) -> T {
        self.transport
    }

    fn send(
        &mut self,
        p1: u8,
        data: Vec<u8>,
        le: Option<u8>,
    ) -> Result<apdu::Response, SecurityError> {
        let command = apdu::Command::new(apdu::PSAM_CLA, apdu::PSAM_INS, p1, 0x00, &data, le);
        let raw = self
            .transport
            .transmit(&command.to_bytes())
            .map_err(|e| SecurityError::Unavailable(format!("PSAM: {e}")))?;
        apdu::Response::parse(&raw)
            .ok_or_else(|| SecurityError::Unavailable("PSAM sent no status word".into()))
    }
}

impl<T: Transport + Send> SecurityModule for PsamModule<T> {
    fn external_cryptogram(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
    ) -> Result<[u8; 16], SecurityError> {
        let r = self.send(0x00, [&card_id[..], &challenge[..]].concat(), Some(16))?;
        match (r.sw, <[u8; 16]>::try_from(r.data.as_slice())) {
            (apdu::SW_OK, Ok(c)) => Ok(c),
            (sw, _) => Err(SecurityError::Refused(format!("PSAM answered {sw:04X}"))),
        }
    }

    fn verify_internal(
        &mut self,
        card_id: &[u8; 16],
        challenge: &[u8; 8],
        response: &[u8],
    ) -> Result<bool, SecurityError> {
        let r = self.send(
            0x01,
            [&card_id[..], &challenge[..], response].concat(),
            None,
        )?;
        match r.sw {
            apdu::SW_OK => Ok(true),
            apdu::SW_VERIFICATION_FAILED | apdu::SW_WRONG_LENGTH => Ok(false),
            sw => Err(SecurityError::Refused(format!("PSAM answered {sw:04X}"))),
        }
    }
}
