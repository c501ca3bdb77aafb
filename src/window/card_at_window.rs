//! The card at the clerk's window, for a lookup by card: the window terminal enrolled for the
//! clerk's 窗口号 reports each card it proves to the center (`center::window_cards`), and the
//! clerk gets the holder of that card, and of no other window's. Blocking (diesel).

use super::WindowError;
use crate::center::Center;
use crate::db::DbConn;
use crate::domain::CitizenId;
use crate::staff::Staff;

pub fn card_at_window(
    conn: &mut DbConn,
    center: &Center,
    staff: &Staff,
) -> Result<CitizenId, WindowError> {
    let Some(window) = staff.window_no.as_deref().filter(|w| !w.is_empty()) else {
        return Err(WindowError::Reader(
            "your account has no window (窗口号): an admin sets it, then the window's card reader is yours"
                .into(),
        ));
    };
    let terminal = crate::center::terminals::window_terminal(conn, window)?.ok_or_else(|| {
        WindowError::Reader(format!(
            "no window terminal is enrolled for window {window} (设备管理 → 登记终端, kind window)"
        ))
    })?;
    center
        .window_cards
        .at(&terminal)
        .map(|holder| holder.ssn)
        .ok_or_else(|| {
            WindowError::Card(format!(
                "no card is proven in the reader of window {window}: insert the card (again)"
            ))
        })
}
