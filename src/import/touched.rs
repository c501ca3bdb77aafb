//! batch_citizens: which citizens an import wrote, kept with its batch so that an incremental
//! check run (`sskiosk checks run --since`) reads a few rows instead of every fact table.

use crate::db::{schema::batch_citizens, DbConn};
use diesel::prelude::*;
use std::collections::HashSet;

#[derive(Insertable)]
#[diesel(table_name = batch_citizens)]
struct Touched<'a> {
    batch_id: i64,
    ssn: &'a str,
}

/// Rows per statement: two columns each, far under both backends' parameter limits.
const ROWS: usize = 500;

pub fn record(conn: &mut DbConn, batch_id: i64, citizens: HashSet<String>) -> QueryResult<()> {
    let rows: Vec<Touched> = citizens
        .iter()
        .map(|ssn| Touched { batch_id, ssn })
        .collect();
    for chunk in rows.chunks(ROWS) {
        let insert = diesel::insert_into(batch_citizens::table).values(chunk);
        crate::with_backend!(&mut *conn, |c| insert.execute(c))?;
    }
    Ok(())
}
