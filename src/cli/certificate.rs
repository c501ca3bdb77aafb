//! `sskiosk certificate issue | revoke | reissue`: the back office's certificate commands.

use super::{open_pool, CliError};
use crate::certificate::{CertificateError, CertificateService};
use crate::config::Config;
use crate::domain::{CitizenId, Insurance, Month};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum CertificateCommand {
    /// Issue a signed certificate (PDF) of a citizen's contributions.
    Issue(IssueArgs),
    /// Revoke a certificate: verification answers "revoked" with the reason from now on.
    Revoke(RevokeArgs),
    /// Issue a new certificate from today's data for the same selection, superseding the old.
    Reissue(ReissueArgs),
}

#[derive(clap::Args)]
pub struct IssueArgs {
    /// The citizen's 18-character ID number.
    ssn: String,
    /// Insurance to include (repeatable; default every insurance on record), e.g. enterprise_pension.
    #[arg(long = "insurance")]
    insurances: Vec<String>,
    /// First month, YYYY-MM (default: the whole history).
    #[arg(long)]
    from: Option<String>,
    /// Last month, YYYY-MM.
    #[arg(long)]
    to: Option<String>,
    /// Where to write the PDF.
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args)]
pub struct RevokeArgs {
    serial: String,
    /// Why (shown to whoever verifies the certificate).
    #[arg(long)]
    reason: String,
}

#[derive(clap::Args)]
pub struct ReissueArgs {
    serial: String,
    /// Where to write the new PDF.
    #[arg(long)]
    out: PathBuf,
}

/// Exit status when the person or serial is unknown.
const NOT_FOUND: u8 = 4;

pub fn run(config: &Config, command: CertificateCommand) -> Result<u8, CliError> {
    match command {
        CertificateCommand::Issue(args) => issue(config, args),
        CertificateCommand::Revoke(args) => revoke(config, args),
        CertificateCommand::Reissue(args) => reissue(config, args),
    }
}

pub(crate) fn service(config: &Config) -> Result<CertificateService, CliError> {
    CertificateService::from_config(&config.certificate).map_err(CliError::failed)
}

fn failed(e: CertificateError) -> CliError {
    match e {
        CertificateError::UnknownPerson(_) | CertificateError::UnknownSerial(_) => CliError {
            status: NOT_FOUND,
            message: e.to_string(),
        },
        _ => CliError::failed(e),
    }
}

fn issue(config: &Config, args: IssueArgs) -> Result<u8, CliError> {
    let ssn = CitizenId::parse(&args.ssn).map_err(|e| {
        CliError::usage(format!(
            "invalid ID number {}: {e}",
            crate::domain::mask(&args.ssn)
        ))
    })?;
    let insurances = args
        .insurances
        .iter()
        .map(|i| Insurance::parse(i).map_err(CliError::usage))
        .collect::<Result<Vec<_>, _>>()?;
    let month = |m: &Option<String>| {
        m.as_deref()
            .map(|m| Month::parse(m).map_err(CliError::usage))
            .transpose()
    };
    let (from, to) = (month(&args.from)?, month(&args.to)?);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(CliError::usage(format!("--from {f} is after --to {t}")));
        }
    }
    let service = service(config)?;
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let issued = service
        .issue(&mut conn, &ssn, &insurances, from, to)
        .map_err(failed)?;
    write(&args.out, &issued.pdf)?;
    println!("{}\t{}", issued.serial, issued.url);
    Ok(0)
}

fn revoke(config: &Config, args: RevokeArgs) -> Result<u8, CliError> {
    if args.reason.trim().is_empty() {
        return Err(CliError::usage("--reason must say why"));
    }
    let service = service(config)?;
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let changed = service
        .revoke(&mut conn, &args.serial, args.reason.trim())
        .map_err(failed)?;
    println!(
        "{} {}",
        args.serial,
        if changed {
            "revoked"
        } else {
            "was already revoked"
        }
    );
    Ok(0)
}

fn reissue(config: &Config, args: ReissueArgs) -> Result<u8, CliError> {
    let service = service(config)?;
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let issued = service.reissue(&mut conn, &args.serial).map_err(failed)?;
    write(&args.out, &issued.pdf)?;
    println!(
        "{}\t{}\tsupersedes {}",
        issued.serial, issued.url, args.serial
    );
    Ok(0)
}

fn write(path: &std::path::Path, pdf: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, pdf)
        .map_err(|e| CliError::failed(format!("cannot write {}: {e}", path.display())))
}
