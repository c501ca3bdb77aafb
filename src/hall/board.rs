//! The hall display's content: the latest calls ("A012 → 3号窗口") and how many wait per item.
//! Numbers and windows only: no name or ID number ever reaches the big screen.

use super::catalogue::Catalogue;
use super::HallConfig;
use crate::db::schema::{hall_calls as k, hall_tickets as t};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Call {
    pub id: i64,
    pub number: String,
    pub window_no: String,
    pub recall: bool,
    /// Hall time, HH:MM:SS.
    pub called_local: String,
    /// The announcement, as spoken: "请A012号到3号窗口办理".
    pub text_zh: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Waiting {
    pub item_name: String,
    pub prefix: String,
    pub waiting: i64,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Board {
    pub hall: String,
    /// Newest first.
    pub calls: Vec<Call>,
    pub waiting: Vec<Waiting>,
}

/// What is said for a call (a recall says so first).
pub fn announcement(number: &str, window: &str, recall: bool) -> String {
    let again = if recall { "重呼，" } else { "" };
    format!("{again}请{number}号到{window}号窗口办理")
}

type Row = (i64, String, String, bool, NaiveDateTime);

fn call(config: &HallConfig, (id, number, window_no, recall, at): Row) -> Call {
    Call {
        text_zh: announcement(&number, &window_no, recall),
        called_local: config.local(at).format("%H:%M:%S").to_string(),
        id,
        number,
        window_no,
        recall,
    }
}

/// Calls after `after`, oldest first (what the display has not shown yet).
pub fn calls_after(conn: &mut DbConn, config: &HallConfig, after: i64) -> QueryResult<Vec<Call>> {
    let rows: Vec<Row> = k::table
        .filter(k::id.gt(after))
        .order(k::id)
        .limit(50)
        .select((k::id, k::number, k::window_no, k::recall, k::called_at))
        .load(conn)?;
    Ok(rows.into_iter().map(|r| call(config, r)).collect())
}

pub fn call_by_id(conn: &mut DbConn, config: &HallConfig, id: i64) -> QueryResult<Option<Call>> {
    let row: Option<Row> = k::table
        .find(id)
        .select((k::id, k::number, k::window_no, k::recall, k::called_at))
        .first(conn)
        .optional()?;
    Ok(row.map(|r| call(config, r)))
}

/// The id of the newest call (0 when there is none): where a new display starts listening.
pub fn last_call(conn: &mut DbConn) -> QueryResult<i64> {
    Ok(k::table
        .select(diesel::dsl::max(k::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

pub fn board(
    conn: &mut DbConn,
    config: &HallConfig,
    catalogue: &Catalogue,
    today_start: NaiveDateTime,
) -> QueryResult<Board> {
    let rows: Vec<Row> = k::table
        .filter(k::called_at.ge(today_start))
        .order(k::id.desc())
        .limit(8)
        .select((k::id, k::number, k::window_no, k::recall, k::called_at))
        .load(conn)?;
    let counts: Vec<(String, i64)> = t::table
        .filter(t::state.eq("waiting"))
        .group_by(t::item_code)
        .select((t::item_code, diesel::dsl::count_star()))
        .load(conn)?;
    let waiting = catalogue
        .items
        .iter()
        .filter_map(|i| {
            let n = counts.iter().find(|(c, _)| *c == i.code)?.1;
            Some(Waiting {
                item_name: i.name_zh.clone(),
                prefix: i.prefix.clone(),
                waiting: n,
            })
        })
        .collect();
    Ok(Board {
        hall: catalogue.hall.name.clone(),
        calls: rows.into_iter().map(|r| call(config, r)).collect(),
        waiting,
    })
}
