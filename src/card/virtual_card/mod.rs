//! The project's own virtual social security card: the card side of the vpcd protocol
//! (ssc-card.md §6), sharing nothing with the reader side but the wire formats.
//!
//! A [`CardProfile`] (from a citizen in the store, or a JSON file) becomes the card's files
//! ([`files`]); [`VirtualCard`] answers APDUs like a 1.00/2.00/3.00 card, in any of the variants
//! of ssc-card.md §2 and with the malformed contents of [`Fault`]; [`VirtualPsam`] plays the
//! PSAM of the test security scheme; [`vpcd`] carries either over TCP to pcscd's vpcd driver,
//! and [`process`] keeps one in the background per slot for `sskiosk virtual-card insert`.

mod card;
mod files;
pub mod process;
mod profile;
mod psam;
pub mod vpcd;

pub use card::VirtualCard;
pub use files::CardFiles;
pub use profile::{CardProfile, Fault, ProfileError, Variant};
pub use psam::VirtualPsam;

/// What vpcd needs from whatever sits in the virtual reader.
pub trait Applet: Send {
    /// The answer to reset, sent for vpcd's "get ATR".
    fn atr(&self) -> Vec<u8>;
    /// Power on, power off or reset: back to the state after ATR.
    fn reset(&mut self);
    /// A command APDU in, the response APDU (data + SW1 SW2) out.
    fn process(&mut self, apdu: &[u8]) -> Vec<u8>;
}

/// The constructed ATR of ssc-card.md §6 (13 historical bytes after `3B 6D 00 00`).
pub const CARD_ATR: [u8; 17] = [
    0x3B, 0x6D, 0x00, 0x00, 0x00, 0x81, 0x4E, 0x43, 0x23, 0x86, 0x97, 0x15, 0x99, 0x00, 0xBF, 0x7C,
    0x7A,
];

/// The ATR of a card that takes extended lengths ([`Variant::extended_length`]): T = 1 (the
/// protocol that carries them; TCK follows), and historical bytes of category 80 holding only
/// the card capabilities `73 00 00 40` — b7 of the third byte: extended Lc and Le fields
/// (ISO/IEC 7816-4 §8.1.1.2.7).
pub const EXTENDED_LENGTH_ATR: [u8; 9] = [0x3B, 0x85, 0x01, 0x80, 0x73, 0x00, 0x00, 0x40, 0x37];
