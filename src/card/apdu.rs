//! Short command and response APDUs (ISO/IEC 7816-4), the commands of ssc-card.md §2–§3 and the
//! status words the card answers with.

/// GBK bytes of the DF name "sx1.sh.社会保障" (ssc-card.md §1).
pub const SSSE_NAME: &[u8] = b"sx1.sh.\xC9\xE7\xBB\xE1\xB1\xA3\xD5\xCF";

pub const SW_OK: u16 = 0x9000;
pub const SW_VERIFICATION_FAILED: u16 = 0x6300;
pub const SW_WRONG_LENGTH: u16 = 0x6700;
pub const SW_SECURITY_NOT_SATISFIED: u16 = 0x6982;
pub const SW_BLOCKED: u16 = 0x6983;
pub const SW_CONDITIONS_NOT_SATISFIED: u16 = 0x6985;
pub const SW_FUNCTION_NOT_SUPPORTED: u16 = 0x6A81;
pub const SW_FILE_NOT_FOUND: u16 = 0x6A82;
pub const SW_RECORD_NOT_FOUND: u16 = 0x6A83;
pub const SW_WRONG_P1P2: u16 = 0x6A86;
pub const SW_INS_NOT_SUPPORTED: u16 = 0x6D00;
pub const SW_CLA_NOT_SUPPORTED: u16 = 0x6E00;

/// A response: data field and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Response {
    /// Splits raw bytes from the reader; fewer than two bytes is not a response.
    pub fn parse(raw: &[u8]) -> Option<Response> {
        let n = raw.len().checked_sub(2)?;
        Some(Response {
            data: raw[..n].to_vec(),
            sw: u16::from_be_bytes([raw[n], raw[n + 1]]),
        })
    }

    pub fn sw1(&self) -> u8 {
        (self.sw >> 8) as u8
    }

    pub fn sw2(&self) -> u8 {
        self.sw as u8
    }

    /// Bytes as sent on the wire (data then SW1 SW2).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.to_be_bytes());
        out
    }
}

/// A parsed short command APDU (cases 1–4), as the card side sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
    /// `None` when absent; `Some(0)` means 256 (any length).
    pub le: Option<u8>,
}

impl Command {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8, data: &[u8], le: Option<u8>) -> Command {
        Command {
            cla,
            ins,
            p1,
            p2,
            data: data.to_vec(),
            le,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![self.cla, self.ins, self.p1, self.p2];
        if !self.data.is_empty() {
            out.push(self.data.len() as u8);
            out.extend_from_slice(&self.data);
        }
        out.extend(self.le);
        out
    }

    /// The same command in the extended-length form (ISO/IEC 7816-4 §5.1): Lc as `00` and two
    /// bytes, Le as two bytes (after a `00` when there is no data), and a short Le of `00`
    /// (256) becomes `00 00`, 65,536 — "all the card has", as in the short form.
    pub fn to_extended_bytes(&self) -> Vec<u8> {
        let mut out = vec![self.cla, self.ins, self.p1, self.p2];
        if !self.data.is_empty() {
            out.push(0);
            out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            if self.data.is_empty() {
                out.push(0);
            }
            out.extend_from_slice(&u16::from(le).to_be_bytes());
        }
        out
    }

    /// Parses a short APDU; `None` when the lengths do not add up.
    pub fn parse(raw: &[u8]) -> Option<Command> {
        let (header, body) = (raw.get(..4)?, &raw[4..]);
        let (data, le) = match body.len() {
            0 => (&[][..], None),
            1 => (&[][..], Some(body[0])),
            n => {
                let lc = body[0] as usize;
                if lc == 0 || n < 1 + lc || n > 2 + lc {
                    return None;
                }
                (&body[1..1 + lc], body.get(1 + lc).copied())
            }
        };
        Some(Command::new(
            header[0], header[1], header[2], header[3], data, le,
        ))
    }
}

/// An extended-length command APDU as the card side sees it: the command, and the number of
/// bytes the reader expects back (`Ne`, 1–65,536), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extended {
    pub command: Command,
    pub ne: Option<u32>,
}

/// Parses an extended-length APDU (cases 2E, 3E, 4E); `None` for a short one or when the
/// lengths do not add up. The command's short `le` is `Some(0)` whenever an Le is present.
pub fn parse_extended(raw: &[u8]) -> Option<Extended> {
    let (header, body) = (raw.get(..4)?, &raw[4..]);
    if body.len() < 3 || body[0] != 0 {
        return None;
    }
    let ne = |two: &[u8]| match u16::from_be_bytes([two[0], two[1]]) {
        0 => 65_536,
        n => u32::from(n),
    };
    let (data, ne) = if body.len() == 3 {
        (&[][..], Some(ne(&body[1..3])))
    } else {
        let lc = usize::from(u16::from_be_bytes([body[1], body[2]]));
        match body.len().checked_sub(3 + lc)? {
            _ if lc == 0 => return None,
            0 => (&body[3..], None),
            2 => (&body[3..3 + lc], Some(ne(&body[3 + lc..]))),
            _ => return None,
        }
    };
    Some(Extended {
        command: Command::new(
            header[0],
            header[1],
            header[2],
            header[3],
            data,
            ne.map(|_| 0),
        ),
        ne,
    })
}

pub fn select_mf() -> Command {
    Command::new(0x00, 0xA4, 0x00, 0x00, &[0x3F, 0x00], None)
}

pub fn select_ssse() -> Command {
    Command::new(0x00, 0xA4, 0x04, 0x00, SSSE_NAME, None)
}

pub fn select_ef(fid: u8) -> Command {
    Command::new(0x00, 0xA4, 0x00, 0x00, &[0xEF, fid], None)
}

/// READ RECORD of the first record with identifier `tag` in the current EF (P2 = 00).
pub fn read_record_by_tag(tag: u8) -> Command {
    Command::new(0x00, 0xB2, tag, 0x00, &[], Some(0))
}

/// READ RECORD of all records from record 1 to the last of the EF with short identifier `sfi`
/// (P2 = SFI << 3 | 101, ISO/IEC 7816-4 §11.3.3): one APDU per file instead of one per item.
pub fn read_all_records(sfi: u8) -> Command {
    Command::new(0x00, 0xB2, 0x01, (sfi << 3) | 0b101, &[], Some(0))
}

pub fn get_response(length: u8) -> Command {
    Command::new(0x00, 0xC0, 0x00, 0x00, &[], Some(length))
}

pub fn get_challenge() -> Command {
    Command::new(0x00, 0x84, 0x00, 0x00, &[], Some(8))
}

/// Key identifier of RKSSSE, the key of the external authentication (ssc-card.md §3).
pub const KEY_ID: u8 = 0x0A;

/// VERIFY of the cardholder's PIN, packed BCD (the social security card's PIN is 6 digits).
pub fn verify_pin(pin_bcd: &[u8]) -> Command {
    Command::new(0x00, 0x20, 0x00, 0x00, pin_bcd, None)
}

pub fn internal_authenticate(challenge: &[u8; 8]) -> Command {
    Command::new(0x00, 0x88, 0x00, KEY_ID, challenge, Some(0))
}

pub fn external_authenticate(cryptogram: &[u8; 16]) -> Command {
    Command::new(0x00, 0x82, 0x00, KEY_ID, cryptogram, None)
}

/// Class and instruction of the project's PSAM commands (proprietary class 80, see
/// `virtual_card::psam`): P1 00 = external cryptogram, P1 01 = check an internal authentication.
pub const PSAM_CLA: u8 = 0x80;
pub const PSAM_INS: u8 = 0xFA;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_have_the_documented_bytes() {
        assert_eq!(
            hex::encode_upper(select_ssse().to_bytes()),
            "00A404000F7378312E73682EC9E7BBE1B1A3D5CF"
        );
        assert_eq!(select_ef(5).to_bytes(), [0, 0xA4, 0, 0, 2, 0xEF, 5]);
        assert_eq!(read_all_records(5).to_bytes(), [0, 0xB2, 1, 0x2D, 0]);
        let ext = external_authenticate(&[7; 16]).to_bytes();
        assert_eq!(&ext[..5], &[0, 0x82, 0, 0x0A, 0x10]);
    }

    #[test]
    fn parse_round_trips_every_case() {
        for c in [
            select_mf(),
            read_record_by_tag(9),
            internal_authenticate(&[1; 8]),
            Command::new(0x80, 0xCA, 0, 0, &[], None),
        ] {
            assert_eq!(Command::parse(&c.to_bytes()), Some(c));
        }
        assert_eq!(Command::parse(&[0, 0xA4, 0, 0, 5, 1]), None);
        assert_eq!(Response::parse(&[0x90]), None);
    }

    #[test]
    fn extended_forms_have_iso_lengths_and_are_never_taken_for_short_ones() {
        let read = read_record_by_tag(9);
        assert_eq!(read.to_extended_bytes(), [0, 0xB2, 9, 0, 0, 0, 0]);
        let auth = internal_authenticate(&[1; 8]).to_extended_bytes();
        assert_eq!(&auth[4..7], &[0, 0, 8]);
        assert_eq!(&auth[15..], &[0, 0], "Le 00 00 = 65,536");
        let sel = select_mf().to_extended_bytes();
        assert_eq!(sel, [0, 0xA4, 0, 0, 0, 0, 2, 0x3F, 0]);
        for (c, ne) in [
            (read, Some(65_536)),
            (internal_authenticate(&[1; 8]), Some(65_536)),
        ] {
            let bytes = c.to_extended_bytes();
            assert_eq!(Command::parse(&bytes), None, "not a short APDU");
            assert_eq!(parse_extended(&bytes), Some(Extended { command: c, ne }));
        }
        assert_eq!(
            parse_extended(&sel).map(|e| (e.command, e.ne)),
            Some((select_mf(), None))
        );
        assert_eq!(
            parse_extended(&[0, 0xB2, 9, 0, 0, 0x01, 0x00]).unwrap().ne,
            Some(256)
        );
        assert_eq!(
            parse_extended(&read_record_by_tag(9).to_bytes()),
            None,
            "short"
        );
        assert_eq!(
            parse_extended(&[0, 0xB2, 9, 0, 0, 0, 5, 1]),
            None,
            "Lc 5, 1 byte"
        );
    }
}
