//! `sskiosk audit verify`: walk the audit log's hash chain and report the first broken link.

use super::{open_pool, CliError};
use crate::audit::{verify_chain, ChainReport};
use crate::config::Config;

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// Check every entry against the one before it; exit 6 at the first broken link.
    Verify,
}

/// Exit status when the chain is broken (the same as an invalid certificate).
const BROKEN: u8 = 6;

pub fn run(config: &Config, command: AuditCommand) -> Result<u8, CliError> {
    match command {
        AuditCommand::Verify => {
            let pool = open_pool(config, 1)?;
            let mut conn = pool.get().map_err(CliError::failed)?;
            match verify_chain(&mut conn).map_err(CliError::failed)? {
                ChainReport::Intact { entries } => {
                    println!(
                        "audit log intact: {entries} entries, every one chained to the one before"
                    );
                    Ok(0)
                }
                ChainReport::Broken { seq, reason } => Err(CliError {
                    status: BROKEN,
                    message: format!("audit log broken at entry {seq}: {reason}"),
                }),
            }
        }
    }
}
