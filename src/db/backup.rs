//! Backups of a SQLite store while nodes serve it (issue 13). `VACUUM INTO` writes the whole
//! database as one read transaction sees it, so the copy is consistent whatever commits
//! meanwhile (WAL mode lets writers go on), compacted, and without a WAL of its own — the same
//! guarantee as the step-wise online backup API, in one statement diesel can send. A PostgreSQL
//! store is backed up with the server's own tools (docs/operations.md).

use super::{DbConn, DbError};
use diesel::prelude::*;
use diesel::sql_types::Text;
use std::path::Path;

/// Writes a consistent copy of the SQLite store behind `conn` to `target` (which must not
/// exist), created 0600.
pub fn snapshot(conn: &mut DbConn, target: &Path) -> Result<(), DbError> {
    let DbConn::Sqlite(_) = conn else {
        return Err(DbError::NotSqlite);
    };
    let folder = |source| DbError::Folder {
        path: target.display().to_string(),
        source,
    };
    if target.exists() {
        return Err(folder(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "the backup file exists already",
        )));
    }
    // An empty file is what VACUUM INTO accepts besides none; made first so it is 0600.
    crate::private_file::touch(target).map_err(folder)?;
    let path = target.to_string_lossy().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{path}'")).execute(conn)?;
    Ok(())
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// SQLite's own integrity check of the store behind `conn`: `ok`, or what is wrong.
pub fn integrity(conn: &mut DbConn) -> Result<String, DbError> {
    let rows: Vec<Check> = diesel::sql_query("PRAGMA integrity_check").load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| r.integrity_check)
        .collect::<Vec<_>>()
        .join("; "))
}
