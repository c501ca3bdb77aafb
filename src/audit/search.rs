//! Reading the trail back: a supervisor's search at the window and a citizen's own "who looked at
//! my record" at the kiosk both go through [`search`], newest first.

use super::AuditError;
use crate::db::schema::audit_log;
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

/// One stored entry as shown to people (the chain hashes stay internal).
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub seq: i64,
    #[schema(value_type = String, example = "2026-11-27T09:30:00")]
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub subject_ssn: Option<String>,
    pub purpose: Option<String>,
    pub result: String,
    pub detail: Option<String>,
}

/// What to look for; every field that is set must match.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub subject_ssn: Option<String>,
    /// Exact actor (`staff:alice`) or a prefix ending in `:` (`staff:`, `kiosk:`).
    pub actor: Option<String>,
    /// Exact action (`record.view`) or a prefix ending in `.` (`certificate.`).
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    /// Only entries with a sequence number below this (paging backwards); None = from the end.
    pub before_seq: Option<i64>,
    /// At most this many entries (capped at 500).
    pub limit: i64,
}

/// Matching entries, newest first.
pub fn search(conn: &mut DbConn, filter: &Filter) -> Result<Vec<Entry>, AuditError> {
    let mut query = audit_log::table
        .select((
            audit_log::seq,
            audit_log::at,
            audit_log::actor,
            audit_log::action,
            audit_log::subject_ssn,
            audit_log::purpose,
            audit_log::result,
            audit_log::detail,
        ))
        .order(audit_log::seq.desc())
        .limit(filter.limit.clamp(1, 500))
        .into_boxed();
    if let Some(ssn) = &filter.subject_ssn {
        query = query.filter(audit_log::subject_ssn.eq(ssn.clone()));
    }
    if let Some(actor) = &filter.actor {
        query = match prefix_bounds(actor, ':') {
            Some((low, high)) => {
                query.filter(audit_log::actor.ge(low).and(audit_log::actor.lt(high)))
            }
            None => query.filter(audit_log::actor.eq(actor.clone())),
        };
    }
    if let Some(action) = &filter.action {
        query = match prefix_bounds(action, '.') {
            Some((low, high)) => {
                query.filter(audit_log::action.ge(low).and(audit_log::action.lt(high)))
            }
            None => query.filter(audit_log::action.eq(action.clone())),
        };
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::at.lt(until));
    }
    if let Some(before) = filter.before_seq {
        query = query.filter(audit_log::seq.lt(before));
    }
    Ok(query.load(conn)?)
}

/// A text ending in `separator` is a prefix: it matches the half-open range [`staff:`, `staff;`),
/// which needs no LIKE (whose `_` and `%` a username may contain) and can use an index.
fn prefix_bounds(text: &str, separator: char) -> Option<(String, String)> {
    let stem = text.strip_suffix(separator)?;
    let next = char::from_u32(separator as u32 + 1)?;
    Some((text.to_string(), format!("{stem}{next}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefixes_become_ranges_and_other_texts_stay_exact() {
        assert_eq!(
            super::prefix_bounds("staff:", ':'),
            Some(("staff:".into(), "staff;".into()))
        );
        assert_eq!(
            super::prefix_bounds("certificate.", '.'),
            Some(("certificate.".into(), "certificate/".into()))
        );
        assert_eq!(super::prefix_bounds("staff:a_b", ':'), None);
    }
}
