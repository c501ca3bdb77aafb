//! The kiosk's entries in the audit log: every look at a record and every certificate issued or
//! printed, under the actor `kiosk:<reader>` and the purpose `citizen_self_service`. Data is
//! shown only after its entry is written: a failed append fails the request.

use super::Citizen;
use crate::audit::{append, AuditError, NewEntry};
use crate::db::DbConn;
use diesel::connection::Connection;
use diesel::RunQueryDsl;

pub const PURPOSE: &str = "citizen_self_service";
pub const ACTOR_PREFIX: &str = "kiosk:";

/// Appends `action` (e.g. `record.view`) about the session's citizen; `detail` says which view.
pub fn log(
    conn: &mut DbConn,
    citizen: &Citizen,
    action: &str,
    detail: Option<String>,
) -> Result<i64, AuditError> {
    append(
        conn,
        &NewEntry {
            actor: format!("{ACTOR_PREFIX}{}", citizen.reader),
            action: action.to_string(),
            subject_ssn: Some(citizen.holder.ssn.as_str().to_string()),
            purpose: Some(PURPOSE.to_string()),
            result: "ok".into(),
            detail,
        },
        chrono::Utc::now().naive_utc(),
    )
}

/// Runs `act` (an action and its audit entry) in one transaction: both happen or neither. Its
/// first statement writes (to no row), so SQLite takes its write lock at the start: a
/// transaction that reads first and writes later can fail with "busy" when another writer
/// committed in between. On PostgreSQL it locks nothing.
pub fn atomically<T, E>(
    conn: &mut DbConn,
    act: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    conn.transaction(|conn| {
        diesel::sql_query("UPDATE audit_head SET seq = seq WHERE 1 = 0").execute(conn)?;
        act(conn)
    })
}
