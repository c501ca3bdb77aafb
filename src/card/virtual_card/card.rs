//! The card's APDU processor: a 1.00/2.00/3.00 social security card as ssc-card.md §2–§3
//! describe it, with the variants of [`super::Variant`] and realistic status words.

use super::files::{CardFiles, Record};
use super::profile::{CardProfile, Variant};
use super::{Applet, CARD_ATR, EXTENDED_LENGTH_ATR};
use crate::card::apdu::{self, Command, Response};
use crate::card::security::{self, EXTERNAL_DOMAIN, INTERNAL_DOMAIN};

/// EF05 items a 3.00 card shows before external authentication (ssc-card.md §3).
const PUBLIC_EF05: [u8; 3] = [0x01, 0x03, 0x07];

pub struct VirtualCard {
    files: CardFiles,
    variant: Variant,
    mf_selected: bool,
    ssse_selected: bool,
    current_ef: Option<u8>,
    authenticated: bool,
    challenge: Option<[u8; 8]>,
    /// Data waiting for GET RESPONSE after a `61 xx`.
    pending: Vec<u8>,
    /// The PIN as VERIFY carries it (BCD), and the wrong tries left: kept across resets, like
    /// a real card's counter in EEPROM.
    pin_bcd: Vec<u8>,
    pin_tries: u8,
    /// The APDU being handled came in the extended-length form.
    extended: bool,
}

const SW_END_OF_RECORD: u16 = 0x6282;
const SW_FCI_NOT_FORMATTED: u16 = 0x6284;

fn sw(sw: u16) -> Response {
    Response {
        data: Vec::new(),
        sw,
    }
}

impl VirtualCard {
    pub fn new(profile: &CardProfile, default_master: [u8; 16]) -> VirtualCard {
        VirtualCard {
            files: CardFiles::build(profile, default_master),
            variant: profile.variant.clone(),
            mf_selected: false,
            ssse_selected: false,
            current_ef: None,
            authenticated: false,
            challenge: None,
            pending: Vec::new(),
            pin_bcd: crate::card::bcd::encode(&profile.pin).unwrap_or_default(),
            pin_tries: profile.pin_tries,
            extended: false,
        }
    }

    /// After how many APDUs the card is "pulled" (see [`Variant::drop_after_apdus`]).
    pub fn drop_after_apdus(&self) -> Option<u32> {
        self.variant.drop_after_apdus
    }

    fn handle(&mut self, c: &Command) -> Response {
        if c.ins != 0xC0 {
            self.pending.clear();
        }
        if c.cla != 0x00 {
            return sw(apdu::SW_CLA_NOT_SUPPORTED);
        }
        if self.variant.le_zero_wrong_length
            && !self.extended
            && c.data.is_empty()
            && c.le == Some(0)
        {
            return sw(apdu::SW_WRONG_LENGTH);
        }
        match c.ins {
            0xA4 => self.select(c),
            0xB2 => self.read_record(c),
            0xC0 => self.get_response(c),
            0x84 if self.variant.challenge_le_zero && c.le != Some(0) => sw(apdu::SW_WRONG_LENGTH),
            0x84 if self.files.protected => {
                let challenge = security::random_challenge();
                self.challenge = Some(challenge);
                self.deliver(challenge.to_vec(), c.le)
            }
            0x88 => self.internal_authenticate(c),
            0x20 => self.verify_pin(c),
            0x82 => self.external_authenticate(c),
            _ => sw(apdu::SW_INS_NOT_SUPPORTED),
        }
    }

    fn select(&mut self, c: &Command) -> Response {
        match (c.p1, c.data.as_slice()) {
            (0x00, [0x3F, 0x00]) => {
                self.mf_selected = true;
                self.ssse_selected = false;
                self.current_ef = None;
                sw(apdu::SW_OK)
            }
            (0x04, name) if name == apdu::SSSE_NAME => {
                if !self.files.has_ssse || (self.variant.require_mf && !self.mf_selected) {
                    return sw(apdu::SW_FILE_NOT_FOUND);
                }
                self.ssse_selected = true;
                self.current_ef = None;
                self.authenticated = false;
                if self.variant.select_61xx {
                    // FCI: DF name, and the algorithm identifier seen on real cards (§2).
                    let mut fci = vec![0x84, name.len() as u8];
                    fci.extend_from_slice(name);
                    fci.extend_from_slice(&[0xA5, 0x03, 0x9F, 0x0C, 0x01]);
                    let mut out = vec![0x6F, fci.len() as u8];
                    out.extend(fci);
                    return self.pending_response(out);
                }
                sw(self.select_ok())
            }
            (0x00 | 0x02, [0xEF, fid @ (0x05 | 0x06)]) if self.ssse_selected => {
                if self.file(*fid).is_none() {
                    return sw(apdu::SW_FILE_NOT_FOUND);
                }
                self.current_ef = Some(*fid);
                sw(self.select_ok())
            }
            _ => sw(apdu::SW_FILE_NOT_FOUND),
        }
    }

    fn file(&self, fid: u8) -> Option<&Vec<Record>> {
        match fid {
            5 => Some(&self.files.ef05),
            6 => self.files.ef06.as_ref(),
            _ => None,
        }
    }

    fn protected(&self, fid: u8, tag: u8) -> bool {
        self.files.protected && !self.authenticated && !(fid == 5 && PUBLIC_EF05.contains(&tag))
    }

    fn read_record(&mut self, c: &Command) -> Response {
        if !self.ssse_selected {
            return sw(apdu::SW_CONDITIONS_NOT_SATISFIED);
        }
        let sfi = c.p2 >> 3;
        let Some(fid) = (if sfi == 0 { self.current_ef } else { Some(sfi) }) else {
            return sw(apdu::SW_CONDITIONS_NOT_SATISFIED);
        };
        let Some(records) = self.file(fid) else {
            return sw(apdu::SW_FILE_NOT_FOUND);
        };
        let chosen: Vec<&Record> = match c.p2 & 0b111 {
            0b000 => records.iter().filter(|r| r.tag == c.p1).take(1).collect(),
            0b100 => records
                .get(usize::from(c.p1).wrapping_sub(1))
                .into_iter()
                .collect(),
            0b101 if self.variant.read_all => records
                .iter()
                .skip(usize::from(c.p1).saturating_sub(1))
                .collect(),
            _ => return sw(apdu::SW_WRONG_P1P2),
        };
        if chosen.is_empty() {
            return sw(apdu::SW_RECORD_NOT_FOUND);
        }
        if chosen.iter().any(|r| self.protected(fid, r.tag)) {
            return sw(apdu::SW_SECURITY_NOT_SATISFIED);
        }
        let data: Vec<u8> = chosen
            .iter()
            .flat_map(|r| r.bytes.iter().copied())
            .collect();
        let mut answer = self.deliver(data, c.le);
        if self.variant.warn_short_record && answer.sw == apdu::SW_OK {
            answer.sw = SW_END_OF_RECORD;
        }
        answer
    }

    fn select_ok(&self) -> u16 {
        if self.variant.select_warning {
            SW_FCI_NOT_FORMATTED
        } else {
            apdu::SW_OK
        }
    }

    /// Data with the status words the variant asks for: `61 xx`, `6C xx` or plain `90 00`.
    fn deliver(&mut self, data: Vec<u8>, le: Option<u8>) -> Response {
        if self.variant.get_response {
            return self.pending_response(data);
        }
        let exact = data.len() as u8;
        if self.variant.exact_le && le != Some(exact) {
            return sw(0x6C00 | u16::from(exact));
        }
        if self.variant.le_zero_wrong_length {
            // What ISO/IEC 7816-4 §5.1 allows: the first Le bytes of a longer answer.
            let mut data = data;
            if let Some(n) = le.filter(|&n| n != 0 && usize::from(n) < data.len()) {
                data.truncate(usize::from(n));
            }
            return Response {
                data,
                sw: apdu::SW_OK,
            };
        }
        Response {
            data,
            sw: apdu::SW_OK,
        }
    }

    fn pending_response(&mut self, data: Vec<u8>) -> Response {
        let n = data.len().min(255) as u16;
        self.pending = data;
        sw(0x6100 | n)
    }

    fn get_response(&mut self, c: &Command) -> Response {
        if self.pending.is_empty() {
            return sw(apdu::SW_CONDITIONS_NOT_SATISFIED);
        }
        let want = match c.le {
            Some(0) | None => 256,
            Some(n) => usize::from(n),
        };
        let n = want.min(self.pending.len());
        let data: Vec<u8> = self.pending.drain(..n).collect();
        let rest = self.pending.len();
        Response {
            data,
            sw: if rest == 0 {
                apdu::SW_OK
            } else {
                0x6100 | rest.min(255) as u16
            },
        }
    }

    /// VERIFY `00 20 00 00 03 <PIN in BCD>`: `90 00`, `63 Cx` with x wrong tries left, or
    /// `69 83` once blocked (ISO/IEC 7816-4 §11.5.6).
    fn verify_pin(&mut self, c: &Command) -> Response {
        if !self.ssse_selected {
            return sw(apdu::SW_CONDITIONS_NOT_SATISFIED);
        }
        if self.pin_tries == 0 {
            return sw(apdu::SW_BLOCKED);
        }
        if c.data.is_empty() || c.data.len() > 8 {
            return sw(apdu::SW_WRONG_LENGTH);
        }
        if c.data == self.pin_bcd {
            self.pin_tries = crate::card::virtual_card::profile::PIN_TRIES;
            sw(apdu::SW_OK)
        } else {
            self.pin_tries -= 1;
            if self.pin_tries == 0 {
                sw(apdu::SW_BLOCKED)
            } else {
                sw(0x63C0 | u16::from(self.pin_tries))
            }
        }
    }

    fn internal_authenticate(&mut self, c: &Command) -> Response {
        let key = self.files.card_key;
        let Ok(challenge) = <[u8; 8]>::try_from(c.data.as_slice()) else {
            return sw(apdu::SW_WRONG_LENGTH);
        };
        let answer = security::cryptogram(&key, &challenge, INTERNAL_DOMAIN);
        self.deliver(answer.to_vec(), c.le)
    }

    fn external_authenticate(&mut self, c: &Command) -> Response {
        if !self.files.protected {
            return sw(apdu::SW_INS_NOT_SUPPORTED);
        }
        let key = self.files.card_key;
        // A challenge serves one attempt only.
        let Some(challenge) = self.challenge.take() else {
            return sw(apdu::SW_CONDITIONS_NOT_SATISFIED);
        };
        if c.p2 != apdu::KEY_ID || c.data.len() != 16 {
            return sw(apdu::SW_WRONG_P1P2);
        }
        if c.data == security::cryptogram(&key, &challenge, EXTERNAL_DOMAIN) {
            self.authenticated = true;
            sw(apdu::SW_OK)
        } else {
            sw(apdu::SW_VERIFICATION_FAILED)
        }
    }
}

impl Applet for VirtualCard {
    fn atr(&self) -> Vec<u8> {
        if self.variant.extended_length {
            EXTENDED_LENGTH_ATR.to_vec()
        } else {
            CARD_ATR.to_vec()
        }
    }

    fn reset(&mut self) {
        self.mf_selected = false;
        self.ssse_selected = false;
        self.current_ef = None;
        self.authenticated = false;
        self.challenge = None;
        self.pending.clear();
    }

    fn process(&mut self, raw: &[u8]) -> Vec<u8> {
        let parse_long = || {
            apdu::parse_extended(raw)
                .filter(|_| self.variant.extended_length)
                .map(|e| e.command)
        };
        let (command, extended) = match Command::parse(raw) {
            Some(c) => (Some(c), false),
            None => (parse_long(), true),
        };
        self.extended = extended;
        let response = match command {
            Some(c) => self.handle(&c),
            None => sw(apdu::SW_WRONG_LENGTH),
        };
        response.to_bytes()
    }
}
