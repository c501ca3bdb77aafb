//! Subsystem imports from the staff page (admins): the CSV is the raw request body, streamed
//! into a temporary file and imported exactly as `sskiosk import` would (see crate::import).

use super::guard::{self, AsAdmin, QueryOf};
use super::{blocking, now};
use crate::import::upload::{import_upload, Upload, UploadReport};
use crate::import::ImportKind;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use clap::ValueEnum;
use futures_util::StreamExt;
use serde::Deserialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// persons, cards, enrolments, contributions, benefits or employment.
    pub kind: String,
    /// Name of the subsystem the file came from (1 to 64 characters), kept with every fact.
    pub source: String,
    /// Import nothing if any row is bad.
    #[serde(default)]
    pub strict: bool,
    /// The file's own name, kept with the batch record.
    pub filename: Option<String>,
}

fn invalid(message: String) -> ApiError {
    ApiError::Unprocessable {
        code: "invalid_input",
        message,
    }
}

/// Imports one subsystem export (the CSV as the body, `Content-Type: text/csv`). Rows are
/// validated one by one; good rows are committed together, bad ones listed (the first 50) with
/// line, column and reason. The same file again changes nothing (`already_imported`). A file
/// with nothing to import (wrong header, no good row, `strict` with a bad row) is refused with
/// 422 and leaves the store as it was. Audited as `import.<kind>`.
#[utoipa::path(
    tag = "staff",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = UploadReport),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, description = "invalid_input, file_too_large, import_refused", body = ErrorBody)
    )
)]
#[post("/api/staff/imports")]
pub async fn import(
    state: web::Data<AppState>,
    who: AsAdmin,
    query: QueryOf<ImportQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // The body is read only here, after the guard has admitted the caller.
    let q = guard::query(query)?;
    let kind = ImportKind::from_str(&q.kind, true).map_err(|_| {
        let kinds: Vec<&str> = ImportKind::value_variants()
            .iter()
            .map(|k| k.name())
            .collect();
        invalid(format!(
            "kind must be one of {}; got {:?}",
            kinds.join(", "),
            q.kind
        ))
    })?;
    let source = q.source.trim().to_string();
    if source.is_empty() || source.chars().count() > 64 {
        return Err(invalid(
            "source must name the subsystem in 1 to 64 characters".into(),
        ));
    }
    let max_mb = state.config.staff.import_max_mb;
    let limit = u64::from(max_mb) * 1024 * 1024;
    let too_large = || {
        ApiError::Unprocessable {
        code: "file_too_large",
        message: format!(
            "the file is larger than {max_mb} MB (staff.import_max_mb); import it with `sskiosk import` on the server"
        ),
    }
    };
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let filename = q.filename.clone();
    let upload = web::block(move || Upload::create(kind, filename.as_deref()))
        .await?
        .map_err(|e| ApiError::Internal(format!("cannot create the upload file: {e}")))?;
    let received = receive(payload, upload.path().to_path_buf(), limit).await;
    if !matches!(received, Ok(Received::Whole)) {
        // Removing the directory is file I/O too: not on the async worker.
        web::block(move || drop(upload)).await?;
        return Err(match received {
            Ok(_) => too_large(),
            Err(e) => e,
        });
    }

    let staff = who.session.staff;
    let strict = q.strict;
    let today = crate::cli::today();
    let outcome = blocking(&state, move |conn| {
        let outcome = import_upload(conn, &upload, kind, &source, strict, today);
        let (result, detail) = match &outcome {
            Ok(r) => crate::import::audit_summary(
                r.outcome == "already_imported",
                r.batch_id,
                r.rows_taken,
                r.rows_rejected,
            ),
            Err(e) => ("failed", e.message.clone()),
        };
        crate::window::audit_staff(
            conn,
            &staff,
            &format!("import.{}", kind.name()),
            None,
            None,
            result,
            Some(format!("{} from {source}: {detail}", upload.file_name())),
            now(),
        )
        .map_err(super::window_error)?;
        // `upload` is dropped here, on the blocking thread: the directory goes with it.
        Ok(outcome)
    })
    .await?;
    match outcome {
        Ok(report) => Ok(HttpResponse::Ok().json(report)),
        Err(e) if e.refused_file => Err(ApiError::Unprocessable {
            code: "import_refused",
            message: e.message,
        }),
        Err(e) => Err(ApiError::Unavailable(e.message)),
    }
}

enum Received {
    Whole,
    TooLarge,
}

/// Streams the body into `path` without holding it in memory: a blocking thread writes what
/// the async side receives, so file I/O stays off the async worker.
async fn receive(
    mut payload: web::Payload,
    path: PathBuf,
    limit: u64,
) -> Result<Received, ApiError> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<web::Bytes>(8);
    let writer = web::block(move || -> std::io::Result<()> {
        let file = std::fs::OpenOptions::new().write(true).open(&path)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        while let Some(chunk) = rx.blocking_recv() {
            out.write_all(&chunk)?;
        }
        out.flush()
    });
    let mut size = 0u64;
    let mut result = Ok(Received::Whole);
    while let Some(chunk) = payload.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                result = Err(ApiError::BadRequest {
                    code: "invalid_body",
                    message: format!("the file did not arrive whole: {e}"),
                });
                break;
            }
        };
        size += chunk.len() as u64;
        if size > limit {
            result = Ok(Received::TooLarge);
            break;
        }
        if tx.send(chunk).await.is_err() {
            break; // the writer stopped; its error is reported below
        }
    }
    drop(tx);
    writer
        .await?
        .map_err(|e| ApiError::Internal(format!("cannot write the upload file: {e}")))?;
    result
}
