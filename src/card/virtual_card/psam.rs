//! A virtual PSAM holding the master key of the test scheme (see `crate::card::security`), for
//! a second vpcd slot. Its two proprietary commands are what [`crate::card::psam::PsamModule`]
//! sends:
//! - `80 FA 00 00 18 <card id 16> <challenge 8> 10` → the external-authentication cryptogram;
//! - `80 FA 01 00 28 <card id 16> <challenge 8> <response 16>` → `90 00` when the card's
//!   internal-authentication response is right, `63 00` when not.
//!
//! The key never leaves the PSAM.

use super::Applet;
use crate::card::apdu::{self, Command, Response};
use crate::card::security::{card_key, cryptogram, EXTERNAL_DOMAIN, INTERNAL_DOMAIN};

/// ATR with historical bytes "SSKPSAM1", so nobody mistakes it for a citizen's card.
pub const PSAM_ATR: [u8; 12] = [
    0x3B, 0x08, 0x00, 0x00, b'S', b'S', b'K', b'P', b'S', b'A', b'M', b'1',
];

pub struct VirtualPsam {
    master: [u8; 16],
}

impl VirtualPsam {
    pub fn new(master: [u8; 16]) -> VirtualPsam {
        VirtualPsam { master }
    }

    fn handle(&self, c: &Command) -> Response {
        let sw = |sw| Response { data: vec![], sw };
        if c.cla != apdu::PSAM_CLA {
            return sw(apdu::SW_CLA_NOT_SUPPORTED);
        }
        if c.ins != apdu::PSAM_INS {
            return sw(apdu::SW_INS_NOT_SUPPORTED);
        }
        let (id, rest) = c.data.split_at(c.data.len().min(16));
        let (Ok(id), Some(challenge)) = (<[u8; 16]>::try_from(id), rest.get(..8)) else {
            return sw(apdu::SW_WRONG_LENGTH);
        };
        let challenge: [u8; 8] = challenge.try_into().expect("8 bytes");
        let key = card_key(&self.master, &id);
        match (c.p1, &rest[8..]) {
            (0x00, []) => Response {
                data: cryptogram(&key, &challenge, EXTERNAL_DOMAIN).to_vec(),
                sw: apdu::SW_OK,
            },
            (0x01, response) if response.len() == 16 => {
                if response == cryptogram(&key, &challenge, INTERNAL_DOMAIN) {
                    sw(apdu::SW_OK)
                } else {
                    sw(apdu::SW_VERIFICATION_FAILED)
                }
            }
            (0x00 | 0x01, _) => sw(apdu::SW_WRONG_LENGTH),
            _ => sw(apdu::SW_WRONG_P1P2),
        }
    }
}

impl Applet for VirtualPsam {
    fn atr(&self) -> Vec<u8> {
        PSAM_ATR.to_vec()
    }

    fn reset(&mut self) {}

    fn process(&mut self, raw: &[u8]) -> Vec<u8> {
        match Command::parse(raw) {
            Some(c) => self.handle(&c).to_bytes(),
            None => apdu::SW_WRONG_LENGTH.to_be_bytes().to_vec(),
        }
    }
}
