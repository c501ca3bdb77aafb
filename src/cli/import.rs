//! `sskiosk import <kind> FILE --source NAME [--strict]`.

use super::{open_pool, today, CliError};
use crate::config::Config;
use crate::import::{
    audit_summary, import_file, ImportError, ImportKind, ImportOutcome, ImportRequest,
};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// Which subsystem export the file is.
    kind: ImportKind,
    /// The CSV file (UTF-8, header row first; see docs/import-formats.md).
    file: PathBuf,
    /// Name of the subsystem the file came from, kept with every imported fact.
    #[arg(long)]
    source: String,
    /// Import nothing if any row is bad.
    #[arg(long)]
    strict: bool,
}

pub fn run(config: &Config, args: ImportArgs) -> Result<u8, CliError> {
    if args.source.trim().is_empty() || args.source.len() > 64 {
        return Err(CliError::usage(
            "--source must name the subsystem in 1 to 64 characters",
        ));
    }
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let request = ImportRequest {
        kind: args.kind,
        path: &args.file,
        source: args.source.trim(),
        strict: args.strict,
        progress: true,
        today: today(),
    };
    let outcome = import_file(&mut conn, &request);
    let (result, detail) = match &outcome {
        Ok(ImportOutcome::AlreadyImported(batch)) => audit_summary(true, batch.id, 0, 0),
        Ok(ImportOutcome::Committed {
            batch_id,
            rows_taken,
            rows_rejected,
            ..
        }) => audit_summary(false, *batch_id, *rows_taken, *rows_rejected),
        Err(e) => ("failed", e.to_string()),
    };
    let file = args.file.file_name().unwrap_or_default().to_string_lossy();
    super::audit::record_cli_action(
        &mut conn,
        &format!("import.{}", args.kind.name()),
        None,
        result,
        Some(format!("{file} from {}: {detail}", request.source)),
    )?;
    let outcome = outcome.map_err(|e: ImportError| CliError::failed(e))?;
    match &outcome {
        ImportOutcome::AlreadyImported(batch) => println!(
            "{}: this file was already imported as batch {} on {} ({} rows); nothing changed",
            args.kind.name(),
            batch.id,
            batch.imported_at.format("%Y-%m-%d %H:%M:%S UTC"),
            batch.rows_taken
        ),
        ImportOutcome::Committed {
            batch_id,
            rows_total,
            rows_taken,
            rows_rejected,
            rejects,
        } => {
            println!(
                "{}: batch {batch_id}: {rows_total} rows read, {rows_taken} taken, {rows_rejected} rejected",
                args.kind.name()
            );
            if let Some(path) = rejects {
                println!(
                    "rejected rows, with line, column and reason: {}",
                    path.display()
                );
            }
        }
    }
    Ok(outcome.exit_code() as u8)
}
