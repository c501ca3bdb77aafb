//! `serve` does not migrate (review D2: every node ran the migrations, so every node's database
//! account needed DDL rights). An operator runs `sskiosk migrate` with an owner's account; the
//! nodes' accounts read and write rows only (docs/operations.md). At start a node checks that
//! every migration it was built with has been applied, and otherwise refuses to serve, naming
//! the command.

use super::{migrations, DbConn, DbError};
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sql_types::Text;

#[derive(QueryableByName)]
struct Applied {
    #[diesel(sql_type = Text)]
    version: String,
}

/// Ok when the store's schema has every migration of this binary (a newer one is fine).
pub fn check_current(conn: &mut DbConn) -> Result<(), DbError> {
    let built: Vec<String> = match conn {
        DbConn::Sqlite(_) => versions::<diesel::sqlite::Sqlite>(&migrations::SQLITE)?,
        DbConn::Pg(_) => versions::<diesel::pg::Pg>(&migrations::POSTGRES)?,
    };
    let applied: Vec<String> = diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
        .load::<Applied>(conn)
        .map_err(|e| DbError::SchemaNotCurrent(format!("the store has no schema yet ({e})")))?
        .into_iter()
        .map(|a| a.version)
        .collect();
    let pending = built.iter().filter(|v| !applied.contains(v)).count();
    if pending > 0 {
        return Err(DbError::SchemaNotCurrent(format!(
            "{pending} migration(s) of this version are not applied"
        )));
    }
    Ok(())
}

fn versions<DB: diesel::backend::Backend>(
    source: &impl MigrationSource<DB>,
) -> Result<Vec<String>, DbError> {
    Ok(source
        .migrations()
        .map_err(|e| DbError::Migration(e.to_string()))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect())
}
