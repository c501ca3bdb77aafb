//! Calling at a window: 叫号 (call the next ticket of the items this window serves, or one named
//! ticket), 重呼 (recall, not sooner than `recall_min_seconds`), 开始办理 (the citizen arrived),
//! 暂停/继续 (hold), 完成 (finish), 过号 (no-show, after `no_show_after_recalls` recalls;
//! reactivated at the back of its queue) and 转移 (to another item and optionally one window).
//! Each change is conditional on the state it was read in and on this clerk at this window, so a
//! refused change changes nothing, and two windows never take one ticket.

use super::catalogue::{Catalogue, Channel};
use super::config::TransferPlace;
use super::ticket::{close_period, get, open_period, Ticket};
use super::{queue, HallConfig, HallError};
use crate::audit::{append, atomically, NewEntry};
use crate::db::schema::{hall_calls as k, hall_tickets as t};
use crate::db::DbConn;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// The clerk at the window.
#[derive(Debug, Clone)]
pub struct Clerk {
    pub username: String,
    pub window: String,
}

impl Clerk {
    fn actor(&self) -> String {
        format!("staff:{}", self.username)
    }
}

/// What a window's clerk does to its current ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Recall,
    Start,
    Hold,
    Resume,
    Finish,
    NoShow,
}

/// The ticket this clerk has at this window (called, being served or on hold), if any.
pub fn current(conn: &mut DbConn, clerk: &Clerk) -> Result<Option<Ticket>, HallError> {
    Ok(t::table
        .filter(t::window_no.eq(&clerk.window))
        .filter(t::clerk.eq(&clerk.username))
        .filter(t::state.eq_any(["called", "serving", "held"]))
        .select(Ticket::as_select())
        .first(conn)
        .optional()?)
}

/// Calls the next ticket for this window, or ticket `named` (e.g. a reactivated one).
pub fn call(
    conn: &mut DbConn,
    config: &HallConfig,
    catalogue: &Catalogue,
    clerk: &Clerk,
    named: Option<i64>,
    now: NaiveDateTime,
) -> Result<Ticket, HallError> {
    if let Some(open) = current(conn, clerk)? {
        return Err(HallError::WrongState(format!(
            "请先完成、过号或转移当前的号 {}",
            open.number
        )));
    }
    let items: Vec<String> = catalogue
        .served_at(&clerk.window)
        .map(|i| i.code.clone())
        .collect();
    if items.is_empty() {
        return Err(HallError::Refused(format!(
            "事项目录中没有由{}号窗口办理的事项",
            clerk.window
        )));
    }
    // Another window may take the first ticket between the read and the update: try the next.
    for _ in 0..8 {
        let id = match named {
            Some(id) => {
                let ticket = get(conn, id)?;
                if ticket.state != "waiting" {
                    return Err(match (&ticket.window_no, ticket.state.as_str()) {
                        (Some(w), "called" | "serving" | "held") => {
                            HallError::NotYours(format!("{}号正由{w}号窗口办理", ticket.number))
                        }
                        _ => HallError::WrongState(format!(
                            "{}号{}，不能叫号",
                            ticket.number,
                            super::ticket::state_zh(&ticket.state)
                        )),
                    });
                }
                if !items.contains(&ticket.item_code) {
                    return Err(HallError::Refused(format!(
                        "{}号的事项不由{}号窗口办理",
                        ticket.number, clerk.window
                    )));
                }
                id
            }
            None => {
                let list = queue::waiting(conn, config, &items, now)?;
                let mine = list
                    .iter()
                    .find(|w| w.window_no.as_deref().is_none_or(|w| w == clerk.window));
                match mine {
                    Some(w) => w.id,
                    None => return Err(HallError::Refused("没有等候的号".into())),
                }
            }
        };
        let taken = atomically(conn, |conn| {
            let changed = diesel::update(t::table.find(id).filter(t::state.eq("waiting")))
                .set((
                    t::state.eq("called"),
                    t::window_no.eq(&clerk.window),
                    t::clerk.eq(&clerk.username),
                    t::recalls.eq(0),
                ))
                .execute(conn)?;
            if changed == 0 {
                return Ok(None);
            }
            close_period(conn, id, now)?;
            open_period(
                conn,
                id,
                "walking",
                now,
                Some(&clerk.window),
                Some(&clerk.username),
            )?;
            let ticket = get(conn, id)?;
            announce(conn, &ticket, &clerk.window, false, now)?;
            audit(conn, clerk, &ticket, "hall.ticket.call", now)?;
            Ok::<_, HallError>(Some(ticket))
        })?;
        match (taken, named) {
            (Some(ticket), _) => return Ok(ticket),
            (None, Some(_)) => {
                return Err(HallError::NotYours("该号刚被其他窗口叫走".into()));
            }
            (None, None) => continue,
        }
    }
    Err(HallError::Refused("叫号繁忙，请再试一次".into()))
}

/// Applies `action` to this clerk's current ticket `id`.
pub fn act(
    conn: &mut DbConn,
    config: &HallConfig,
    clerk: &Clerk,
    id: i64,
    action: Action,
    now: NaiveDateTime,
) -> Result<Ticket, HallError> {
    let ticket = mine(conn, clerk, id)?;
    let state = ticket.state.as_str();
    let (from, to, period, name): (&str, &str, Option<&str>, &str) = match (action, state) {
        (Action::Recall, "called") => {
            let since = last_called(conn, id)?.unwrap_or(ticket.issued_at);
            let wait = Duration::seconds(config.recall_min_seconds as i64) - (now - since);
            if wait > Duration::zero() {
                return Err(HallError::TooSoon(format!(
                    "请{}秒后再重呼（两次叫号至少间隔{}秒）",
                    wait.num_seconds().max(1),
                    config.recall_min_seconds
                )));
            }
            ("called", "called", None, "hall.ticket.recall")
        }
        (Action::Start, "called") => ("called", "serving", Some("serving"), "hall.ticket.start"),
        (Action::Hold, "serving") => ("serving", "held", Some("held"), "hall.ticket.hold"),
        (Action::Resume, "held") => ("held", "serving", Some("serving"), "hall.ticket.resume"),
        (Action::Finish, "serving" | "held") => (state, "done", None, "hall.ticket.finish"),
        (Action::NoShow, "called") => {
            if ticket.recalls < config.no_show_after_recalls as i32 {
                return Err(HallError::TooSoon(format!(
                    "过号前须重呼{}次（已重呼{}次）",
                    config.no_show_after_recalls, ticket.recalls
                )));
            }
            ("called", "no_show", None, "hall.ticket.no_show")
        }
        (Action::Finish, _) => {
            return Err(HallError::WrongState(format!(
                "{}号{}，不能完成",
                ticket.number,
                super::ticket::state_zh(state)
            )))
        }
        _ => {
            return Err(HallError::WrongState(format!(
                "{}号{}，不能这样操作",
                ticket.number,
                super::ticket::state_zh(state)
            )))
        }
    };
    atomically(conn, |conn| {
        let recalls = ticket.recalls + i32::from(action == Action::Recall);
        let changed = diesel::update(
            t::table
                .find(id)
                .filter(t::state.eq(from))
                .filter(t::recalls.eq(ticket.recalls))
                .filter(t::clerk.eq(&clerk.username)),
        )
        .set((t::state.eq(to), t::recalls.eq(recalls)))
        .execute(conn)?;
        if changed == 0 {
            return Err(HallError::WrongState("该号刚被改变，请刷新后再试".into()));
        }
        if from != to {
            close_period(conn, id, now)?;
            if let Some(kind) = period {
                open_period(
                    conn,
                    id,
                    kind,
                    now,
                    Some(&clerk.window),
                    Some(&clerk.username),
                )?;
            }
        }
        let ticket = get(conn, id)?;
        if action == Action::Recall {
            announce(conn, &ticket, &clerk.window, true, now)?;
        }
        audit(conn, clerk, &ticket, name, now)?;
        Ok(ticket)
    })
}

/// Puts a no-show ticket back in its queue, behind those waiting (the citizen came back).
pub fn reactivate(
    conn: &mut DbConn,
    clerk: &Clerk,
    id: i64,
    now: NaiveDateTime,
) -> Result<Ticket, HallError> {
    let ticket = get(conn, id)?;
    if ticket.state != "no_show" {
        return Err(HallError::WrongState(format!(
            "{}号{}，只有过号的号可以恢复",
            ticket.number,
            super::ticket::state_zh(&ticket.state)
        )));
    }
    atomically(conn, |conn| {
        let changed = diesel::update(t::table.find(id).filter(t::state.eq("no_show")))
            .set((
                t::state.eq("waiting"),
                t::window_no.eq(None::<String>),
                t::clerk.eq(None::<String>),
                t::queued_at.eq(now),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Err(HallError::WrongState("该号刚被改变，请刷新后再试".into()));
        }
        open_period(conn, id, "waiting", now, None, None)?;
        let ticket = get(conn, id)?;
        audit(conn, clerk, &ticket, "hall.ticket.reactivate", now)?;
        Ok(ticket)
    })
}

/// Where a transfer sends a ticket: an item, and optionally one window of it.
#[derive(Debug, Clone, Copy)]
pub struct Destination<'a> {
    pub item: &'a str,
    pub window: Option<&'a str>,
}

/// Moves this clerk's current ticket to `to`: it waits again, first or last in the new queue as
/// configured. The number stays: the citizen holds the paper.
pub fn transfer(
    conn: &mut DbConn,
    config: &HallConfig,
    catalogue: &Catalogue,
    clerk: &Clerk,
    id: i64,
    to: Destination,
    now: NaiveDateTime,
) -> Result<Ticket, HallError> {
    let Destination { item, window } = to;
    let ticket = mine(conn, clerk, id)?;
    let target = catalogue
        .item(item)
        .filter(|i| i.offers(Channel::Window) && !i.windows.is_empty())
        .ok_or_else(|| {
            HallError::Refused(format!(
                "事项 {item} 不在窗口办理（已关闭或不在目录中），不能转入"
            ))
        })?;
    if let Some(w) = window {
        if !target.windows.iter().any(|x| x == w) {
            return Err(HallError::Refused(format!(
                "{w}号窗口不办理“{}”",
                target.name_zh
            )));
        }
    }
    let queued_at = match config.transfer_to {
        TransferPlace::Last => now,
        TransferPlace::First => {
            queue::waiting(conn, config, std::slice::from_ref(&target.code), now)?
                .iter()
                .map(|w| w.queued_at)
                .min()
                .map(|first| first.min(now) - Duration::seconds(1))
                .unwrap_or(now)
        }
    };
    atomically(conn, |conn| {
        let changed = diesel::update(
            t::table
                .find(id)
                .filter(t::state.eq(&ticket.state))
                .filter(t::clerk.eq(&clerk.username)),
        )
        .set((
            t::state.eq("waiting"),
            t::item_code.eq(&target.code),
            t::window_no.eq(window),
            t::clerk.eq(None::<String>),
            t::queued_at.eq(queued_at),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(HallError::WrongState("该号刚被改变，请刷新后再试".into()));
        }
        close_period(conn, id, now)?;
        open_period(conn, id, "waiting", now, None, None)?;
        let moved = get(conn, id)?;
        let entry = NewEntry {
            actor: clerk.actor(),
            action: "hall.ticket.transfer".into(),
            subject_ssn: moved.ssn.clone(),
            purpose: None,
            result: "ok".into(),
            detail: Some(format!(
                "{} {} → {}{}",
                moved.number,
                ticket.item_code,
                target.code,
                window.map(|w| format!(" (window {w})")).unwrap_or_default()
            )),
        };
        append(conn, &entry, now)?;
        Ok(moved)
    })
}

/// Ticket `id`, if it is this clerk's at this window.
fn mine(conn: &mut DbConn, clerk: &Clerk, id: i64) -> Result<Ticket, HallError> {
    let ticket = get(conn, id)?;
    let here = ticket.window_no.as_deref() == Some(clerk.window.as_str())
        && ticket.clerk.as_deref() == Some(clerk.username.as_str());
    match ticket.state.as_str() {
        "called" | "serving" | "held" if !here => Err(HallError::NotYours(format!(
            "{}号正由{}号窗口办理",
            ticket.number,
            ticket.window_no.as_deref().unwrap_or("其他")
        ))),
        "done" => Err(HallError::WrongState(format!("{}号已办结", ticket.number))),
        "waiting" | "no_show" | "transferred" | "cancelled" => Err(HallError::WrongState(format!(
            "{}号{}，不是本窗口正在办理的号",
            ticket.number,
            super::ticket::state_zh(&ticket.state)
        ))),
        _ => Ok(ticket),
    }
}

/// When ticket `id` was last called (from the hall's calls: the time is not kept twice).
fn last_called(conn: &mut DbConn, id: i64) -> QueryResult<Option<NaiveDateTime>> {
    k::table
        .filter(k::ticket_id.eq(id))
        .select(diesel::dsl::max(k::called_at))
        .first(conn)
}

fn announce(
    conn: &mut DbConn,
    ticket: &Ticket,
    window: &str,
    recall: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(k::table)
        .values((
            k::ticket_id.eq(ticket.id),
            k::number.eq(&ticket.number),
            k::window_no.eq(window),
            k::recall.eq(recall),
            k::called_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn audit(
    conn: &mut DbConn,
    clerk: &Clerk,
    ticket: &Ticket,
    action: &str,
    now: NaiveDateTime,
) -> Result<(), HallError> {
    let entry = NewEntry {
        actor: clerk.actor(),
        action: action.into(),
        subject_ssn: ticket.ssn.clone(),
        purpose: None,
        result: "ok".into(),
        detail: Some(format!(
            "{} {} window {}",
            ticket.number, ticket.item_code, clerk.window
        )),
    };
    append(conn, &entry, now)?;
    Ok(())
}
