//! Storage: one diesel connection type over SQLite and PostgreSQL, its pool, and the embedded
//! migrations. The backend is chosen by the URL scheme (`sqlite://`, `postgres://`).
//!
//! Convention: queries are written once against [`DbConn`]; a function matches on the variant
//! only where the dialects differ (the import's bulk writes in import/bulk.rs), or through
//! [`with_backend!`] where diesel's multi-backend type cannot express a statement.

pub mod backup;
mod pool;
mod schema_check;
mod sql_date;
pub use sql_date::SqlDate;
pub mod schema;

pub use pool::{open_pool, open_pool_unmigrated, DbPool, PooledConn};
pub use schema_check::check_current;

use diesel::{PgConnection, SqliteConnection};

/// A connection to whichever backend the deployment uses.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Runs the same generic expression on the concrete connection inside a [`DbConn`], for the few
/// statements diesel only builds per backend (`RETURNING`, `IN` over a bound list).
#[macro_export]
macro_rules! with_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

/// The database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// A file path, relative to the working directory unless absolute.
    Sqlite(String),
    Postgres(String),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database URL {0:?} is not supported: use sqlite://PATH (e.g. sqlite://data/sskiosk.db) or postgres://USER@HOST:PORT/DB")]
    UnsupportedUrl(String),
    #[error("cannot open the database {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot create the folder {path} for the SQLite file: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("the store's schema is not current: {0}; run `sskiosk migrate` (with the owner's database account) first")]
    SchemaNotCurrent(String),
    #[error("backup is for SQLite stores; back PostgreSQL up with pg_dump or pg_basebackup (docs/operations.md)")]
    NotSqlite,
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<DbUrl, DbError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(DbError::UnsupportedUrl(url.to_string()));
            }
            Ok(DbUrl::Sqlite(path.to_string()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbUrl::Postgres(url.to_string()))
        } else {
            Err(DbError::UnsupportedUrl(url.to_string()))
        }
    }

    /// The URL with any password removed, for logs and error messages.
    pub fn redacted(&self) -> String {
        match self {
            DbUrl::Sqlite(path) => format!("sqlite://{path}"),
            DbUrl::Postgres(url) => redact_password(url),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or("");
            let hidden = if user_info.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}")
        }
        None => url.to_string(),
    }
}

mod migrations {
    use diesel_migrations::{embed_migrations, EmbeddedMigrations};
    pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
    pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
}

/// Brings the schema up to date; safe to run on every start and from several nodes (PostgreSQL
/// serialises concurrent runs on the migrations table's lock).
pub fn run_migrations(conn: &mut DbConn) -> Result<usize, DbError> {
    use diesel_migrations::MigrationHarness;
    let applied = match conn {
        DbConn::Sqlite(c) => c
            .run_pending_migrations(migrations::SQLITE)
            .map(|v| v.len()),
        DbConn::Pg(c) => c
            .run_pending_migrations(migrations::POSTGRES)
            .map(|v| v.len()),
    };
    applied.map_err(|e| DbError::Migration(e.to_string()))
}

/// Undoes every migration, then applies them again: proves each down.sql matches its up.sql.
pub fn redo_all_migrations(conn: &mut DbConn) -> Result<(), DbError> {
    use diesel_migrations::MigrationHarness;
    let fail = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    match conn {
        DbConn::Sqlite(c) => {
            c.revert_all_migrations(migrations::SQLITE).map_err(fail)?;
            c.run_pending_migrations(migrations::SQLITE).map_err(fail)?;
        }
        DbConn::Pg(c) => {
            c.revert_all_migrations(migrations::POSTGRES)
                .map_err(fail)?;
            c.run_pending_migrations(migrations::POSTGRES)
                .map_err(fail)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend_by_scheme() {
        assert_eq!(
            DbUrl::parse("sqlite://data/x.db").unwrap(),
            DbUrl::Sqlite("data/x.db".into())
        );
        assert!(matches!(
            DbUrl::parse("postgres://u@h/db").unwrap(),
            DbUrl::Postgres(_)
        ));
        assert!(matches!(
            DbUrl::parse("mysql://h/db"),
            Err(DbError::UnsupportedUrl(_))
        ));
        assert!(matches!(
            DbUrl::parse("sqlite://"),
            Err(DbError::UnsupportedUrl(_))
        ));
    }

    #[test]
    fn passwords_never_reach_logs() {
        let url = DbUrl::parse("postgres://app:s3cret@db:5432/sskiosk").unwrap();
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/sskiosk");
    }
}
