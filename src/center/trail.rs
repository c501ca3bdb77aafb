//! The kiosk's entries in the audit log: every look at a record and every certificate issued or
//! printed, under the actor `kiosk:<terminal>` and the purpose `citizen_self_service`. Data is
//! shown only after its entry is written: a failed append fails the request.

use super::sessions::Citizen;
use crate::audit::{append, AuditError, NewEntry};
use crate::db::DbConn;

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
            actor: format!("{ACTOR_PREFIX}{}", citizen.terminal),
            action: action.to_string(),
            subject_ssn: Some(citizen.holder.ssn.as_str().to_string()),
            purpose: Some(PURPOSE.to_string()),
            result: "ok".into(),
            detail,
        },
        chrono::Utc::now().naive_utc(),
    )
}
