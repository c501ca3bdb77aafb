//! Supervisors' figures, derived from the stored periods, tickets and ratings (nothing kept
//! twice): per hall day, item, window and clerk — tickets issued, served, no-shows, waiting and
//! service time p50/p90 in minutes, 好评率 (share of ratings 4 and 5), open and overdue cases.

use super::HallConfig;
use crate::db::schema::{hall_cases as c, hall_periods as p, hall_ratings as r, hall_tickets as t};
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Row {
    pub day: String,
    pub item_code: String,
    /// Empty for tickets never called.
    pub window_no: String,
    pub clerk: String,
    pub issued: u32,
    pub served: u32,
    pub no_shows: u32,
    pub wait_p50: f64,
    pub wait_p90: f64,
    pub service_p50: f64,
    pub service_p90: f64,
    pub ratings: u32,
    /// Share of 满意 and 非常满意 among the ratings, 0..1; 0 without ratings.
    pub good_rate: f64,
    pub open_cases: u32,
    pub overdue_cases: u32,
}

#[derive(Default)]
struct Acc {
    row: Row,
    waits: Vec<f64>,
    services: Vec<f64>,
    good: u32,
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let i = ((values.len() as f64 * q).ceil() as usize).clamp(1, values.len()) - 1;
    (values[i] * 10.0).round() / 10.0
}

type TicketRow = (
    i64,
    NaiveDate,
    String,
    Option<String>,
    Option<String>,
    String,
);

/// The rows of the hall days `from..=to`.
pub fn rows(
    conn: &mut DbConn,
    config: &HallConfig,
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<Row>> {
    let tickets: Vec<TicketRow> = t::table
        .filter(t::day.ge(from).and(t::day.le(to)))
        .select((
            t::id,
            t::day,
            t::item_code,
            t::window_no,
            t::clerk,
            t::state,
        ))
        .load(conn)?;
    let ids: Vec<i64> = tickets.iter().map(|t| t.0).collect();
    let periods: Vec<(i64, String, NaiveDateTime, Option<NaiveDateTime>)> = p::table
        .filter(p::ticket_id.eq_any(&ids))
        .select((p::ticket_id, p::kind, p::started_at, p::ended_at))
        .load(conn)?;
    let ratings: Vec<(i64, i32, Option<NaiveDate>, Option<String>)> = r::table
        .left_join(c::table.on(c::rating_id.eq(r::id)))
        .filter(r::ticket_id.eq_any(&ids))
        .select((
            r::ticket_id,
            r::level,
            c::due_on.nullable(),
            c::state.nullable(),
        ))
        .load(conn)?;
    let today = config.hall_day(now);
    let mut by_key: BTreeMap<(String, String, String, String), Acc> = BTreeMap::new();
    for (id, day, item, window, clerk, state) in &tickets {
        let key = (
            day.to_string(),
            item.clone(),
            window.clone().unwrap_or_default(),
            clerk.clone().unwrap_or_default(),
        );
        let acc = by_key.entry(key.clone()).or_default();
        acc.row.day = key.0;
        acc.row.item_code = key.1;
        acc.row.window_no = key.2;
        acc.row.clerk = key.3;
        acc.row.issued += 1;
        acc.row.served += u32::from(state == "done");
        acc.row.no_shows += u32::from(state == "no_show");
        for (_, kind, start, end) in periods.iter().filter(|p| p.0 == *id) {
            let Some(end) = end else { continue };
            let minutes = (*end - *start).num_seconds() as f64 / 60.0;
            match kind.as_str() {
                "waiting" => acc.waits.push(minutes),
                "serving" => acc.services.push(minutes),
                _ => {}
            }
        }
        for (_, level, due, case_state) in ratings.iter().filter(|r| r.0 == *id) {
            acc.row.ratings += 1;
            acc.good += u32::from(*level >= 4);
            if case_state.as_deref() == Some("open") {
                acc.row.open_cases += 1;
                acc.row.overdue_cases += u32::from(due.is_some_and(|d| today > d));
            }
        }
    }
    Ok(by_key
        .into_values()
        .map(|mut a| {
            a.row.wait_p50 = quantile(&mut a.waits, 0.5);
            a.row.wait_p90 = quantile(&mut a.waits, 0.9);
            a.row.service_p50 = quantile(&mut a.services, 0.5);
            a.row.service_p90 = quantile(&mut a.services, 0.9);
            if a.row.ratings > 0 {
                a.row.good_rate = a.good as f64 / a.row.ratings as f64;
            }
            a.row
        })
        .collect())
}

/// The rows as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese header).
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from(
        "\u{feff}日期,事项编码,窗口,工作人员,取号,办结,过号,等候p50(分),等候p90(分),办理p50(分),办理p90(分),评价数,好评率,未办结整改,超期整改\n",
    );
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{:.3},{},{}\n",
            r.day,
            r.item_code,
            r.window_no,
            r.clerk,
            r.issued,
            r.served,
            r.no_shows,
            r.wait_p50,
            r.wait_p90,
            r.service_p50,
            r.service_p90,
            r.ratings,
            r.good_rate,
            r.open_cases,
            r.overdue_cases
        ));
    }
    out
}
