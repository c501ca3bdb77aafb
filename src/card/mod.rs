//! Reading the social security card (社会保障卡) through PC/SC, and the project's own virtual card.
//!
//! Layout, from the bytes up: `apdu`, `bcd`, `tlv` (wire formats) → `records` (EF05/EF06 items
//! into a validated [`SocialSecurityCard`]) → `session` (the APDU dialogue over any
//! [`Transport`], tolerant of every variant of ssc-card.md §2) with `security` (3.00
//! authentication) → `reader` (PC/SC transport) → `monitor` (the thread that watches readers and
//! publishes [`CardEvent`]s). `interop` speaks the vendor `iReadCardBas` line; `virtual_card` is
//! the card side (vpcd client), which shares nothing with the reader side but the wire formats.
//! See docs/card.md.

pub mod apdu;
pub mod bcd;
mod error;
pub mod interop;
pub mod monitor;
pub mod psam;
pub mod reader;
mod readers;
pub mod records;
pub mod security;
pub mod session;
pub mod status;
pub mod tlv;
pub mod virtual_card;

#[cfg(test)]
mod tests;

pub use error::{CardError, TransportError};
pub use monitor::{CardEvent, Monitor, MonitorConfig, ReadTiming, SecurityChoice};
pub use readers::{answer_in_reader, read_reader, verify_pin_in_reader};
pub use records::SocialSecurityCard;
pub use security::{SecurityError, SecurityModule, TestSecurityModule};
pub use session::{read_card, PinCheck, ReadStats, Transport};
