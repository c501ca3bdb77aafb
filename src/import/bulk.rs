//! How the importer writes a chunk of validated rows, per backend:
//!
//! - PostgreSQL: binary `COPY` into a temporary *twin* of the target table (same name, no key),
//!   then one `INSERT … SELECT … ON CONFLICT DO UPDATE` into the real table — or a plain
//!   `INSERT … SELECT` when no stored row belongs to a citizen of the chunk. A bound multi-row
//!   INSERT of the same rows was ~10× slower than COPY. The twin lives in `pg_temp`, which
//!   PostgreSQL searches before the main schema, so diesel's typed `copy_from(table)` lands in it;
//!   the merge names both schemas, and the twin is dropped when the import ends.
//! - SQLite: `REPLACE INTO` in fixed-size multi-row statements, straight into the real table.
//!   With no foreign keys or triggers on these tables, replacing a row (delete, then insert) is
//!   the same as updating every column, and diesel prepares a fixed-size REPLACE once and reuses
//!   it — it never reuses a prepared upsert (`DO UPDATE` is marked unsafe to cache), and
//!   re-parsing a large upsert per chunk cost more than the inserts themselves.

use crate::db::DbConn;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

/// Rows per SQLite statement: a fixed-size array gives diesel a statement type it can prepare once;
/// 200 rows × 10 columns stays under SQLite's bound-parameter limit.
pub const SQLITE_ROWS: usize = 200;

/// One text column called `name` (a schema's, a citizen's ID number).
#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// PostgreSQL: empties (or creates) the twin of `table`, lets `copy` fill it, and merges it
/// into the real table on `key`. `columns` are the export's columns; `batch_id` is always updated.
/// `citizens`: the chunk's distinct ID numbers when the key starts with `ssn`.
pub fn pg_upsert(
    c: &mut PgConnection,
    table: &str,
    key: &[&str],
    columns: &[&str],
    citizens: Option<Vec<&str>>,
    copy: impl FnOnce(&mut PgConnection) -> QueryResult<usize>,
) -> QueryResult<usize> {
    let schema = diesel::sql_query("SELECT current_schema() AS name")
        .get_result::<Name>(c)?
        .name;
    c.batch_execute(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS \"{table}\" (LIKE \"{schema}\".\"{table}\") ON COMMIT DROP; \
         TRUNCATE pg_temp.\"{table}\";"
    ))?;
    let written = copy(c)?;
    let updates: Vec<String> = columns
        .iter()
        .chain(std::iter::once(&"batch_id"))
        .filter(|col| !key.contains(col))
        .map(|col| format!("{col} = excluded.{col}"))
        .collect();
    let upsert = |rows: &str| {
        format!(
            "INSERT INTO \"{schema}\".\"{table}\" SELECT * FROM pg_temp.\"{table}\" {rows} \
             ON CONFLICT ({}) DO UPDATE SET {}",
            key.join(", "),
            updates.join(", ")
        )
    };
    let Some(citizens) = citizens else {
        c.batch_execute(&upsert(""))?;
        return Ok(written);
    };
    // A conflict needs an equal key, and every fact table's key starts with the citizen's ID
    // number. Rows of citizens with nothing stored yet (new citizens, a first load) go in with
    // a plain insert: about half the server's work of an upsert, which probes before each row.
    // Finding the others is one index probe per citizen of the chunk (~100).
    let known: Vec<String> = diesel::sql_query(format!(
        "SELECT s.ssn AS name FROM unnest($1::text[]) AS s(ssn) WHERE EXISTS \
         (SELECT 1 FROM \"{schema}\".\"{table}\" r WHERE r.ssn = s.ssn)"
    ))
    .bind::<diesel::sql_types::Array<Text>, _>(&citizens)
    .load::<Name>(c)?
    .into_iter()
    .map(|s| s.name)
    .collect();
    if known.len() < citizens.len() {
        diesel::sql_query(format!(
            "INSERT INTO \"{schema}\".\"{table}\" SELECT * FROM pg_temp.\"{table}\" \
             WHERE ssn <> ALL($1)"
        ))
        .bind::<diesel::sql_types::Array<Text>, _>(&known)
        .execute(c)?;
    }
    if !known.is_empty() {
        diesel::sql_query(upsert("WHERE ssn = ANY($1)"))
            .bind::<diesel::sql_types::Array<Text>, _>(&known)
            .execute(c)?;
    }
    Ok(written)
}

/// Drops the PostgreSQL twin of `table`, so that later statements on this connection see the
/// real table. Nothing to do on SQLite, which writes straight into the table.
pub fn drop_twin(conn: &mut DbConn, table: &str) -> QueryResult<()> {
    match conn {
        DbConn::Pg(c) => c.batch_execute(&format!("DROP TABLE IF EXISTS pg_temp.\"{table}\"")),
        DbConn::Sqlite(_) => Ok(()),
    }
}

/// Writes `rows` in fixed arrays of [`SQLITE_ROWS`] through `many`, the remainder one by one
/// through `one` (statements of a fixed shape, which diesel prepares once).
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

/// The body of every [`Subsystem::upsert`](super::Subsystem::upsert). A macro because diesel's
/// statements are typed by the table.
macro_rules! upsert_rows {
    ($conn:expr, $rows:expr, $table:path) => {
        match $conn {
            $crate::db::DbConn::Pg(c) => {
                let citizens = (Self::KEY[0] == "ssn").then(|| {
                    let mut ssns: Vec<&str> = $rows.iter().map(Self::ssn).collect();
                    ssns.sort_unstable();
                    ssns.dedup();
                    ssns
                });
                $crate::import::bulk::pg_upsert(
                    c,
                    Self::TABLE,
                    Self::KEY,
                    Self::COLUMNS,
                    citizens,
                    |c| diesel::copy_from($table).from_insertable($rows).execute(c),
                )
            }
            $crate::db::DbConn::Sqlite(c) => $crate::import::bulk::sqlite_insert(
                c,
                $rows,
                |c, many| diesel::replace_into($table).values(many).execute(c),
                |c, one| diesel::replace_into($table).values(one).execute(c),
            ),
        }
    };
}
pub(crate) use upsert_rows;
