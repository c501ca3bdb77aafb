//! The order of a queue and what a waiting citizen is told: people ahead and an estimated wait.
//! The order is computed here, not in SQL, so both backends order alike and the rule is one
//! function: priority first, then the time the ticket took its place; under
//! `priority_with_limit` a ticket that has waited `max_wait_minutes` counts as a priority one.

use super::config::{HallConfig, Ordering};
use crate::db::schema::{hall_periods as p, hall_tickets as t};
use crate::db::DbConn;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// A waiting ticket, as the order needs it.
#[derive(Debug, Clone, Queryable)]
pub struct Waiting {
    pub id: i64,
    pub item_code: String,
    pub priority: i32,
    pub queued_at: NaiveDateTime,
    /// A transfer to one window: only that window calls it.
    pub window_no: Option<String>,
}

/// Sorts `waiting` into calling order at `now`.
pub fn sort(waiting: &mut [Waiting], config: &HallConfig, now: NaiveDateTime) {
    let limit = Duration::minutes(config.max_wait_minutes as i64);
    let first = |w: &Waiting| {
        w.priority > 0
            || (config.ordering == Ordering::PriorityWithLimit && now - w.queued_at >= limit)
    };
    waiting.sort_by(|a, b| {
        first(b)
            .cmp(&first(a))
            .then(a.queued_at.cmp(&b.queued_at))
            .then(a.id.cmp(&b.id))
    });
}

/// The waiting tickets of `items`, in calling order.
pub fn waiting(
    conn: &mut DbConn,
    config: &HallConfig,
    items: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<Waiting>> {
    let mut list: Vec<Waiting> = t::table
        .filter(t::state.eq("waiting"))
        .filter(t::item_code.eq_any(items))
        .select((t::id, t::item_code, t::priority, t::queued_at, t::window_no))
        .load(conn)?;
    sort(&mut list, config, now);
    Ok(list)
}

/// Minutes one service takes at `item`: the median of today's finished services, or the
/// configured estimate while there are fewer than three.
pub fn service_minutes(
    conn: &mut DbConn,
    config: &HallConfig,
    item: &str,
    since: NaiveDateTime,
) -> QueryResult<f64> {
    let periods: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = p::table
        .inner_join(t::table.on(t::id.eq(p::ticket_id)))
        .filter(t::item_code.eq(item))
        .filter(p::kind.eq("serving"))
        .filter(p::started_at.ge(since))
        .filter(p::ended_at.is_not_null())
        .select((p::started_at, p::ended_at))
        .load(conn)?;
    let mut minutes: Vec<f64> = periods
        .into_iter()
        .filter_map(|(s, e)| e.map(|e| (e - s).num_seconds() as f64 / 60.0))
        .collect();
    if minutes.len() < 3 {
        return Ok(config.service_minutes as f64);
    }
    minutes.sort_by(f64::total_cmp);
    Ok(minutes[minutes.len() / 2])
}

/// People ahead of ticket `id` and the estimated wait in whole minutes, with `servers` windows.
pub fn position(
    conn: &mut DbConn,
    config: &HallConfig,
    id: i64,
    item: &str,
    servers: usize,
    now: NaiveDateTime,
) -> QueryResult<(usize, u32)> {
    let list = waiting(conn, config, &[item.to_string()], now)?;
    let ahead = list.iter().position(|w| w.id == id).unwrap_or(0);
    let since = now - Duration::hours(12);
    let minutes = service_minutes(conn, config, item, since)?;
    let wait = (ahead as f64 * minutes / servers.max(1) as f64).ceil() as u32;
    Ok((ahead, wait))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + minute * 60, 0)
            .unwrap()
            .naive_utc()
    }

    fn ticket(id: i64, priority: i32, minute: i64) -> Waiting {
        Waiting {
            id,
            item_code: "x".into(),
            priority,
            queued_at: at(minute),
            window_no: None,
        }
    }

    #[test]
    fn priority_goes_first_and_the_limit_lets_a_long_wait_through() {
        let mut config = crate::config::Config::load(None).unwrap().hall;
        config.max_wait_minutes = 30;
        let tickets = vec![ticket(1, 0, 0), ticket(2, 1, 20), ticket(3, 0, 15)];

        config.ordering = Ordering::StrictPriority;
        let mut list = tickets.clone();
        sort(&mut list, &config, at(40));
        assert_eq!(list.iter().map(|w| w.id).collect::<Vec<_>>(), [2, 1, 3]);

        // Ticket 1 has waited 40 minutes, past the limit: it goes before the priority one.
        config.ordering = Ordering::PriorityWithLimit;
        let mut list = tickets.clone();
        sort(&mut list, &config, at(40));
        assert_eq!(list.iter().map(|w| w.id).collect::<Vec<_>>(), [1, 2, 3]);
        let mut list = tickets;
        sort(&mut list, &config, at(25));
        assert_eq!(list.iter().map(|w| w.id).collect::<Vec<_>>(), [2, 1, 3]);
    }
}
