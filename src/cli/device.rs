//! `sskiosk device …` on the center: make a one-time enrolment code for a terminal, revoke a
//! terminal, list them. Audited with the actor `cli:device`, like the same actions on 设备管理.

use super::{open_pool, CliError};
use crate::center::enrolment::{self, CodeRequest};
use crate::center::terminals;
use crate::config::Config;

#[derive(clap::Subcommand)]
pub enum DeviceCommand {
    /// A one-time enrolment code for a terminal (works once, for center.enrol_code_minutes).
    EnrolCode {
        #[arg(long)]
        name: String,
        /// kiosk or window.
        #[arg(long)]
        kind: String,
        /// The window's name or number, e.g. "3号窗口".
        #[arg(long, default_value = "")]
        window: String,
        /// Where its prints go (ipp:// or ipps://); default: print.printer_uri.
        #[arg(long)]
        printer: Option<String>,
    },
    /// Revoke a terminal: from its next request on it gets nothing.
    Revoke { name: String },
    /// The enrolled terminals.
    List,
}

const ACTOR: &str = "cli:device";

pub fn run(config: &Config, command: DeviceCommand) -> Result<u8, CliError> {
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let now = chrono::Utc::now().naive_utc();
    match command {
        DeviceCommand::EnrolCode {
            name,
            kind,
            window,
            printer,
        } => {
            let ca = crate::center::ca::DeviceCa::open_or_create(&config.center.state_dir)
                .map_err(CliError::failed)?;
            let code = enrolment::create_code(
                &mut conn,
                &ca,
                &CodeRequest {
                    name,
                    kind,
                    window_label: window,
                    printer,
                },
                ACTOR,
                chrono::Duration::minutes(i64::from(config.center.enrol_code_minutes.max(1))),
                now,
            )
            .map_err(|e| match e {
                enrolment::EnrolError::BadTerminal(_) => CliError::usage(e),
                other => CliError::failed(other),
            })?;
            println!("{}", code.code);
            eprintln!(
                "enrolment code for {} ({}), valid once until {} UTC",
                code.name, code.kind, code.expires_at
            );
            Ok(0)
        }
        DeviceCommand::Revoke { name } => {
            terminals::revoke(&mut conn, &name, ACTOR, now).map_err(|e| match e {
                terminals::TerminalError::Unknown(_) => CliError {
                    status: 4,
                    message: e.to_string(),
                },
                other => CliError::failed(other),
            })?;
            println!("terminal {name} revoked");
            Ok(0)
        }
        DeviceCommand::List => {
            for t in terminals::list(&mut conn)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.name,
                    t.kind,
                    t.window_label,
                    t.certificate_until
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    t.revoked_at
                        .map(|d| format!("revoked {d}"))
                        .unwrap_or_else(|| "active".into())
                );
            }
            Ok(0)
        }
    }
}
