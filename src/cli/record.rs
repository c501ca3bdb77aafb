//! `sskiosk record <ssn>`: the unified record as JSON.

use super::{open_pool, CliError};
use crate::config::Config;
use crate::domain::CitizenId;
use std::io::Write;

#[derive(clap::Args)]
pub struct RecordArgs {
    /// The citizen's 18-character ID number (社会保障号码).
    ssn: String,
}

/// Exit status when the store has no such person.
const NOT_FOUND: u8 = 4;

pub fn run(config: &Config, args: RecordArgs) -> Result<u8, CliError> {
    let ssn = CitizenId::parse(&args.ssn).map_err(|e| {
        CliError::usage(format!(
            "invalid ID number {}: {e}",
            crate::domain::mask(&args.ssn)
        ))
    })?;
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let record =
        crate::record::unified_record_with(&mut conn, &ssn, super::today(), &config.unemployment)
            .map_err(CliError::failed)?;
    let result = if record.is_some() { "ok" } else { "not_found" };
    super::audit::record_cli_action(&mut conn, "record.view", Some(ssn.as_str()), result, None)?;
    match record {
        Some(record) => {
            let json = serde_json::to_string_pretty(&record).map_err(CliError::failed)?;
            // A reader that stops early (`| head`) is not an error worth a panic.
            match writeln!(std::io::stdout().lock(), "{json}") {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::failed(e)),
                _ => Ok(0),
            }
        }
        None => Err(CliError {
            status: NOT_FOUND,
            message: format!("not found: no person with ID number {}", ssn.masked()),
        }),
    }
}
