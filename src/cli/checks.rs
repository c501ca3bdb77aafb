//! `sskiosk checks run [--since BATCH|last]`: the fund-safety cross-checks (docs/cross-checks.md).

use super::{open_pool, CliError};
use crate::checks::{run_checks, Scope};
use crate::config::Config;

#[derive(clap::Subcommand)]
pub enum ChecksCommand {
    /// Check the store (or only what imports wrote since a batch) and open cases for new hits.
    Run(RunArgs),
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// Only citizens written by import batches after this batch number, or `last`: after the
    /// latest completed run. Without it, the whole store.
    #[arg(long)]
    since: Option<String>,
}

fn scope(since: Option<&str>) -> Result<Scope, CliError> {
    match since {
        None => Ok(Scope::Everything),
        Some("last") => Ok(Scope::SinceLastRun),
        Some(n) => n
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Scope::SinceBatch)
            .ok_or_else(|| CliError::usage("--since takes a batch number or `last`")),
    }
}

pub fn run(config: &Config, command: ChecksCommand) -> Result<u8, CliError> {
    let ChecksCommand::Run(args) = command;
    let scope = scope(args.since.as_deref())?;
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let summary = run_checks(&mut conn, scope, &super::audit::cli_actor(), || {
        chrono::Utc::now().naive_utc()
    })
    .map_err(CliError::failed)?;
    let over = match summary.since_batch {
        None => "the whole store".to_string(),
        Some(b) => format!("batches after {b}"),
    };
    println!(
        "checks run {}: {} citizens ({over}, up to batch {}), {} hits, {} new cases",
        summary.run_id, summary.citizens, summary.up_to_batch, summary.hits, summary.opened
    );
    Ok(0)
}
