//! Reading the citizen's card in the window's own reader (config `window.reader`), for a lookup
//! by card. Blocking PC/SC calls: run on a blocking thread.

use super::WindowError;
use crate::card::{read_reader, MonitorConfig};
use crate::domain::CitizenId;

/// The ID number on the card now in the window's reader.
pub fn read_window_card(
    card: &crate::config::CardConfig,
    reader_part: &str,
) -> Result<CitizenId, WindowError> {
    if reader_part.is_empty() {
        return Err(WindowError::Reader(
            "this window has no card reader configured (window.reader)".into(),
        ));
    }
    let config = MonitorConfig::from_config(card).map_err(WindowError::Reader)?;
    let ctx = pcsc::Context::establish(pcsc::Scope::User)
        .map_err(|e| WindowError::Reader(format!("PC/SC service: {e}")))?;
    let readers = ctx
        .list_readers_owned()
        .map_err(|e| WindowError::Reader(format!("listing readers: {e}")))?;
    let wanted = reader_part.to_lowercase();
    let reader = readers
        .iter()
        .map(|r| r.to_string_lossy().into_owned())
        .find(|r| r.to_lowercase().contains(&wanted))
        .ok_or_else(|| {
            WindowError::Reader(format!("no reader named like {reader_part:?} is connected"))
        })?;
    let (result, _) = read_reader(&ctx, &config, &reader, None);
    result
        .map(|card| card.ssn)
        .map_err(|e| WindowError::Card(e.to_string()))
}
