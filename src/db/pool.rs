//! An r2d2 pool of [`DbConn`]. The manager is our own rather than diesel's `ConnectionManager`
//! because the backend must come from the URL scheme: `MultiConnection::establish` would try
//! SQLite first and create a file named after a PostgreSQL URL.

use super::{run_migrations, DbConn, DbError, DbUrl};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use std::time::Duration;

pub type DbPool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Per-connection SQLite settings. busy_timeout comes first: it makes this connection wait for a
/// lock held elsewhere instead of failing, and the journal-mode pragma after it may need one (a
/// closing connection checkpointing the WAL holds it for a moment). WAL lets the kiosk read while
/// an import writes; NORMAL sync is durable across process crashes in WAL mode (only an OS crash
/// can lose the last commits). Reads go through a memory map (no read() call per page) and an
/// 8 MiB page cache per connection.
const SQLITE_SETUP: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
     PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -8192;";

pub struct Manager {
    url: DbUrl,
}

impl Manager {
    pub fn connect(&self) -> Result<DbConn, DbError> {
        let fail = |e: diesel::ConnectionError| DbError::Connect {
            url: self.url.redacted(),
            reason: e.to_string(),
        };
        match &self.url {
            DbUrl::Sqlite(path) => {
                sqlite_multithread_mode();
                let mut conn = SqliteConnection::establish(path).map_err(fail)?;
                conn.batch_execute(SQLITE_SETUP)?;
                Ok(DbConn::Sqlite(conn))
            }
            DbUrl::Postgres(url) => Ok(DbConn::Pg(PgConnection::establish(url).map_err(fail)?)),
        }
    }
}

/// Puts the SQLite library in multi-thread mode before its first connection. In its default
/// (serialized) mode every call takes a per-connection mutex, which was ~7 % of an import's
/// CPU; a diesel connection is never used by two threads at once (it is not `Sync`, and the pool
/// hands it from thread to thread with synchronisation), which is all multi-thread mode asks.
/// If the library was already initialised the call fails harmlessly and the mode stays.
fn sqlite_multithread_mode() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config takes no pointers for this option and is called before any
        // connection of this process is opened through the pool; a late call returns
        // SQLITE_MISUSE without effect.
        let rc =
            unsafe { libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MULTITHREAD) };
        if rc != libsqlite3_sys::SQLITE_OK {
            tracing::debug!(rc, "SQLite stays in its serialized threading mode");
        }
    });
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = DbError;

    fn connect(&self) -> Result<DbConn, DbError> {
        Manager::connect(self)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), DbError> {
        Ok(conn.batch_execute("SELECT 1")?)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// Opens the database named by `url` (creating the SQLite file and its folder if needed), runs
/// pending migrations, and returns a pool of `size` connections. For operator commands.
pub fn open_pool(url: &str, size: u32) -> Result<DbPool, DbError> {
    open(url, size, true)
}

/// The same without migrating, for `serve`: the schema must be current already
/// ([`super::check_current`]), and the account needs no DDL rights.
pub fn open_pool_unmigrated(url: &str, size: u32) -> Result<DbPool, DbError> {
    open(url, size, false)
}

fn open(url: &str, size: u32, migrate: bool) -> Result<DbPool, DbError> {
    let url = DbUrl::parse(url)?;
    if let DbUrl::Sqlite(path) = &url {
        if let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            crate::private_file::create_dir(dir).map_err(|source| DbError::Folder {
                path: dir.display().to_string(),
                source,
            })?;
        }
        // SQLite gives the WAL and shared-memory files the mode of the store itself.
        if !path.starts_with(':') {
            crate::private_file::touch(std::path::Path::new(path)).map_err(|source| {
                DbError::Folder {
                    path: path.clone(),
                    source,
                }
            })?;
        }
    }
    let manager = Manager { url };
    // Migrate (or check) on a connection of its own, so that a failure is reported as itself and
    // not as a pool timeout.
    let mut first = manager.connect()?;
    if migrate {
        run_migrations(&mut first)?;
    } else {
        super::check_current(&mut first)?;
    }
    drop(first);
    let pool = r2d2::Pool::builder()
        .max_size(size.max(1))
        .connection_timeout(Duration::from_secs(10))
        .build(manager)?;
    Ok(pool)
}
