//! Catalogue versions in the store. Loading adds a version and never changes an earlier one, so
//! a ticket keeps the version it was issued under and an old catalogue can be read again.

use super::{parse, Catalogue};
use crate::audit::{append, atomically, NewEntry};
use crate::db::schema::catalogue_versions as v;
use crate::db::DbConn;
use crate::hall::HallError;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// A stored version, as listed.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct Version {
    pub version: i32,
    pub loaded_at: NaiveDateTime,
    pub loaded_by: String,
    pub source_sha256: String,
    pub item_count: i32,
}

/// The catalogue in force: the highest stored version, or the built-in file before any.
pub fn current(conn: &mut DbConn, windows: &[String]) -> Result<Catalogue, HallError> {
    let latest: Option<(i32, String)> = v::table
        .order(v::version.desc())
        .select((v::version, v::document))
        .first(conn)
        .optional()?;
    match latest {
        Some((_, document)) => {
            serde_json::from_str(&document).map_err(|e| HallError::Stored(e.to_string()))
        }
        None => {
            let (hall, items) = parse::parse(super::BUILT_IN, windows)?;
            Ok(Catalogue {
                version: 0,
                hall,
                items,
            })
        }
    }
}

/// Checks `text` whole and stores it as the next version (audited as `catalogue.load`). A
/// refused file changes nothing.
pub fn load(
    conn: &mut DbConn,
    text: &str,
    windows: &[String],
    actor: &str,
    now: NaiveDateTime,
) -> Result<Catalogue, HallError> {
    let (hall, items) = parse::parse(text, windows)?;
    let sha = hex::encode(Sha256::digest(text.as_bytes()));
    atomically(conn, |conn| {
        let last: Option<i32> = v::table.select(diesel::dsl::max(v::version)).first(conn)?;
        let catalogue = Catalogue {
            version: last.unwrap_or(0) + 1,
            hall,
            items,
        };
        let document =
            serde_json::to_string(&catalogue).map_err(|e| HallError::Stored(e.to_string()))?;
        diesel::insert_into(v::table)
            .values((
                v::version.eq(catalogue.version),
                v::loaded_at.eq(now),
                v::loaded_by.eq(actor),
                v::source_sha256.eq(&sha),
                v::item_count.eq(catalogue.items.len() as i32),
                v::document.eq(&document),
            ))
            .execute(conn)?;
        let entry = NewEntry {
            actor: actor.to_string(),
            action: "catalogue.load".into(),
            subject_ssn: None,
            purpose: None,
            result: "ok".into(),
            detail: Some(format!(
                "version {} ({} items, sha256 {})",
                catalogue.version,
                catalogue.items.len(),
                &sha[..16]
            )),
        };
        append(conn, &entry, now)?;
        Ok(catalogue)
    })
}

pub fn versions(conn: &mut DbConn) -> Result<Vec<Version>, HallError> {
    Ok(v::table
        .order(v::version.desc())
        .select((
            v::version,
            v::loaded_at,
            v::loaded_by,
            v::source_sha256,
            v::item_count,
        ))
        .load(conn)?)
}
