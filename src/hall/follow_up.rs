//! The follow-up of a bad rating (差评整改): a case for a supervisor, due `follow_up_working_days`
//! working days after the rating, closed only with both a 回访 (call-back) note and a 整改 (fix)
//! note; a case past its due date is flagged overdue. The clerk of the rated service may appeal
//! (申诉), and a supervisor decides the appeal. Every step is audited.

use super::{working_days, HallConfig, HallError};
use crate::audit::{append, atomically, NewEntry};
use crate::db::schema::{hall_cases as c, hall_ratings as r, hall_tickets as t};
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

pub(crate) fn open(
    conn: &mut DbConn,
    config: &HallConfig,
    rating: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let due = working_days::add(
        config.hall_day(now),
        config.follow_up_working_days,
        &config.holidays,
    );
    diesel::insert_into(c::table)
        .values((
            c::rating_id.eq(rating),
            c::opened_at.eq(now),
            c::due_on.eq(due),
            c::state.eq("open"),
        ))
        .execute(conn)?;
    Ok(())
}

/// A case as the supervisor's list shows it: the rating and the service, never the rater.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Case {
    pub id: i64,
    pub state: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub level: i32,
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub number: String,
    pub item_code: String,
    pub window_no: Option<String>,
    pub clerk: Option<String>,
    pub callback_note: Option<String>,
    pub fix_note: Option<String>,
    pub closed_by: Option<String>,
    pub appeal_note: Option<String>,
    pub appeal_state: Option<String>,
}

type Row = (
    (
        i64,
        String,
        NaiveDate,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    (Option<String>, Option<String>),
    (
        i32,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    (String, String),
);

fn cases(
    conn: &mut DbConn,
    config: &HallConfig,
    only: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<Vec<Case>> {
    let mut query = c::table
        .inner_join(r::table.on(r::id.eq(c::rating_id)))
        .inner_join(t::table.on(t::id.eq(r::ticket_id)))
        .select((
            (
                c::id,
                c::state,
                c::due_on,
                c::callback_note,
                c::fix_note,
                c::closed_by,
            ),
            (c::appeal_note, c::appeal_state),
            (r::level, r::reason, r::comment, r::window_no, r::clerk),
            (t::number, t::item_code),
        ))
        .order(c::id.desc())
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(c::id.eq(id));
    }
    let today = config.hall_day(now);
    Ok(query
        .load::<Row>(conn)?
        .into_iter()
        .map(|(a, b, rating, ticket)| Case {
            overdue: a.1 == "open" && today > a.2,
            id: a.0,
            state: a.1,
            due_on: a.2,
            callback_note: a.3,
            fix_note: a.4,
            closed_by: a.5,
            appeal_note: b.0,
            appeal_state: b.1,
            level: rating.0,
            reason: rating.1,
            comment: rating.2,
            window_no: rating.3,
            clerk: rating.4,
            number: ticket.0,
            item_code: ticket.1,
        })
        .collect())
}

pub fn list(
    conn: &mut DbConn,
    config: &HallConfig,
    now: NaiveDateTime,
) -> Result<Vec<Case>, HallError> {
    Ok(cases(conn, config, None, now)?)
}

pub fn get(
    conn: &mut DbConn,
    config: &HallConfig,
    id: i64,
    now: NaiveDateTime,
) -> Result<Case, HallError> {
    cases(conn, config, Some(id), now)?
        .pop()
        .ok_or_else(|| HallError::Refused(format!("没有编号为 {id} 的整改事项")))
}

fn note(text: &str, what: &str) -> Result<String, HallError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 500 {
        return Err(HallError::Refused(format!("请填写{what}（1–500 字）")));
    }
    Ok(text.to_string())
}

fn audit(
    conn: &mut DbConn,
    actor: &str,
    action: &str,
    id: i64,
    now: NaiveDateTime,
) -> Result<(), HallError> {
    let entry = NewEntry {
        actor: actor.to_string(),
        action: action.into(),
        subject_ssn: None,
        purpose: None,
        result: "ok".into(),
        detail: Some(format!("case {id}")),
    };
    append(conn, &entry, now)?;
    Ok(())
}

/// Closes case `id` with the call-back and fix notes (a supervisor).
pub fn close(
    conn: &mut DbConn,
    config: &HallConfig,
    id: i64,
    callback: &str,
    fix: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Case, HallError> {
    let callback = note(callback, "回访情况")?;
    let fix = note(fix, "整改措施")?;
    atomically(conn, |conn| {
        let changed = diesel::update(c::table.find(id).filter(c::state.eq("open")))
            .set((
                c::state.eq("closed"),
                c::callback_note.eq(&callback),
                c::fix_note.eq(&fix),
                c::closed_at.eq(now),
                c::closed_by.eq(actor),
            ))
            .execute(conn)?;
        if changed == 0 {
            get(conn, config, id, now)?;
            return Err(HallError::WrongState("该整改事项已办结".into()));
        }
        audit(conn, actor, "hall.case.close", id, now)?;
        get(conn, config, id, now)
    })
}

/// The rated clerk's appeal (申诉): only the clerk whose service was rated, once.
pub fn appeal(
    conn: &mut DbConn,
    config: &HallConfig,
    id: i64,
    clerk: &str,
    text: &str,
    now: NaiveDateTime,
) -> Result<Case, HallError> {
    let text = note(text, "申诉理由")?;
    let case = get(conn, config, id, now)?;
    if case.clerk.as_deref() != Some(clerk) {
        return Err(HallError::NotYours(
            "只有被评价的工作人员本人可以申诉".into(),
        ));
    }
    atomically(conn, |conn| {
        let changed = diesel::update(c::table.find(id).filter(c::appeal_state.is_null()))
            .set((c::appeal_note.eq(&text), c::appeal_state.eq("pending")))
            .execute(conn)?;
        if changed == 0 {
            return Err(HallError::WrongState("该事项已申诉过".into()));
        }
        audit(
            conn,
            &crate::staff::actor(clerk),
            "hall.case.appeal",
            id,
            now,
        )?;
        get(conn, config, id, now)
    })
}

/// A supervisor's decision on a pending appeal (复核): upheld (the rating is set aside as
/// mistaken or malicious, and the case closed) or rejected.
pub fn decide(
    conn: &mut DbConn,
    config: &HallConfig,
    id: i64,
    upheld: bool,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Case, HallError> {
    let state = if upheld { "upheld" } else { "rejected" };
    atomically(conn, |conn| {
        let changed = diesel::update(c::table.find(id).filter(c::appeal_state.eq("pending")))
            .set((c::appeal_state.eq(state), c::appeal_decided_by.eq(actor)))
            .execute(conn)?;
        if changed == 0 {
            return Err(HallError::WrongState("该事项没有待复核的申诉".into()));
        }
        if upheld {
            diesel::update(c::table.find(id).filter(c::state.eq("open")))
                .set((
                    c::state.eq("closed"),
                    c::closed_at.eq(now),
                    c::closed_by.eq(actor),
                ))
                .execute(conn)?;
        }
        audit(conn, actor, &format!("hall.case.appeal_{state}"), id, now)?;
        get(conn, config, id, now)
    })
}
