//! The `devices` table: nodes announce themselves, admins list and change them. Blocking
//! (diesel): call from a blocking thread.

use super::{Device, DeviceError, Settings};
use crate::audit::{self, NewEntry};
use crate::db::schema::devices;
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What a node reports of itself on every heartbeat.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = devices)]
pub struct Announce {
    pub name: String,
    pub kind: String,
    pub reader: String,
    pub configured_printer: String,
    pub state: String,
    pub printer_state: String,
    pub last_seen: NaiveDateTime,
}

/// Where a terminal's new print jobs go: the admin's printer when set, else the one the terminal
/// reported at its last heartbeat (its enrolled printer), else `default`.
pub fn printer_of(conn: &mut DbConn, name: &str, default: &str) -> QueryResult<String> {
    let row: Option<(String, Option<String>)> = devices::table
        .find(name)
        .select((devices::configured_printer, devices::printer_override))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((_, Some(chosen))) => chosen,
        Some((configured, None)) if !configured.is_empty() => configured,
        _ => default.to_string(),
    })
}

/// Each enrolled, unrevoked terminal with the printer its jobs go to now.
pub fn terminal_printers(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    use crate::db::schema::terminals;
    let rows: Vec<(String, String, Option<String>)> = devices::table
        .inner_join(terminals::table.on(terminals::name.eq(devices::name)))
        .filter(terminals::revoked_at.is_null())
        .select((
            devices::name,
            devices::configured_printer,
            devices::printer_override,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(name, configured, chosen)| (name, chosen.unwrap_or(configured)))
        .filter(|(_, uri)| !uri.is_empty())
        .collect())
}

pub fn set_printer_state(conn: &mut DbConn, name: &str, state: &str) -> QueryResult<usize> {
    diesel::update(devices::table.find(name))
        .set(devices::printer_state.eq(state))
        .execute(conn)
}

/// The center's last check of `name`'s printer ("ready", a reason, or "" before the first).
pub fn printer_state(conn: &mut DbConn, name: &str) -> QueryResult<String> {
    Ok(devices::table
        .find(name)
        .select(devices::printer_state)
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

/// Whether an admin left `name` in service (a terminal never seen yet is).
pub fn in_service(conn: &mut DbConn, name: &str) -> QueryResult<bool> {
    Ok(devices::table
        .find(name)
        .select(devices::in_service)
        .first(conn)
        .optional()?
        .unwrap_or(true))
}

/// What admins set for an enrolled terminal, and the center's last check of its printer.
pub struct TerminalSettings {
    pub in_service: bool,
    pub note: String,
    pub printer_state: String,
}

/// Records an enrolled terminal's heartbeat (docs/terminals.md). Unlike [`announce`], the
/// printer's state is the center's own finding, so the terminal's report leaves it alone.
pub fn announce_terminal(
    conn: &mut DbConn,
    report: &Announce,
) -> Result<TerminalSettings, DeviceError> {
    let (in_service, note, printer_state) =
        crate::with_backend!(conn, |c| diesel::insert_into(devices::table)
            .values(report)
            .on_conflict(devices::name)
            .do_update()
            .set((
                devices::kind.eq(&report.kind),
                devices::reader.eq(&report.reader),
                devices::configured_printer.eq(&report.configured_printer),
                devices::state.eq(&report.state),
                devices::last_seen.eq(report.last_seen),
            ))
            .returning((devices::in_service, devices::note, devices::printer_state))
            .get_result(c))?;
    Ok(TerminalSettings {
        in_service,
        note,
        printer_state,
    })
}

#[derive(Queryable)]
struct Row {
    name: String,
    kind: String,
    reader: String,
    configured_printer: String,
    state: String,
    printer_state: String,
    last_seen: NaiveDateTime,
    in_service: bool,
    note: String,
    printer_override: Option<String>,
    changed_by: Option<String>,
    changed_at: Option<NaiveDateTime>,
}

/// Records the node's report (a new node starts in service) and returns what admins set for it.
pub fn announce(conn: &mut DbConn, report: &Announce) -> Result<Settings, DeviceError> {
    let (in_service, note, printer_override) =
        crate::with_backend!(conn, |c| diesel::insert_into(devices::table)
            .values(report)
            .on_conflict(devices::name)
            .do_update()
            .set(report)
            .returning((
                devices::in_service,
                devices::note,
                devices::printer_override,
            ))
            .get_result(c))?;
    Ok(Settings {
        in_service,
        note,
        printer_override,
    })
}

/// Every terminal, by name; `online` when seen within `stale` of `now`.
pub fn list(
    conn: &mut DbConn,
    now: NaiveDateTime,
    stale: chrono::Duration,
) -> Result<Vec<Device>, DeviceError> {
    let rows: Vec<Row> = devices::table.order(devices::name).load(conn)?;
    Ok(rows.into_iter().map(|r| device(r, now, stale)).collect())
}

/// An admin's change, and its audit entry (`device.update`), in one transaction.
pub fn change(
    conn: &mut DbConn,
    name: &str,
    settings: &Settings,
    actor: &str,
    now: NaiveDateTime,
    stale: chrono::Duration,
) -> Result<Device, DeviceError> {
    super::validate(settings)?;
    conn.transaction(|conn| {
        // A write first, so SQLite's write lock is taken before anything is read.
        let changed = diesel::update(devices::table.find(name))
            .set((
                devices::in_service.eq(settings.in_service),
                devices::note.eq(&settings.note),
                devices::printer_override.eq(&settings.printer_override),
                devices::changed_by.eq(actor),
                devices::changed_at.eq(now),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Err(DeviceError::Unknown(name.to_string()));
        }
        audit::append(
            conn,
            &NewEntry {
                actor: actor.to_string(),
                action: "device.update".into(),
                subject_ssn: None,
                purpose: None,
                result: "ok".into(),
                detail: Some(format!(
                    "{name}: in_service={} printer={} note={}",
                    settings.in_service,
                    settings
                        .printer_override
                        .as_deref()
                        .unwrap_or("(configured)"),
                    settings.note
                )),
            },
            now,
        )?;
        let row: Row = devices::table.find(name).first(conn)?;
        Ok(device(row, now, stale))
    })
}

fn device(r: Row, now: NaiveDateTime, stale: chrono::Duration) -> Device {
    Device {
        printer: r
            .printer_override
            .clone()
            .unwrap_or_else(|| r.configured_printer.clone()),
        online: now - r.last_seen <= stale,
        name: r.name,
        kind: r.kind,
        reader: r.reader,
        configured_printer: r.configured_printer,
        printer_override: r.printer_override,
        state: r.state,
        printer_state: r.printer_state,
        in_service: r.in_service,
        note: r.note,
        last_seen: r.last_seen,
        changed_by: r.changed_by,
        changed_at: r.changed_at,
    }
}
