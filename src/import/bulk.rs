//! How the importer writes a chunk of validated rows: first into a temporary *twin* of the target
//! table (same name, no key, no index), then with one `INSERT … SELECT … ON CONFLICT DO UPDATE`
//! from the twin into the real table. The merge runs inside the database; only filling the twin
//! differs per backend:
//!
//! - PostgreSQL: binary `COPY` (a multi-row INSERT of the same rows was ~10× slower).
//! - SQLite: plain multi-row INSERTs of a fixed number of rows, which diesel prepares once and
//!   reuses. Diesel never reuses a prepared upsert (`DO UPDATE` is marked unsafe to cache), and
//!   re-parsing a large statement per chunk cost more than the inserts themselves.
//!
//! The twin lives in the connection's temporary schema, which both databases search before the
//! main one, so diesel's typed statements on the table name land in the twin; the merge names
//! both schemas explicitly. The twin is dropped when the import ends (or with its rollback).

use crate::db::DbConn;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

/// Rows per SQLite INSERT: a fixed-size array gives diesel a statement type it can prepare once;
/// 200 rows × 10 columns stays under SQLite's bound-parameter limit.
pub const SQLITE_ROWS: usize = 200;

#[derive(QueryableByName)]
struct Schema {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Upserts one chunk: empties (or creates) the twin of `table`, lets `fill` write the rows into
/// it, and merges them into the real table on `key`. `columns` are the export's columns;
/// `batch_id` is always updated too.
pub fn upsert(
    conn: &mut DbConn,
    table: &str,
    key: &[&str],
    columns: &[&str],
    fill: impl FnOnce(&mut DbConn) -> QueryResult<usize>,
) -> QueryResult<usize> {
    let (target, twin) = match conn {
        DbConn::Pg(c) => {
            let schema = diesel::sql_query("SELECT current_schema() AS name")
                .get_result::<Schema>(c)?
                .name;
            c.batch_execute(&format!(
                "CREATE TEMP TABLE IF NOT EXISTS \"{table}\" (LIKE \"{schema}\".\"{table}\") ON COMMIT DROP; \
                 TRUNCATE pg_temp.\"{table}\";"
            ))?;
            (
                format!("\"{schema}\".\"{table}\""),
                format!("pg_temp.\"{table}\""),
            )
        }
        DbConn::Sqlite(c) => {
            c.batch_execute(&format!(
                "CREATE TEMP TABLE IF NOT EXISTS \"{table}\" AS SELECT * FROM main.\"{table}\" WHERE 0; \
                 DELETE FROM temp.\"{table}\";"
            ))?;
            (format!("main.\"{table}\""), format!("temp.\"{table}\""))
        }
    };
    let written = fill(conn)?;
    let updates: Vec<String> = columns
        .iter()
        .chain(std::iter::once(&"batch_id"))
        .filter(|col| !key.contains(col))
        .map(|col| format!("{col} = excluded.{col}"))
        .collect();
    // `WHERE true` settles SQLite's parsing ambiguity between a join's ON and the upsert's ON.
    conn.batch_execute(&format!(
        "INSERT INTO {target} SELECT * FROM {twin} WHERE true ON CONFLICT ({}) DO UPDATE SET {}",
        key.join(", "),
        updates.join(", ")
    ))?;
    Ok(written)
}

/// Drops the twin of `table`, so that later statements on this connection see the real table.
pub fn drop_twin(conn: &mut DbConn, table: &str) -> QueryResult<()> {
    let schema = match conn {
        DbConn::Pg(_) => "pg_temp",
        DbConn::Sqlite(_) => "temp",
    };
    conn.batch_execute(&format!("DROP TABLE IF EXISTS {schema}.\"{table}\""))
}

/// Writes `rows` in fixed arrays of [`SQLITE_ROWS`] through `many`, the remainder one by one
/// through `one` (both plain INSERTs that diesel prepares once).
pub fn sqlite_insert<R>(
    c: &mut SqliteConnection,
    rows: &[R],
    many: impl Fn(&mut SqliteConnection, &[R; SQLITE_ROWS]) -> QueryResult<usize>,
    one: impl Fn(&mut SqliteConnection, &R) -> QueryResult<usize>,
) -> QueryResult<usize> {
    let mut arrays = rows.chunks_exact(SQLITE_ROWS);
    for array in &mut arrays {
        many(
            c,
            array
                .try_into()
                .expect("chunks_exact yields SQLITE_ROWS rows"),
        )?;
    }
    for row in arrays.remainder() {
        one(c, row)?;
    }
    Ok(rows.len())
}

/// The body of every [`Subsystem::upsert`](super::Subsystem::upsert): [`upsert`] with the twin
/// filled by COPY (PostgreSQL) or by [`sqlite_insert`]. A macro because diesel's statements are
/// typed by the table.
macro_rules! upsert_through_twin {
    ($conn:expr, $rows:expr, $table:path) => {
        $crate::import::bulk::upsert(
            $conn,
            Self::TABLE,
            Self::KEY,
            Self::COLUMNS,
            |conn| match conn {
                $crate::db::DbConn::Pg(c) => {
                    diesel::copy_from($table).from_insertable($rows).execute(c)
                }
                $crate::db::DbConn::Sqlite(c) => $crate::import::bulk::sqlite_insert(
                    c,
                    $rows,
                    |c, many| diesel::insert_into($table).values(many).execute(c),
                    |c, one| diesel::insert_into($table).values(one).execute(c),
                ),
            },
        )
    };
}
pub(crate) use upsert_through_twin;
