//! Queue tickets: issued at the kiosk (bound to the card session's citizen, with the consent
//! shown on screen) or at the guide desk (bound to no one), numbered with the item's prefix and
//! the hall day's count for that prefix, and shown on a public page by an unguessable reference.

use super::catalogue::{Catalogue, Channel};
use super::{priority, queue, HallConfig, HallError};
use crate::audit::{append, atomically, NewEntry};
use crate::db::schema::{hall_counters as c, hall_periods as p, hall_tickets as t};
use crate::db::DbConn;
use crate::domain::CitizenId;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// States of a ticket that still hold a place (the store allows one per item and citizen).
pub const OPEN: [&str; 4] = ["waiting", "called", "serving", "held"];

/// A ticket row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = t)]
pub struct Ticket {
    pub id: i64,
    pub day: NaiveDate,
    pub number: String,
    pub item_code: String,
    pub catalogue_version: i32,
    pub ssn: Option<String>,
    pub consent: Option<String>,
    pub priority: i32,
    pub priority_reason: Option<String>,
    pub state: String,
    pub window_no: Option<String>,
    pub clerk: Option<String>,
    pub recalls: i32,
    pub issued_at: NaiveDateTime,
    pub queued_at: NaiveDateTime,
    pub public_ref: String,
}

/// What asks for a ticket.
pub struct Request<'a> {
    pub item_code: &'a str,
    /// The card session's citizen; `None` for a ticket bound to no one.
    pub citizen: Option<&'a CitizenId>,
    /// The citizen agreed to the consent text on screen (needed for a bound ticket).
    pub consent: bool,
    pub green_channel: bool,
    /// The audit actor: `kiosk:<terminal>` or `staff:<username>`.
    pub issued_by: &'a str,
}

/// A new ticket, as the kiosk shows and prints it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Issued {
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub ahead: usize,
    pub wait_minutes: u32,
    /// The public page of this ticket (position and wait, no personal data): `/queue/<ref>`.
    pub queue_path: String,
    pub bound: bool,
    pub priority_reason: Option<String>,
    /// The hall's local time of issue, as printed.
    pub issued_local: String,
    #[serde(skip)]
    pub id: i64,
}

fn reference() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn issue(
    conn: &mut DbConn,
    config: &HallConfig,
    catalogue: &Catalogue,
    request: &Request,
    now: NaiveDateTime,
) -> Result<Issued, HallError> {
    let item = catalogue
        .item(request.item_code)
        .ok_or_else(|| HallError::UnknownItem(request.item_code.to_string()))?;
    if !item.offers(Channel::Window) || item.windows.is_empty() {
        return Err(HallError::NotOffered(item.name_zh.clone()));
    }
    if request.citizen.is_some() && !request.consent {
        return Err(HallError::ConsentMissing(config.consent_text.clone()));
    }
    let day = config.hall_day(now);
    let priority = priority::of(
        request.citizen,
        request.green_channel,
        day,
        config.priority_age,
    );
    let ssn = request.citizen.map(|c| c.as_str().to_string());
    let public_ref = reference();
    let result = atomically(conn, |conn| {
        let seq = next_number(conn, day, &item.prefix)?;
        if let Some(ssn) = &ssn {
            if let Some(number) = open_ticket(conn, ssn, &item.code)? {
                return Err(HallError::AlreadyHolding {
                    item: item.name_zh.clone(),
                    number,
                });
            }
        }
        let number = format!("{}{seq:03}", item.prefix);
        let id: i64 = diesel::insert_into(t::table)
            .values((
                t::day.eq(day),
                t::number.eq(&number),
                t::item_code.eq(&item.code),
                t::catalogue_version.eq(catalogue.version),
                t::ssn.eq(&ssn),
                t::consent.eq(ssn.as_ref().map(|_| config.consent_text.clone())),
                t::priority.eq(priority.level),
                t::priority_reason.eq(priority.reason),
                t::state.eq("waiting"),
                t::recalls.eq(0),
                t::issued_at.eq(now),
                t::queued_at.eq(now),
                t::public_ref.eq(&public_ref),
            ))
            .returning(t::id)
            .get_result(conn)?;
        open_period(conn, id, "waiting", now, None, None)?;
        let entry = NewEntry {
            actor: request.issued_by.to_string(),
            action: "hall.ticket.issue".into(),
            subject_ssn: ssn.clone(),
            purpose: None,
            result: "ok".into(),
            detail: Some(format!("{number} {}", item.code)),
        };
        append(conn, &entry, now)?;
        Ok((id, number))
    });
    let (id, number) = match result {
        Ok(v) => v,
        // Two nodes raced for the same citizen and item on PostgreSQL: the store's unique
        // index refused the second.
        Err(HallError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) if ssn.is_some() => {
            let number = open_ticket(conn, ssn.as_deref().unwrap_or_default(), &item.code)?
                .unwrap_or_default();
            return Err(HallError::AlreadyHolding {
                item: item.name_zh.clone(),
                number,
            });
        }
        Err(e) => return Err(e),
    };
    let (ahead, wait_minutes) =
        queue::position(conn, config, id, &item.code, item.windows.len(), now)?;
    Ok(Issued {
        number,
        item_code: item.code.clone(),
        item_name: item.name_zh.clone(),
        ahead,
        wait_minutes,
        queue_path: format!("/queue/{public_ref}"),
        bound: ssn.is_some(),
        priority_reason: priority.reason.map(str::to_string),
        issued_local: config.local(now).format("%Y-%m-%d %H:%M").to_string(),
        id,
    })
}

/// The next number of `prefix` on `day`, under the counter row's lock (PostgreSQL) or the
/// write lock (SQLite): no two tickets of a day share a number, on any node.
fn next_number(conn: &mut DbConn, day: NaiveDate, prefix: &str) -> Result<i32, HallError> {
    crate::with_backend!(conn, |conn| diesel::insert_into(c::table)
        .values((c::day.eq(day), c::prefix.eq(prefix), c::last_number.eq(0)))
        .on_conflict_do_nothing()
        .execute(conn))?;
    Ok(
        diesel::update(c::table.filter(c::day.eq(day)).filter(c::prefix.eq(prefix)))
            .set(c::last_number.eq(c::last_number + 1))
            .returning(c::last_number)
            .get_result(conn)?,
    )
}

fn open_ticket(conn: &mut DbConn, ssn: &str, item: &str) -> QueryResult<Option<String>> {
    t::table
        .filter(t::ssn.eq(ssn))
        .filter(t::item_code.eq(item))
        .filter(t::state.eq_any(OPEN))
        .select(t::number)
        .first(conn)
        .optional()
}

/// Starts a timing period of ticket `id` (waiting, walking, serving, held).
pub(crate) fn open_period(
    conn: &mut DbConn,
    id: i64,
    kind: &str,
    now: NaiveDateTime,
    window: Option<&str>,
    clerk: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(p::table)
        .values((
            p::ticket_id.eq(id),
            p::kind.eq(kind),
            p::started_at.eq(now),
            p::window_no.eq(window),
            p::clerk.eq(clerk),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends the open period of ticket `id`.
pub(crate) fn close_period(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        p::table
            .filter(p::ticket_id.eq(id))
            .filter(p::ended_at.is_null()),
    )
    .set(p::ended_at.eq(now))
    .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, id: i64) -> Result<Ticket, HallError> {
    t::table
        .find(id)
        .select(Ticket::as_select())
        .first(conn)
        .optional()?
        .ok_or(HallError::NoSuchTicket)
}

/// The ticket behind a public reference. Anything that is not one (a number typed into the URL,
/// a guess) is "no such ticket", in the same time as a miss.
pub fn by_reference(conn: &mut DbConn, reference: &str) -> Result<Ticket, HallError> {
    if reference.len() != 32 || !reference.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(HallError::NoSuchTicket);
    }
    t::table
        .filter(t::public_ref.eq(reference.to_ascii_lowercase()))
        .select(Ticket::as_select())
        .first(conn)
        .optional()?
        .ok_or(HallError::NoSuchTicket)
}

/// A ticket's public page: no name, no ID number, nothing but the queue.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PublicTicket {
    pub number: String,
    pub item_name: String,
    /// waiting, called, serving, held, done, no_show, transferred, cancelled.
    pub state: String,
    pub state_zh: String,
    /// While waiting: people ahead and the estimated wait in minutes.
    pub ahead: Option<usize>,
    pub wait_minutes: Option<u32>,
    /// Once called: the window to go to.
    pub window_no: Option<String>,
    pub issued_local: String,
}

pub fn state_zh(state: &str) -> &'static str {
    match state {
        "waiting" => "等候中",
        "called" => "已叫号，请到窗口",
        "serving" => "办理中",
        "held" => "暂停办理",
        "done" => "已办结",
        "no_show" => "已过号",
        "transferred" => "已转移",
        _ => "已取消",
    }
}

pub fn public(
    conn: &mut DbConn,
    config: &HallConfig,
    catalogue: &Catalogue,
    ticket: &Ticket,
    now: NaiveDateTime,
) -> Result<PublicTicket, HallError> {
    let item = catalogue.item(&ticket.item_code);
    let (ahead, wait) = if ticket.state == "waiting" {
        let servers = item.map(|i| i.windows.len()).unwrap_or(1);
        let (a, w) = queue::position(conn, config, ticket.id, &ticket.item_code, servers, now)?;
        (Some(a), Some(w))
    } else {
        (None, None)
    };
    Ok(PublicTicket {
        number: ticket.number.clone(),
        item_name: item
            .map(|i| i.name_zh.clone())
            .unwrap_or_else(|| ticket.item_code.clone()),
        state: ticket.state.clone(),
        state_zh: state_zh(&ticket.state).into(),
        ahead,
        wait_minutes: wait,
        window_no: matches!(ticket.state.as_str(), "called" | "serving" | "held")
            .then(|| ticket.window_no.clone())
            .flatten(),
        issued_local: config.local(ticket.issued_at).format("%H:%M").to_string(),
    })
}
