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

/// `cli:<login name>`: who acts from the command line.
pub(super) fn cli_actor() -> String {
    let user = std::env::var("SUDO_USER")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

/// Appends what a command-line user did to a citizen's data (or to the store) to the audit log,
/// as `cli:<login name>`: the shell is a way in like any other and must leave the same trace.
pub(super) fn record_cli_action(
    conn: &mut crate::db::DbConn,
    action: &str,
    subject_ssn: Option<&str>,
    result: &str,
    detail: Option<String>,
) -> Result<(), CliError> {
    let entry = crate::audit::NewEntry {
        actor: cli_actor(),
        action: action.into(),
        subject_ssn: subject_ssn.map(str::to_string),
        purpose: Some("command_line".into()),
        result: result.into(),
        detail,
    };
    crate::audit::append(conn, &entry, chrono::Utc::now().naive_utc())
        .map(|_| ())
        .map_err(CliError::failed)
}
