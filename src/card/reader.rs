//! The PC/SC side: a [`Transport`] over a `pcsc::Card`, with pcsc errors mapped to ours
//! (ssc-card.md §7), and the ATR's historical bytes.

use super::{Transport, TransportError};
use std::time::{Duration, Instant};

pub struct PcscTransport {
    card: pcsc::Card,
    buffer: Vec<u8>,
}

impl PcscTransport {
    pub fn new(card: pcsc::Card) -> PcscTransport {
        PcscTransport {
            card,
            buffer: vec![0; pcsc::MAX_BUFFER_SIZE],
        }
    }

    /// Disconnects resetting the card, so no authenticated state outlives the read.
    pub fn finish(self) {
        let _ = self.card.disconnect(pcsc::Disposition::ResetCard);
    }

    /// Whether the card leaves the reader within `limit`: pcscd polls presence about every
    /// 400 ms (ssc-card.md §6), so a card pulled mid-command shows as absent only then.
    fn gone_within(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            match self.card.status2_owned() {
                Ok(s) if s.status().contains(pcsc::Status::PRESENT) => {}
                _ => return true,
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

pub fn map_error(e: pcsc::Error) -> TransportError {
    match e {
        pcsc::Error::RemovedCard | pcsc::Error::ResetCard | pcsc::Error::NoSmartcard => {
            TransportError::Removed
        }
        pcsc::Error::NoService | pcsc::Error::ServiceStopped | pcsc::Error::CommError => {
            TransportError::ServiceDown
        }
        other => TransportError::Other(other.to_string()),
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let result = self
            .card
            .transmit(apdu, &mut self.buffer)
            .map(|r| r.to_vec());
        match result {
            // A card always answers at least SW1 SW2: nothing at all means it left the reader
            // mid-command (vpcd's connection closed), once pcscd has noticed.
            Ok(r) if r.len() < 2 && self.gone_within(Duration::from_secs(1)) => {
                Err(TransportError::Removed)
            }
            Ok(r) => Ok(r),
            // vpcd reports a dropped connection mid-APDU as "not transacted"; the card is
            // gone when its status says so.
            Err(pcsc::Error::NotTransacted) if self.gone_within(Duration::from_secs(1)) => {
                Err(TransportError::Removed)
            }
            Err(e) => Err(map_error(e)),
        }
    }
}

/// The historical bytes of an ATR (ISO/IEC 7816-3 §8.2): T0's low nibble counts them; they
/// follow the interface bytes announced by each Y nibble.
pub fn historical_bytes(atr: &[u8]) -> &[u8] {
    let Some(&t0) = atr.get(1) else {
        return &[];
    };
    let count = usize::from(t0 & 0x0F);
    let mut y = t0 >> 4;
    let mut i = 2;
    loop {
        let present = (y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1);
        let has_td = y & 0x08 != 0;
        i += usize::from(present);
        if !has_td {
            break;
        }
        let Some(&td) = atr.get(i) else {
            return &[];
        };
        y = td >> 4;
        i += 1;
    }
    atr.get(i..(i + count).min(atr.len())).unwrap_or(&[])
}

/// Whether the historical bytes announce extended Lc and Le fields: the third byte of the
/// "card capabilities" compact-TLV object (tag 7, ISO/IEC 7816-4 §8.1.1.2.7), bit b7. Only the
/// two standard layouts are read — category `80` (compact-TLV objects) and `00` (the same, then
/// a 3-byte status indicator); any other, or objects that overrun, announce nothing.
pub fn announces_extended_length(historical: &[u8]) -> bool {
    let objects = match historical.split_first() {
        Some((0x80, rest)) => rest,
        Some((0x00, rest)) if rest.len() >= 3 => &rest[..rest.len() - 3],
        _ => return false,
    };
    let mut i = 0;
    while let Some(&head) = objects.get(i) {
        let (tag, len) = (head >> 4, usize::from(head & 0x0F));
        let Some(value) = objects.get(i + 1..i + 1 + len) else {
            return false;
        };
        if tag == 0x7 {
            return value.get(2).is_some_and(|b| b & 0x40 != 0);
        }
        i += 1 + len;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_length_is_read_from_the_card_capabilities_only() {
        assert!(announces_extended_length(&[0x80, 0x73, 0x00, 0x00, 0x40]));
        assert!(
            !announces_extended_length(&[0x80, 0x73, 0x00, 0x00, 0x80]),
            "chaining only"
        );
        assert!(
            !announces_extended_length(&[0x80, 0x72, 0x00, 0x00]),
            "two bytes: no third"
        );
        assert!(announces_extended_length(&[
            0x00, 0x31, 0xC0, 0x73, 0xFE, 0x21, 0xC0, 0x81, 0x90, 0x00
        ]));
        assert!(!announces_extended_length(&[0x80, 0x75, 0x00]), "overruns");
        assert!(
            !announces_extended_length(&[0x10, 0x73, 0, 0, 0x40]),
            "DIR reference"
        );
        let emulated = historical_bytes(&crate::card::virtual_card::CARD_ATR);
        assert!(!announces_extended_length(emulated));
    }

    #[test]
    fn historical_bytes_of_the_emulated_atr() {
        let atr = crate::card::virtual_card::CARD_ATR;
        assert_eq!(
            hex::encode_upper(historical_bytes(&atr)),
            "00814E43238697159900BF7C7A"
        );
        assert_eq!(historical_bytes(&[0x3B]), &[] as &[u8]);
        assert_eq!(historical_bytes(&[0x3B, 0x88, 0x80]), &[] as &[u8]);
    }
}
