//! Import batches: one row per committed import, naming the source, the file and its SHA-256, so
//! that every fact can say where it came from and the same file is not imported twice.

use crate::db::{schema::import_batches, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Read;

#[derive(Insertable)]
#[diesel(table_name = import_batches)]
struct NewBatch<'a> {
    kind: &'a str,
    source: &'a str,
    file_name: &'a str,
    sha256: &'a str,
    rows_total: i64,
    rows_taken: i64,
    rows_rejected: i64,
    imported_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = import_batches)]
pub struct Batch {
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub file_name: String,
    pub sha256: String,
    pub rows_total: i64,
    pub rows_taken: i64,
    pub rows_rejected: i64,
    pub imported_at: NaiveDateTime,
}

/// A reader that hashes what passes through it, so the importer reads its file once: the digest
/// is ready when the parser reaches the end.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The SHA-256 of everything read so far, in hex.
    pub fn hex_digest(&self) -> String {
        hex::encode(self.hasher.clone().finalize())
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// The earlier batch that took every row of the same file, if any: importing it again would
/// change nothing. (A file that had rejects may be imported again once the cause is fixed.)
pub fn complete_batch_of(
    conn: &mut DbConn,
    kind: &str,
    sha256: &str,
) -> QueryResult<Option<Batch>> {
    use import_batches::dsl as b;
    import_batches::table
        .filter(
            b::kind
                .eq(kind)
                .and(b::sha256.eq(sha256))
                .and(b::rows_rejected.eq(0)),
        )
        .order(b::id.desc())
        .select(Batch::as_select())
        .first(conn)
        .optional()
}

/// Opens a batch row; its file hash and counts are filled in by [`finish`] in the same
/// transaction. Being the first statement of the import transaction, it also takes SQLite's
/// write lock up front.
pub fn open(
    conn: &mut DbConn,
    kind: &str,
    source: &str,
    file_name: &str,
    imported_at: NaiveDateTime,
) -> QueryResult<i64> {
    let row = NewBatch {
        kind,
        source,
        file_name,
        sha256: "",
        rows_total: 0,
        rows_taken: 0,
        rows_rejected: 0,
        imported_at,
    };
    crate::with_backend!(conn, |c| diesel::insert_into(import_batches::table)
        .values(&row)
        .returning(import_batches::id)
        .get_result(c))
}

pub struct Counts {
    pub total: u64,
    pub taken: u64,
    pub rejected: u64,
}

pub fn finish(conn: &mut DbConn, id: i64, sha256: &str, counts: &Counts) -> QueryResult<()> {
    use import_batches::dsl as b;
    let (total, taken, rejected) = (counts.total, counts.taken, counts.rejected);
    diesel::update(import_batches::table.find(id))
        .set((
            b::sha256.eq(sha256),
            b::rows_total.eq(total as i64),
            b::rows_taken.eq(taken as i64),
            b::rows_rejected.eq(rejected as i64),
        ))
        .execute(conn)?;
    Ok(())
}
