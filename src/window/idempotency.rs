//! Client-chosen idempotency keys for actions with no natural key (issuing and printing a
//! certificate). The key is claimed by the first statement of the action's transaction; a
//! second request with the same key waits for the first to commit (SQLite's write lock,
//! PostgreSQL's unique index) and then gets the stored answer instead of acting again.

use super::WindowError;
use crate::db::schema::window_requests;
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// Keys are 8–64 letters, digits, '-' or '_' (a UUID fits).
pub fn check_key(key: &str) -> Result<(), WindowError> {
    let ok = (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(WindowError::BadInput(
            "idempotency_key must be 8 to 64 letters, digits, '-' or '_' (e.g. a UUID)".into(),
        ))
    }
}

/// Runs `act` once per key: in one transaction with the claim of the key and the stored
/// answer; a repeated key returns the first answer (`true` in the second field).
pub fn once<T, F>(
    conn: &mut DbConn,
    key: &str,
    staff_id: i64,
    action: &str,
    now: NaiveDateTime,
    act: F,
) -> Result<(T, bool), WindowError>
where
    T: Serialize + DeserializeOwned,
    F: FnOnce(&mut DbConn) -> Result<T, WindowError>,
{
    check_key(key)?;
    conn.transaction(|conn| {
        let claimed = crate::with_backend!(conn, |c| diesel::insert_into(window_requests::table)
            .values((
                window_requests::idempotency_key.eq(key),
                window_requests::staff_id.eq(staff_id),
                window_requests::action.eq(action),
                window_requests::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        if claimed == 0 {
            let (owner, done_action, response): (i64, String, Option<String>) =
                window_requests::table
                    .find(key)
                    .select((
                        window_requests::staff_id,
                        window_requests::action,
                        window_requests::response,
                    ))
                    .first(conn)?;
            if owner != staff_id || done_action != action {
                return Err(WindowError::KeyReused);
            }
            let response = response.ok_or(WindowError::KeyReused)?;
            let earlier = serde_json::from_str(&response)
                .map_err(|e| WindowError::Conflict(format!("stored answer unreadable: {e}")))?;
            return Ok((earlier, true));
        }
        let answer = act(conn)?;
        let json = serde_json::to_string(&answer)
            .map_err(|e| WindowError::Conflict(format!("answer not storable: {e}")))?;
        diesel::update(window_requests::table.find(key))
            .set(window_requests::response.eq(json))
            .execute(conn)?;
        Ok((answer, false))
    })
}
