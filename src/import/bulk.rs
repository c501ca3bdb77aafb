//! The write paths of the importer, one per backend, chosen for speed on large exports.
//!
//! - PostgreSQL: binary `COPY` of a chunk into a temporary twin of the target table, then one
//!   `INSERT … SELECT … ON CONFLICT DO UPDATE` into the real table. A multi-row INSERT of the
//!   same rows is ~10× slower (every row is a bound parameter the server parses and plans).
//!   The twin has the target's name in the session's `pg_temp` schema, which PostgreSQL searches
//!   first, so diesel's typed `copy_from(table)` lands in the twin; the merge names both schemas.
//! - SQLite: one prepared single-row upsert, re-executed per row. A multi-row VALUES statement
//!   must be parsed anew for every chunk, which costs more than the inserts themselves.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

#[derive(QueryableByName)]
struct Schema {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Upserts the rows that `copy` sends with `COPY <table> FROM STDIN`. `columns` are the
/// table's columns (the export's, plus `batch_id`); `key` its natural key.
pub fn pg_upsert(
    c: &mut PgConnection,
    table: &str,
    key: &[&str],
    columns: &[&str],
    copy: impl FnOnce(&mut PgConnection) -> QueryResult<usize>,
) -> QueryResult<usize> {
    let schema = diesel::sql_query("SELECT current_schema() AS name")
        .get_result::<Schema>(c)?
        .name;
    let target = format!("\"{schema}\".\"{table}\"");
    c.batch_execute(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS \"{table}\" (LIKE {target}) ON COMMIT DROP; \
         TRUNCATE pg_temp.\"{table}\";"
    ))?;
    let copied = copy(c)?;
    let updates: Vec<String> = columns
        .iter()
        .chain(std::iter::once(&"batch_id"))
        .filter(|col| !key.contains(col))
        .map(|col| format!("{col} = EXCLUDED.{col}"))
        .collect();
    c.batch_execute(&format!(
        "INSERT INTO {target} SELECT * FROM pg_temp.\"{table}\" ON CONFLICT ({}) DO UPDATE SET {}",
        key.join(", "),
        updates.join(", ")
    ))?;
    Ok(copied)
}

/// Rows per SQLite INSERT. A fixed-size array gives diesel a statement type it can prepare once
/// and reuse; 200 rows × 10 columns stays under SQLite's bound-parameter limit.
pub const SQLITE_ROWS: usize = 200;

/// Writes `rows` in fixed arrays of [`SQLITE_ROWS`] through `many`, and the remainder one by one
/// through `one`.
pub fn sqlite_upsert<R>(
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
