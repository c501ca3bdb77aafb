//! The import driver shared by every kind: header check, streaming validation, chunked upserts
//! in one transaction, reject report, batch record.

use super::fields::{Fields, Reject, ABSENT};
use super::rejects::RejectFile;
use super::{batch, ImportKind, Subsystem};
use crate::db::{schema::persons, DbConn, DbError};
use chrono::NaiveDate;
use diesel::prelude::*;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Rows validated before they are written together: large enough that PostgreSQL's per-chunk
/// COPY and merge cost little per row, small enough to keep memory flat (~2 MB).
const CHUNK_ROWS: usize = 10_000;

pub struct ImportRequest<'a> {
    pub kind: ImportKind,
    pub path: &'a Path,
    pub source: &'a str,
    pub strict: bool,
    /// Show a progress bar (only when stderr is a terminal).
    pub progress: bool,
    /// The day against which "in the future" is judged.
    pub today: NaiveDate,
}

#[derive(Debug)]
pub enum ImportOutcome {
    /// The same file was imported before with every row taken; nothing was done.
    AlreadyImported(batch::Batch),
    Committed {
        batch_id: i64,
        rows_total: u64,
        rows_taken: u64,
        rows_rejected: u64,
        rejects: Option<PathBuf>,
    },
}

/// The audit entry's result and detail of an import that ran, from the command line or the
/// browser alike: `unchanged` (a file imported before) or `ok` with the batch's counts.
pub fn audit_summary(
    already_imported: bool,
    batch_id: i64,
    taken: u64,
    rejected: u64,
) -> (&'static str, String) {
    if already_imported {
        ("unchanged", format!("batch {batch_id}"))
    } else {
        (
            "ok",
            format!("batch {batch_id}: {taken} taken, {rejected} rejected"),
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} has the wrong header: {problem}. Expected the columns: {expected}")]
    Header {
        path: String,
        problem: String,
        expected: String,
    },
    #[error("cannot write the reject report {path}: {source}")]
    RejectReport {
        path: String,
        source: std::io::Error,
    },
    #[error("--strict: line {} was rejected ({}: {}); nothing was imported. See {}", .first.line, .first.column, .first.reason, .report)]
    Strict { first: Reject, report: String },
    #[error("none of the {total} rows could be taken; nothing was imported. See {report}")]
    NothingTaken { total: u64, report: String },
    #[error(transparent)]
    Db(#[from] DbError),
    /// Internal: rolls back the import of a file that was already imported in full; reported
    /// as [`ImportOutcome::AlreadyImported`].
    #[error("this file was imported before (batch {})", .0.id)]
    Repeated(Box<batch::Batch>),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Db(DbError::Query(e))
    }
}

impl ImportOutcome {
    /// Exit status of `sskiosk import`: 0 all taken (or already imported), 3 some rejected.
    pub fn exit_code(&self) -> i32 {
        match self {
            ImportOutcome::Committed { rows_rejected, .. } if *rows_rejected > 0 => 3,
            _ => 0,
        }
    }
}

pub fn import_file(conn: &mut DbConn, req: &ImportRequest) -> Result<ImportOutcome, ImportError> {
    use super::{
        benefits::*, cards::*, contributions::*, deaths::*, employment::*, enrolments::*,
        persons::*,
    };
    match req.kind {
        ImportKind::Persons => import_kind::<Persons>(conn, req),
        ImportKind::Cards => import_kind::<Cards>(conn, req),
        ImportKind::Enrolments => import_kind::<Enrolments>(conn, req),
        ImportKind::Contributions => import_kind::<Contributions>(conn, req),
        ImportKind::Benefits => import_kind::<Benefits>(conn, req),
        ImportKind::Employment => import_kind::<Employment>(conn, req),
        ImportKind::Deaths => import_kind::<Deaths>(conn, req),
    }
}

fn import_kind<S: Subsystem>(
    conn: &mut DbConn,
    req: &ImportRequest,
) -> Result<ImportOutcome, ImportError> {
    let path_text = req.path.display().to_string();
    let read_err = |source| ImportError::Read {
        path: path_text.clone(),
        source,
    };
    let file = std::fs::File::open(req.path).map_err(read_err)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    // The file is hashed as it is parsed (one read instead of two). So a file imported before
    // is recognised at the end, and its import rolled back: a repeated file costs one import's
    // time, every new file saves a pass over its bytes.
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(batch::HashingReader::new(file));
    let positions = header_positions::<S>(&mut reader, &path_text)?;

    let mut rejects = RejectFile::beside(req.path);
    let report = rejects.path().display().to_string();
    let file_name = req
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let progress = progress_bar(req.progress, size);

    if let DbConn::Sqlite(c) = conn {
        // A large page cache keeps a big transaction's pages in memory until commit instead of
        // spilling each modified page to the WAL again and again.
        diesel::connection::SimpleConnection::batch_execute(c, "PRAGMA cache_size = -65536")?;
    }
    let result = conn.transaction(|conn| {
        let now = chrono::Utc::now().naive_utc();
        let batch_id = batch::open(conn, S::NAME, req.source, &file_name, now)?;
        let mut loader = Loader {
            known: HashSet::new(),
            touched: HashSet::new(),
            taken: 0,
        };
        let mut total = 0u64;
        // Parsing and validating (one core) overlaps with writing (the other): the parser
        // thread sends validated chunks through a short queue, which also bounds memory. When
        // the writer stops early (a database error, --strict), dropping the receiver ends the
        // parser at its next send.
        std::thread::scope(|scope| -> Result<(), ImportError> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Chunk<S::Row>, ImportError>>(2);
            let parse = Parser {
                reader: &mut reader,
                positions: &positions,
                path: &path_text,
                today: req.today,
                batch_id,
                progress: &progress,
            };
            scope.spawn(move || parse.run::<S>(tx));
            for chunk in rx {
                let chunk = chunk?;
                total = chunk.rows_read;
                for reject in chunk.rejects {
                    note_reject(&mut rejects, reject, req.strict, &report)?;
                }
                for reject in loader.flush::<S>(conn, chunk.rows)? {
                    note_reject(&mut rejects, reject, req.strict, &report)?;
                }
            }
            Ok(())
        })?;
        progress.finish_and_clear();
        let sha256 = reader.get_ref().hex_digest();
        if let Some(done) = batch::complete_batch_of(conn, S::NAME, &sha256)? {
            return Err(ImportError::Repeated(Box::new(done)));
        }
        if loader.taken == 0 && total > 0 {
            return Err(ImportError::NothingTaken {
                total,
                report: report.clone(),
            });
        }
        super::bulk::drop_twin(conn, S::TABLE)?;
        super::touched::record(conn, batch_id, loader.touched)?;
        let counts = batch::Counts {
            total,
            taken: loader.taken,
            rejected: rejects.count,
        };
        batch::finish(conn, batch_id, &sha256, &counts)?;
        if let DbConn::Pg(c) = conn {
            // Fresh planner statistics, so that the first lookups after a bulk load of a new
            // population already use the primary key the way the record query expects.
            diesel::connection::SimpleConnection::batch_execute(
                c,
                &format!("ANALYZE {}", S::TABLE),
            )?;
        }
        Ok((batch_id, total, loader.taken, rejects.count))
    });
    // The report is kept whatever happened to the transaction: it says why rows were refused.
    let report_path = rejects
        .finish()
        .map_err(|source| ImportError::RejectReport {
            path: report.clone(),
            source,
        })?;
    let (batch_id, rows_total, rows_taken, rows_rejected) = match result {
        Err(ImportError::Repeated(done)) => return Ok(ImportOutcome::AlreadyImported(*done)),
        other => other?,
    };
    Ok(ImportOutcome::Committed {
        batch_id,
        rows_total,
        rows_taken,
        rows_rejected,
        rejects: report_path,
    })
}

/// What the parser thread hands the writer: up to [`CHUNK_ROWS`] good rows with their line
/// numbers, the rows refused on the way, and how many rows have been read so far.
struct Chunk<R> {
    rows: Vec<(u64, R)>,
    rejects: Vec<Reject>,
    rows_read: u64,
}

/// Reads and validates the file on its own thread.
struct Parser<'a> {
    reader: &'a mut csv::Reader<batch::HashingReader<std::fs::File>>,
    positions: &'a [usize],
    path: &'a str,
    today: NaiveDate,
    batch_id: i64,
    progress: &'a ProgressBar,
}

type ChunkSender<R> = std::sync::mpsc::SyncSender<Result<Chunk<R>, ImportError>>;

impl Parser<'_> {
    fn run<S: Subsystem>(self, tx: ChunkSender<S::Row>) {
        let mut chunk = Chunk {
            rows: Vec::with_capacity(CHUNK_ROWS),
            rejects: Vec::new(),
            rows_read: 0,
        };
        let mut raw = csv::ByteRecord::new();
        loop {
            match self.reader.read_byte_record(&mut raw) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let _ = tx.send(Err(ImportError::Read {
                        path: self.path.to_string(),
                        source: std::io::Error::other(e),
                    }));
                    return;
                }
            }
            chunk.rows_read += 1;
            let line = raw
                .position()
                .map(|p| p.line())
                .unwrap_or(chunk.rows_read + 1);
            match check_row::<S>(&raw, self.positions, line, self.today, self.batch_id) {
                Ok(row) => chunk.rows.push((line, row)),
                Err(reject) => chunk.rejects.push(reject),
            }
            if chunk.rows.len() >= CHUNK_ROWS || chunk.rejects.len() >= CHUNK_ROWS {
                self.progress.set_position(self.reader.position().byte());
                let next = Chunk {
                    rows: Vec::with_capacity(CHUNK_ROWS),
                    rejects: Vec::new(),
                    rows_read: chunk.rows_read,
                };
                if tx.send(Ok(std::mem::replace(&mut chunk, next))).is_err() {
                    return; // the writer has stopped
                }
            }
        }
        let _ = tx.send(Ok(chunk));
    }
}

fn note_reject(
    rejects: &mut RejectFile,
    reject: Reject,
    strict: bool,
    report: &str,
) -> Result<(), ImportError> {
    rejects
        .write(&reject)
        .map_err(|source| ImportError::RejectReport {
            path: report.to_string(),
            source,
        })?;
    if strict {
        return Err(ImportError::Strict {
            first: reject,
            report: report.to_string(),
        });
    }
    Ok(())
}

/// Maps each expected column to its position in the file ([`ABSENT`] for a left-out optional
/// column). Columns may come in any order; a missing required, unknown or repeated column is an
/// error for the whole file.
fn header_positions<S: Subsystem>(
    reader: &mut csv::Reader<batch::HashingReader<std::fs::File>>,
    path: &str,
) -> Result<Vec<usize>, ImportError> {
    let header_err = |problem: String| ImportError::Header {
        path: path.to_string(),
        problem,
        expected: S::COLUMNS.join(","),
    };
    let header = reader
        .byte_headers()
        .map_err(|e| header_err(format!("the first line cannot be read ({e})")))?
        .clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect();
    if names.iter().all(|n| n.is_empty()) {
        return Err(header_err("the file is empty".into()));
    }
    for (i, name) in names.iter().enumerate() {
        if !S::COLUMNS.contains(&name.as_str()) {
            let name = crate::domain::excerpt::excerpt(name);
            return Err(header_err(format!("unknown column {name:?}")));
        }
        if names[..i].contains(name) {
            let name = crate::domain::excerpt::excerpt(name);
            return Err(header_err(format!("column {name:?} appears twice")));
        }
    }
    S::COLUMNS
        .iter()
        .map(|col| match names.iter().position(|n| n == col) {
            Some(at) => Ok(at),
            None if S::OPTIONAL.contains(col) => Ok(ABSENT),
            None => Err(header_err(format!("column {col:?} is missing"))),
        })
        .collect()
}

fn check_row<S: Subsystem>(
    raw: &csv::ByteRecord,
    positions: &[usize],
    line: u64,
    today: NaiveDate,
    batch_id: i64,
) -> Result<S::Row, Reject> {
    let reject = |column: &str, reason: String| Reject {
        line,
        column: column.to_string(),
        value: String::new(),
        reason,
    };
    let header_len = positions.iter().filter(|p| **p != ABSENT).count();
    if raw.len() != header_len {
        return Err(reject(
            "",
            format!(
                "the row has {} fields but the header has {header_len}",
                raw.len(),
            ),
        ));
    }
    if std::str::from_utf8(raw.as_slice()).is_err() {
        let bad = raw
            .iter()
            .position(|f| std::str::from_utf8(f).is_err())
            .unwrap_or(0);
        let name = positions
            .iter()
            .position(|p| *p == bad)
            .map(|i| S::COLUMNS[i])
            .unwrap_or("");
        return Err(reject(
            name,
            "the text is not valid UTF-8: save the export as UTF-8 (not GBK)".into(),
        ));
    }
    let fields = Fields {
        record: raw,
        columns: S::COLUMNS,
        positions,
        line,
        today,
    };
    S::parse(&fields, batch_id)
}

/// Writes good rows a chunk at a time.
struct Loader {
    /// ID numbers already found in the store during this import.
    known: HashSet<String>,
    /// ID numbers of the rows written, for the incremental check run (batch_citizens).
    touched: HashSet<String>,
    taken: u64,
}

impl Loader {
    /// Checks that each row's person exists, keeps the last row of each key, and upserts the rest.
    /// Returns the rows refused for want of a person.
    fn flush<S: Subsystem>(
        &mut self,
        conn: &mut DbConn,
        mut rows: Vec<(u64, S::Row)>,
    ) -> Result<Vec<Reject>, ImportError> {
        let mut refused = Vec::new();
        if S::NEEDS_PERSON {
            self.learn_persons::<S>(conn, &rows)?;
            rows.retain(|(line, row)| {
                let found = self.known.contains(S::ssn(row));
                if !found {
                    refused.push(Reject {
                        line: *line,
                        column: "ssn".into(),
                        value: crate::domain::mask(S::ssn(row)),
                        reason: "no person with this ID number in the store: import the persons file first".into(),
                    });
                }
                found
            });
        }
        self.taken += rows.len() as u64;
        // PostgreSQL refuses to update one row twice in one statement, so only the last row of
        // each key goes; SQLite's REPLACE takes repeated keys in order, to the same effect.
        let unique: Vec<S::Row> = match conn {
            DbConn::Pg(_) => last_of_each_key::<S>(rows),
            DbConn::Sqlite(_) => rows.into_iter().map(|(_, row)| row).collect(),
        };
        if !unique.is_empty() {
            S::upsert(conn, &unique)?;
            for row in &unique {
                if !self.touched.contains(S::ssn(row)) {
                    self.touched.insert(S::ssn(row).to_string());
                }
            }
        }
        Ok(refused)
    }

    fn learn_persons<S: Subsystem>(
        &mut self,
        conn: &mut DbConn,
        rows: &[(u64, S::Row)],
    ) -> QueryResult<()> {
        let unknown: Vec<&str> = rows
            .iter()
            .map(|(_, r)| S::ssn(r))
            .filter(|s| !self.known.contains(*s))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let query = persons::table
            .select(persons::ssn)
            .filter(persons::ssn.eq_any(unknown));
        let found: Vec<String> = crate::with_backend!(conn, |c| query.load(c))?;
        self.known.extend(found);
        Ok(())
    }
}

/// The rows whose key does not appear again later in the chunk. Keys borrow from the rows, so
/// this allocates nothing per row.
fn last_of_each_key<S: Subsystem>(rows: Vec<(u64, S::Row)>) -> Vec<S::Row> {
    let mut last_of_key: HashMap<S::Key<'_>, usize> = HashMap::with_capacity(rows.len());
    for (i, (_, row)) in rows.iter().enumerate() {
        last_of_key.insert(S::key(row), i);
    }
    let mut keep = vec![false; rows.len()];
    for i in last_of_key.into_values() {
        keep[i] = true;
    }
    rows.into_iter()
        .zip(keep)
        .filter_map(|((_, row), keep)| keep.then_some(row))
        .collect()
}

fn progress_bar(wanted: bool, size: u64) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}
