//! The APDU dialogue that reads a card, over any [`Transport`] (PC/SC, or the virtual card in
//! process for unit tests and benchmarks).
//!
//! Path (ssc-card.md §2–§3): SELECT SSSE (after SELECT MF only if the card wants it) → READ
//! RECORD "all records" of EF05 and EF06 by SFI, one APDU per file; a card that refuses that
//! command is read item by item after SELECT EF, by identifier. `61 xx` is followed by GET
//! RESPONSE, `6C xx` by a retry with Le = xx and `67 00` by one with another length wherever
//! they come. A 3.00 card answers `69 82`
//! to protected items: EF05 01 and 03 are read, the card and the terminal authenticate through
//! the [`SecurityModule`], and the read starts over.

use super::apdu::{self, Command, Response};
use super::records::{self, Items, SocialSecurityCard};
use super::{reader, status, tlv, CardError, SecurityModule, TransportError};
use chrono::NaiveDate;
use std::time::{Duration, Instant};

/// Sends one command APDU, returns the response APDU (data + SW1 SW2).
pub trait Transport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError>;
}

/// What a read cost: APDUs exchanged, time spent waiting in [`Transport::transmit`], and in the
/// other PC/SC calls around the read (connect, status, disconnect; set by the PC/SC caller).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadStats {
    pub apdus: u32,
    pub transmit: Duration,
    pub connect: Duration,
}

const EF05_ITEMS: [u8; 7] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07];
const EF06_ITEMS: [u8; 7] = [0x08, 0x09, 0x4E, 0x0A, 0x0B, 0x0C, 0x0D];
/// Items a 3.00 card shows before authentication (ssc-card.md §3).
const PUBLIC_ITEMS: [u8; 2] = [0x01, 0x03];
const INS_READ_RECORD: u8 = 0xB2;

struct Session<'a> {
    transport: &'a mut dyn Transport,
    stats: ReadStats,
    /// The card refused "read all records": read item by item from then on.
    per_item: bool,
    /// The card's ATR announces extended Lc/Le fields (see [`reader::announces_extended_length`]).
    extended: bool,
}

impl<'a> Session<'a> {
    fn new(transport: &'a mut dyn Transport, atr_historical: &[u8]) -> Session<'a> {
        Session {
            transport,
            stats: ReadStats::default(),
            per_item: false,
            extended: reader::announces_extended_length(atr_historical),
        }
    }

    fn raw(&mut self, command: &Command) -> Result<Response, CardError> {
        self.raw_bytes(&command.to_bytes())
    }

    fn raw_bytes(&mut self, apdu: &[u8]) -> Result<Response, CardError> {
        let started = Instant::now();
        let bytes = self.transport.transmit(apdu);
        self.stats.transmit += started.elapsed();
        self.stats.apdus += 1;
        Response::parse(&bytes?).ok_or(CardError::Transport("response shorter than 2 bytes".into()))
    }

    /// `67 00` (wrong length, ISO/IEC 7816-4 §5.6) to a short Le of `00`: the card wants
    /// another length than "up to 256". A card that announces extended lengths gets the same
    /// command with an extended Le; otherwise a single record (a TLV) is asked for its first
    /// two bytes — tag and length — and then for exactly that many. `None`: nothing to retry.
    fn length_retry(&mut self, command: &mut Command) -> Option<Result<Response, CardError>> {
        if self.extended {
            return Some(self.raw_bytes(&command.to_extended_bytes()));
        }
        let one_record = command.ins == INS_READ_RECORD && command.p2 & 0b111 != 0b101;
        if !one_record {
            return None;
        }
        command.le = Some(2);
        let head = match self.raw(command) {
            Ok(head) => head,
            err => return Some(err),
        };
        match (
            status::normalised(command.ins, head.sw),
            head.data.as_slice(),
        ) {
            // Short-form lengths only (a record of 128 bytes or more has a longer one).
            (apdu::SW_OK, [_, len]) if *len < 0x80 => {
                command.le = Some(2 + len);
                Some(self.raw(command))
            }
            // `6C xx` and errors: the exchange goes on with the card's own answer.
            _ => Some(Ok(head)),
        }
    }

    /// One command with the `61 xx` / `6C xx` / `67 00` follow-ups of ISO/IEC 7816-3/-4, and
    /// the accepted warnings of [`status`] counted as success. Bounded, so a card that keeps
    /// answering `61 xx` cannot hold the read forever.
    fn exchange(&mut self, mut command: Command) -> Result<Response, CardError> {
        let mut response = self.raw(&command)?;
        let mut data = Vec::new();
        let (mut resent_short, mut resent_long) = (false, false);
        for _ in 0..16 {
            match response.sw1() {
                0x6C if command.le.is_some() => {
                    command.le = Some(response.sw2());
                    response = self.raw(&command)?;
                }
                // Wrong length without the right one: once more with Le = 00 (up to 256 bytes,
                // what every short-APDU card accepts); the card's answer then stands.
                0x67 if !resent_short && command.le.is_some_and(|le| le != 0) => {
                    resent_short = true;
                    command.le = Some(0);
                    response = self.raw(&command)?;
                }
                0x67 if !resent_long && command.le == Some(0) => {
                    resent_long = true;
                    match self.length_retry(&mut command) {
                        Some(r) => response = r?,
                        None => break,
                    }
                }
                0x61 => {
                    data.append(&mut response.data);
                    response = self.raw(&apdu::get_response(response.sw2()))?;
                }
                _ => break,
            }
        }
        data.append(&mut response.data);
        Ok(Response {
            data,
            sw: status::normalised(command.ins, response.sw),
        })
    }

    fn select_ssse(&mut self) -> Result<(), CardError> {
        let sw = self.exchange(apdu::select_ssse())?.sw;
        let sw = if sw == apdu::SW_FILE_NOT_FOUND {
            // Some cards find SSSE only once MF is the current DF (ssc-card.md §2).
            let mf = self.exchange(apdu::select_mf())?.sw;
            if mf != apdu::SW_OK {
                return Err(CardError::NotSocialSecurityCard);
            }
            self.exchange(apdu::select_ssse())?.sw
        } else {
            sw
        };
        match sw {
            apdu::SW_OK => Ok(()),
            apdu::SW_FILE_NOT_FOUND => Err(CardError::NotSocialSecurityCard),
            sw => Err(status_error("SELECT SSSE", sw)),
        }
    }

    /// All items of EF `fid` (SFI = fid), or `Ok(None)` when the card wants authentication.
    fn read_file(&mut self, fid: u8, tags: &[u8]) -> Result<Option<Items>, CardError> {
        let file = file_name(fid);
        if !self.per_item {
            let r = self.exchange(apdu::read_all_records(fid))?;
            match r.sw {
                apdu::SW_OK => {
                    let records =
                        tlv::parse_all(&r.data).map_err(|e| CardError::UnreadableRecord {
                            file,
                            tag: 0,
                            reason: e.to_string(),
                        })?;
                    return Ok(Some(records::items(records)));
                }
                apdu::SW_SECURITY_NOT_SATISFIED => return Ok(None),
                apdu::SW_FILE_NOT_FOUND => {
                    return Err(CardError::BlankCard(format!("{file} not found")))
                }
                _ => self.per_item = true,
            }
        }
        self.read_items(fid, tags)
    }

    fn read_items(&mut self, fid: u8, tags: &[u8]) -> Result<Option<Items>, CardError> {
        let file = file_name(fid);
        match self.exchange(apdu::select_ef(fid))?.sw {
            apdu::SW_OK => {}
            apdu::SW_FILE_NOT_FOUND => {
                return Err(CardError::BlankCard(format!("{file} not found")))
            }
            sw => return Err(status_error("SELECT EF", sw)),
        }
        let mut items = Items::new();
        for &tag in tags {
            let r = self.exchange(apdu::read_record_by_tag(tag))?;
            match r.sw {
                apdu::SW_OK => {}
                apdu::SW_RECORD_NOT_FOUND => continue,
                apdu::SW_SECURITY_NOT_SATISFIED => return Ok(None),
                sw => return Err(status_error("READ RECORD", sw)),
            }
            let record = tlv::parse_all(&r.data).map_err(|e| CardError::UnreadableRecord {
                file,
                tag,
                reason: e.to_string(),
            })?;
            match record.into_iter().next() {
                Some(t) if t.tag == tag => {
                    items.insert(tag, t.value);
                }
                other => {
                    return Err(CardError::UnreadableRecord {
                        file,
                        tag,
                        reason: format!("record holds tag {:02X?}", other.map(|t| t.tag)),
                    })
                }
            }
        }
        Ok(Some(items))
    }

    /// INTERNAL AUTHENTICATE (is the card genuine?), then GET CHALLENGE → cryptogram →
    /// EXTERNAL AUTHENTICATE (ssc-card.md §3).
    fn authenticate(
        &mut self,
        security: &mut (dyn SecurityModule + '_),
        card_id: &[u8; 16],
    ) -> Result<(), CardError> {
        let failed = |e: super::SecurityError| CardError::AuthenticationFailed(e.to_string());
        let ours = super::security::random_challenge();
        let r = self.exchange(apdu::internal_authenticate(&ours))?;
        if r.sw != apdu::SW_OK {
            return Err(status_error("INTERNAL AUTHENTICATE", r.sw));
        }
        if !security
            .verify_internal(card_id, &ours, &r.data)
            .map_err(failed)?
        {
            return Err(CardError::AuthenticationFailed(
                "the card's internal authentication does not match: not a genuine card, or the security module holds another key".into(),
            ));
        }
        let r = self.exchange(apdu::get_challenge())?;
        let challenge: [u8; 8] = match (r.sw, r.data.as_slice().try_into()) {
            (apdu::SW_OK, Ok(c)) => c,
            (sw, _) => return Err(status_error("GET CHALLENGE", sw)),
        };
        let cryptogram = security
            .external_cryptogram(card_id, &challenge)
            .map_err(failed)?;
        match self.exchange(apdu::external_authenticate(&cryptogram))?.sw {
            apdu::SW_OK => Ok(()),
            sw if sw == apdu::SW_VERIFICATION_FAILED || sw & 0xFFF0 == 0x63C0 => {
                Err(CardError::AuthenticationFailed(
                    "the card refused the external authentication".into(),
                ))
            }
            sw => Err(status_error("EXTERNAL AUTHENTICATE", sw)),
        }
    }
}

fn file_name(fid: u8) -> &'static str {
    if fid == 5 {
        "EF05"
    } else {
        "EF06"
    }
}

/// Status words of ssc-card.md §2 mapped to their errors; the rest named with the command.
fn status_error(command: &'static str, sw: u16) -> CardError {
    match sw {
        apdu::SW_SECURITY_NOT_SATISFIED => CardError::AuthenticationNeeded,
        apdu::SW_BLOCKED => CardError::Locked,
        _ => CardError::UnexpectedStatus { command, sw },
    }
}

/// SELECT SSSE, then INTERNAL AUTHENTICATE of `challenge`: the card's answer, for a proof that
/// the center checks with the card's key (docs/terminals.md). Every generation answers it.
pub fn answer_challenge(
    transport: &mut dyn Transport,
    challenge: &[u8; 8],
) -> Result<Vec<u8>, CardError> {
    // Case 4 (data in, data out): what a card answers `67 00` to is a case-2 command.
    let mut s = Session::new(transport, &[]);
    s.select_ssse()?;
    let r = s.exchange(apdu::internal_authenticate(challenge))?;
    if r.sw != apdu::SW_OK {
        return Err(status_error("INTERNAL AUTHENTICATE", r.sw));
    }
    Ok(r.data)
}

/// What the card said of a PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinCheck {
    Verified,
    /// Wrong; the card takes this many more tries.
    Wrong {
        tries_left: u8,
    },
    /// The card refuses every PIN now (69 83, or the last try failed): staff must unblock it.
    Blocked,
}

/// SELECT SSSE, then VERIFY `pin` (6 digits, sent packed BCD). The PIN goes to the card and
/// nowhere else; it is not kept.
pub fn verify_pin(transport: &mut dyn Transport, pin: &str) -> Result<PinCheck, CardError> {
    let bcd = super::bcd::encode(pin).ok_or_else(|| CardError::InvalidData {
        field: "PIN",
        reason: "not digits".into(),
    })?;
    let mut s = Session::new(transport, &[]);
    s.select_ssse()?;
    let r = s.raw(&apdu::verify_pin(&bcd))?;
    Ok(match r.sw {
        apdu::SW_OK => PinCheck::Verified,
        apdu::SW_BLOCKED => PinCheck::Blocked,
        sw if sw & 0xFFF0 == 0x63C0 && sw & 0x000F == 0 => PinCheck::Blocked,
        sw if sw & 0xFFF0 == 0x63C0 => PinCheck::Wrong {
            tries_left: (sw & 0x000F) as u8,
        },
        sw => return Err(status_error("VERIFY", sw)),
    })
}

/// Reads and validates the card behind `transport`. `security` is needed for 3.00 cards only.
pub fn read_card(
    transport: &mut dyn Transport,
    atr_historical: &[u8],
    security: Option<&mut (dyn SecurityModule + '_)>,
    today: NaiveDate,
) -> (Result<SocialSecurityCard, CardError>, ReadStats) {
    let mut s = Session::new(transport, atr_historical);
    let result = read(&mut s, atr_historical, security, today);
    (result, s.stats)
}

fn read(
    s: &mut Session,
    atr_historical: &[u8],
    security: Option<&mut (dyn SecurityModule + '_)>,
    today: NaiveDate,
) -> Result<SocialSecurityCard, CardError> {
    s.select_ssse()?;
    let ef05 = match s.read_file(5, &EF05_ITEMS)? {
        Some(items) => items,
        None => {
            let public = s
                .read_items(5, &PUBLIC_ITEMS)?
                .ok_or(CardError::AuthenticationNeeded)?;
            let card_id: [u8; 16] = public
                .get(&0x01)
                .and_then(|v| v.as_slice().try_into().ok())
                .ok_or_else(|| CardError::BlankCard("no card identification code".into()))?;
            let security = security.ok_or(CardError::AuthenticationNeeded)?;
            s.authenticate(security, &card_id)?;
            s.read_file(5, &EF05_ITEMS)?
                .ok_or(CardError::AuthenticationNeeded)?
        }
    };
    let ef06 = s
        .read_file(6, &EF06_ITEMS)?
        .ok_or(CardError::AuthenticationNeeded)?;
    records::parse(&ef05, &ef06, atr_historical, today)
}
