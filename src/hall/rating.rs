//! 好差评: one rating per 办件 (ticket), five levels coded 5…1 (非常满意 … 非常不满意), an
//! optional reason from a fixed list and a short text. A rating is given after the ticket is
//! finished, on the window's rating screen or later from the ticket's own page within
//! `late_rating_hours`. No rater is stored: staff cannot learn who rated them. The two lowest
//! levels are 差评 and open a follow-up case ([`super::follow_up`]).

use super::ticket::Ticket;
use super::{follow_up, HallConfig, HallError};
use crate::audit::{append, atomically, NewEntry};
use crate::db::schema::{hall_periods as p, hall_ratings as r};
use crate::db::DbConn;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

pub const LEVELS: [&str; 5] = ["非常不满意", "不满意", "基本满意", "满意", "非常满意"];

/// The fixed reasons a citizen may pick (GB/T 39734 leaves the list to the region).
pub const REASONS: [&str; 8] = [
    "等候时间长",
    "办理时间长",
    "服务态度差",
    "政策解释不清",
    "材料要求多",
    "多次跑动",
    "服务热情周到",
    "办理高效便捷",
];

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRating {
    /// 5 非常满意 … 1 非常不满意.
    pub level: i32,
    pub reason: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Rated {
    pub level: i32,
    pub level_zh: String,
    /// A follow-up case was opened (差评).
    pub follow_up: bool,
}

/// Rates `ticket` through `channel` (`window`, `kiosk` or `late`).
pub fn rate(
    conn: &mut DbConn,
    config: &HallConfig,
    ticket: &Ticket,
    rating: &NewRating,
    channel: &str,
    now: NaiveDateTime,
) -> Result<Rated, HallError> {
    if !(1..=5).contains(&rating.level) {
        return Err(HallError::Refused(
            "评价等级应为 1–5（非常不满意—非常满意）".into(),
        ));
    }
    let reason = rating
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(reason) = reason {
        if !REASONS.contains(&reason) {
            return Err(HallError::Refused(format!(
                "评价原因请从列表中选择：{}",
                REASONS.join("、")
            )));
        }
    }
    let comment = rating
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if comment.is_some_and(|c| c.chars().count() > 300) {
        return Err(HallError::Refused("评价内容最多 300 字".into()));
    }
    if ticket.state != "done" {
        return Err(HallError::WrongState("该办件尚未办结，不能评价".into()));
    }
    let finished = finished_at(conn, ticket.id)?.unwrap_or(ticket.issued_at);
    if now - finished > Duration::hours(config.late_rating_hours as i64) {
        return Err(HallError::Refused(format!(
            "已超过评价期限（办结后{}小时内可评价）",
            config.late_rating_hours
        )));
    }
    let result = atomically(conn, |conn| {
        let id: i64 = diesel::insert_into(r::table)
            .values((
                r::ticket_id.eq(ticket.id),
                r::level.eq(rating.level),
                r::reason.eq(reason),
                r::comment.eq(comment),
                r::channel.eq(channel),
                r::rated_at.eq(now),
                r::item_code.eq(&ticket.item_code),
                r::window_no.eq(&ticket.window_no),
                r::clerk.eq(&ticket.clerk),
            ))
            .returning(r::id)
            .get_result(conn)?;
        let bad = rating.level <= 2;
        if bad {
            follow_up::open(conn, config, id, now)?;
        }
        // The rater is not named: the actor is the channel.
        let entry = NewEntry {
            actor: format!("public:{channel}"),
            action: "hall.rating".into(),
            subject_ssn: None,
            purpose: None,
            result: "ok".into(),
            detail: Some(format!("{} level {}", ticket.number, rating.level)),
        };
        append(conn, &entry, now)?;
        Ok(bad)
    });
    let bad = match result {
        Ok(bad) => bad,
        Err(HallError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => return Err(HallError::WrongState("该办件已评价，无需重复评价".into())),
        Err(e) => return Err(e),
    };
    Ok(Rated {
        level: rating.level,
        level_zh: LEVELS[(rating.level - 1) as usize].into(),
        follow_up: bad,
    })
}

/// When the ticket's service ended (its last period's end).
fn finished_at(conn: &mut DbConn, ticket: i64) -> QueryResult<Option<NaiveDateTime>> {
    p::table
        .filter(p::ticket_id.eq(ticket))
        .select(diesel::dsl::max(p::ended_at))
        .first(conn)
}
