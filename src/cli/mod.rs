//! The `sskiosk` command line. Each subcommand lives in its own file and returns a
//! [`CliError`] whose exit status is part of the command's contract (see README).

mod audit;
mod backup;
mod card;
mod catalogue;
mod certificate;
mod checks;
mod demo;
mod device;
mod import;
mod keygen;
mod print;
mod record;
mod serve;
mod staff;
mod terminal;
mod verify;

use crate::config::Config;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "sskiosk",
    version,
    about = "One-window backend of a human-resources-and-social-security bureau"
)]
pub struct Cli {
    /// Configuration file layered over the built-in defaults (see config/default.toml).
    #[arg(long, global = true, env = "SSKIOSK_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (the schema must be current: `sskiosk migrate`; demo data when empty).
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Import a subsystem's CSV export into the unified store.
    Import(import::ImportArgs),
    /// Generate a deterministic demo population, into the store or as CSV files.
    DemoData(demo::DemoArgs),
    /// Print one citizen's unified record as JSON.
    Record(record::RecordArgs),
    /// Write a new office signing key for certificates (certificate.key_path).
    Keygen(keygen::KeygenArgs),
    /// Issue, revoke or reissue payment certificates.
    #[command(subcommand)]
    Certificate(certificate::CertificateCommand),
    /// Check a certificate offline (PDF file or QR text) with the published key; no database.
    Verify(verify::VerifyArgs),
    /// Print an issued certificate through the print queue.
    Print(print::PrintArgs),
    /// Work through queued print jobs (e.g. after a printer came back).
    PrintQueue(print::QueueArgs),
    /// Insert or remove the virtual social security card (vpcd), or read the card in a reader.
    VirtualCard(card::VirtualCardArgs),
    /// Check the audit log's hash chain.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Write a consistent, checked copy of the SQLite store into DIR (while nodes serve it).
    Backup(backup::BackupArgs),
    /// Put a backup back as the SQLite store (nodes stopped), after checking it.
    Restore(backup::RestoreArgs),
    /// Window staff accounts: add (first admin), passwd, unlock, disable, list.
    #[command(subcommand)]
    Staff(staff::StaffCommand),
    /// Run this PC as a kiosk or window terminal of a center (`terminal enrol` first).
    Terminal(terminal::TerminalArgs),
    /// On the center: enrolment codes for terminals, revocation, the list.
    #[command(subcommand)]
    Device(device::DeviceCommand),
    /// Fund-safety cross-checks (基金稽核): `checks run [--since BATCH|last]`.
    #[command(subcommand)]
    Checks(checks::ChecksCommand),
    /// The hall's service catalogue (事项目录): `catalogue load FILE`, `versions`, `show`.
    #[command(subcommand)]
    Catalogue(catalogue::CatalogueCommand),
}

/// A command's failure, carrying its exit status.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub status: u8,
    pub message: String,
}

/// A failed statement inside a command's transaction: rolled back, status 1.
impl From<diesel::result::Error> for CliError {
    fn from(e: diesel::result::Error) -> Self {
        CliError::failed(e)
    }
}

impl CliError {
    /// Nothing was done: bad input, unreadable file, unreachable database.
    pub fn failed(message: impl std::fmt::Display) -> CliError {
        CliError {
            status: 1,
            message: message.to_string(),
        }
    }

    /// The arguments themselves are wrong.
    pub fn usage(message: impl std::fmt::Display) -> CliError {
        CliError {
            status: 2,
            message: message.to_string(),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = crate::domain::bureau_time::set_zone(&config.bureau.time_zone) {
        eprintln!("error: [bureau] time_zone: {e}");
        return ExitCode::from(1);
    }
    crate::logging::init(&config.log.filter, config.log.format);
    let result = match cli.command {
        Command::Serve => serve::run(&config),
        Command::Migrate => migrate(&config),
        Command::Import(args) => import::run(&config, args),
        Command::DemoData(args) => demo::run(&config, args),
        Command::Record(args) => record::run(&config, args),
        Command::Keygen(args) => keygen::run(&config, args),
        Command::Certificate(command) => certificate::run(&config, command),
        Command::Verify(args) => verify::run(&config, args),
        Command::Print(args) => print::run(&config, args),
        Command::PrintQueue(args) => print::run_queue(&config, args),
        Command::VirtualCard(args) => card::run(&config, args),
        Command::Audit(command) => audit::run(&config, command),
        Command::Backup(args) => backup::backup(&config, args),
        Command::Restore(args) => backup::restore(&config, args),
        Command::Staff(command) => staff::run(&config, command),
        Command::Terminal(args) => terminal::run(&config, args),
        Command::Device(command) => device::run(&config, command),
        Command::Checks(command) => checks::run(&config, command),
        Command::Catalogue(command) => catalogue::run(&config, command),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.status)
        }
    }
}

fn migrate(config: &Config) -> Result<u8, CliError> {
    open_pool(config, 1)?;
    println!("database schema is up to date");
    Ok(0)
}

/// Opens the configured store (migrating it) with a pool of at most `size` connections.
pub(crate) fn open_pool(config: &Config, size: u32) -> Result<crate::db::DbPool, CliError> {
    crate::db::open_pool(&config.database.url, size.min(config.database.pool_size))
        .map_err(CliError::failed)
}

/// Today in the bureau's time zone (China has one, UTC+8): decides what "in the future" means.
pub(crate) fn today() -> chrono::NaiveDate {
    crate::record::bureau_today()
}
