//! `sskiosk certificate issue | revoke | reissue`: the back office's certificate commands.

use super::{open_pool, CliError};
use crate::certificate::kind::CertificateKind;
use crate::certificate::{CertificateError, CertificateService, Subject};
use crate::config::Config;
use crate::domain::{BenefitKind, CitizenId, Insurance, Month};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum CertificateCommand {
    /// Issue a signed certificate (PDF) of a citizen's contributions, or with `--kind benefit`
    /// of the benefits (pension...) paid to them.
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
    /// contribution (参保缴费证明, the default) or benefit (待遇领取证明).
    #[arg(long, default_value = "contribution")]
    kind: String,
    /// Insurance to include (repeatable; default every insurance on record), e.g. enterprise_pension.
    #[arg(long = "insurance")]
    insurances: Vec<String>,
    /// Benefit kind of a benefit certificate (repeatable; default every benefit on record), e.g.
    /// basic_pension.
    #[arg(long = "benefit")]
    benefits: Vec<String>,
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
        CertificateError::UnknownPerson(_)
        | CertificateError::UnknownSerial(_)
        | CertificateError::NoBenefits(_) => CliError {
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
    let subject = subject(&args)?;
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
    // The certificate and its audit entry: both or neither.
    let issued = crate::audit::atomically(&mut conn, |conn| {
        let issued = service
            .issue(conn, &ssn, &subject, from, to)
            .map_err(failed)?;
        super::audit::record_cli_action(
            conn,
            "certificate.issue",
            Some(ssn.as_str()),
            "ok",
            Some(issued.serial.clone()),
        )?;
        Ok::<_, CliError>(issued)
    })?;
    write(&args.out, &issued.pdf)?;
    println!("{}\t{}", issued.serial, issued.url);
    Ok(0)
}

/// What to certify; an option of the other kind is refused rather than silently ignored.
fn subject(args: &IssueArgs) -> Result<Subject, CliError> {
    match CertificateKind::parse(&args.kind).map_err(CliError::usage)? {
        CertificateKind::Contribution => {
            if !args.benefits.is_empty() {
                return Err(CliError::usage("--benefit needs --kind benefit"));
            }
            let insurances = (args.insurances.iter())
                .map(|i| Insurance::parse(i).map_err(CliError::usage))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Subject::Contributions(insurances))
        }
        CertificateKind::Benefit => {
            if !args.insurances.is_empty() {
                return Err(CliError::usage(
                    "--insurance is for contribution certificates; use --benefit KIND",
                ));
            }
            let kinds = (args.benefits.iter())
                .map(|b| BenefitKind::parse(b).map_err(CliError::usage))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Subject::Benefits(kinds))
        }
    }
}

fn revoke(config: &Config, args: RevokeArgs) -> Result<u8, CliError> {
    if args.reason.trim().is_empty() {
        return Err(CliError::usage("--reason must say why"));
    }
    let service = service(config)?;
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let changed = crate::audit::atomically(&mut conn, |conn| {
        let changed = service
            .revoke(conn, &args.serial, args.reason.trim())
            .map_err(failed)?;
        let ssn = crate::certificate::store::find(conn, &args.serial)?.map(|c| c.ssn);
        super::audit::record_cli_action(
            conn,
            "certificate.revoke",
            ssn.as_deref(),
            if changed { "ok" } else { "unchanged" },
            Some(format!("{}: {}", args.serial, args.reason.trim())),
        )?;
        Ok::<_, CliError>(changed)
    })?;
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
    let issued = crate::audit::atomically(&mut conn, |conn| {
        let issued = service.reissue(conn, &args.serial).map_err(failed)?;
        super::audit::record_cli_action(
            conn,
            "certificate.reissue",
            None,
            "ok",
            Some(format!("{} supersedes {}", issued.serial, args.serial)),
        )?;
        Ok::<_, CliError>(issued)
    })?;
    write(&args.out, &issued.pdf)?;
    println!(
        "{}\t{}\tsupersedes {}",
        issued.serial, issued.url, args.serial
    );
    Ok(0)
}

fn write(path: &std::path::Path, pdf: &[u8]) -> Result<(), CliError> {
    crate::private_file::write(path, pdf)
        .map_err(|e| CliError::failed(format!("cannot write {}: {e}", path.display())))
}
