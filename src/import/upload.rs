//! An import sent from the staff page: the body is written into a private temporary directory,
//! imported like a file given to `sskiosk import`, and the reject report the importer writes
//! beside it is read back for the answer. Dropping the [`Upload`] removes the directory, the
//! file and its report, whatever happened.

use super::{import_file, ImportError, ImportKind, ImportOutcome, ImportRequest};
use crate::db::DbConn;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Rejected rows returned with an answer; the rest are counted only.
pub const REJECTS_SHOWN: usize = 50;

pub struct Upload {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Upload {
    /// A new empty file in a fresh temporary directory, named after the browser's file name
    /// (kept with the batch record) or after the kind when there is none usable.
    pub fn create(kind: ImportKind, file_name: Option<&str>) -> std::io::Result<Upload> {
        let dir = tempfile::Builder::new()
            .prefix("sskiosk-import-")
            .tempdir()?;
        let name = file_name
            .map(|n| n.rsplit(['/', '\\']).next().unwrap_or("").trim())
            .filter(|n| {
                !n.is_empty()
                    && n.len() <= 200
                    && !n.starts_with('.')
                    && !n.contains(char::is_control)
            })
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}.csv", kind.name()));
        let path = dir.path().join(name);
        crate::private_file::create(&path)?;
        Ok(Upload { dir, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// An importer message without the temporary directory: the person knows the file by its
    /// own name only.
    pub fn tidy(&self, message: &str) -> String {
        let dir = format!("{}{}", self.dir.path().display(), std::path::MAIN_SEPARATOR);
        message.replace(&dir, "")
    }
}

/// One rejected row as shown to staff (the value itself is left out: it may be an ID number).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RejectLine {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// What an uploaded file did to the store.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct UploadReport {
    /// `committed` or `already_imported` (the same file was imported before; nothing changed).
    pub outcome: &'static str,
    pub kind: &'static str,
    pub source: String,
    pub file: String,
    pub batch_id: i64,
    pub rows_read: u64,
    pub rows_taken: u64,
    pub rows_rejected: u64,
    /// The first rejected rows (at most 50), in file order.
    pub rejects: Vec<RejectLine>,
}

/// Why nothing was imported; the message names the file by its own name.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UploadRefused {
    /// The importer refused the file (header, no row taken, strict): nothing was written.
    pub refused_file: bool,
    pub message: String,
}

/// Imports the uploaded file in one transaction (see [`import_file`]).
pub fn import_upload(
    conn: &mut DbConn,
    upload: &Upload,
    kind: ImportKind,
    source: &str,
    strict: bool,
    today: NaiveDate,
) -> Result<UploadReport, UploadRefused> {
    let request = ImportRequest {
        kind,
        path: upload.path(),
        source,
        strict,
        progress: false,
        today,
    };
    let report = |outcome, batch_id, (read, taken, rejected), rejects| UploadReport {
        outcome,
        kind: kind.name(),
        source: source.to_string(),
        file: upload.file_name(),
        batch_id,
        rows_read: read,
        rows_taken: taken,
        rows_rejected: rejected,
        rejects,
    };
    match import_file(conn, &request) {
        Ok(ImportOutcome::AlreadyImported(b)) => Ok(report(
            "already_imported",
            b.id,
            (
                b.rows_total as u64,
                b.rows_taken as u64,
                b.rows_rejected as u64,
            ),
            Vec::new(),
        )),
        Ok(ImportOutcome::Committed {
            batch_id,
            rows_total,
            rows_taken,
            rows_rejected,
            rejects,
        }) => Ok(report(
            "committed",
            batch_id,
            (rows_total, rows_taken, rows_rejected),
            rejects.map(|p| first_rejects(&p)).unwrap_or_default(),
        )),
        Err(e) => {
            let refused_file = !matches!(e, ImportError::Db(_) | ImportError::Repeated(_));
            let mut message = e.to_string();
            if let ImportError::NothingTaken { report, .. } | ImportError::Strict { report, .. } =
                &e
            {
                // The report is deleted with the upload: say its first lines instead.
                message = message.replace(&format!(" See {report}"), "");
                let first: Vec<String> = first_rejects(Path::new(report))
                    .iter()
                    .take(5)
                    .map(|r| format!("line {} {}: {}", r.line, r.column, r.reason))
                    .collect();
                if !first.is_empty() {
                    message = format!("{message} First problems: {}", first.join("; "));
                }
            }
            Err(UploadRefused {
                refused_file,
                message: upload.tidy(&message),
            })
        }
    }
}

/// The first rows of a reject report (line, column, value, reason).
fn first_rejects(report: &Path) -> Vec<RejectLine> {
    #[derive(serde::Deserialize)]
    struct Row {
        line: u64,
        column: String,
        #[allow(dead_code)]
        value: String,
        reason: String,
    }
    let Ok(mut reader) = csv::Reader::from_path(report) else {
        return Vec::new();
    };
    reader
        .deserialize::<Row>()
        .filter_map(Result::ok)
        .take(REJECTS_SHOWN)
        .map(|r| RejectLine {
            line: r.line,
            column: r.column,
            reason: r.reason,
        })
        .collect()
}
