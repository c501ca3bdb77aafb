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

#[cfg(test)]
mod tests {
    use super::*;

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
