//! `sskiosk terminal`: run this PC as a kiosk or window terminal of a center, or enrol it.
//! Never opens the store: a terminal has no database (docs/terminals.md).

use super::CliError;
use crate::config::Config;

#[derive(clap::Args)]
pub struct TerminalArgs {
    #[command(subcommand)]
    command: Option<TerminalCommand>,
}

#[derive(clap::Subcommand)]
enum TerminalCommand {
    /// Run the terminal (the default): card readers, kiosk page on loopback, the center link.
    Run,
    /// Enrol this terminal at a center with a one-time code from 设备管理 (or `sskiosk device
    /// enrol-code`): makes this terminal's key pair and stores its device certificate.
    Enrol {
        /// The center's terminal port, https://HOST:PORT.
        #[arg(long)]
        center: String,
        /// The enrolment code, e.g. 7K3M-Q9XP-2HDA-W8RT-<32 hex digits>.
        #[arg(long)]
        code: String,
    },
}

pub fn run(config: &Config, args: TerminalArgs) -> Result<u8, CliError> {
    match args.command.unwrap_or(TerminalCommand::Run) {
        TerminalCommand::Run => {
            crate::terminal::run(config).map_err(|e| match e {
                crate::terminal::TerminalError::State(
                    s @ crate::terminal::state::StateError::NotEnrolled(_),
                ) => CliError::usage(s),
                other => CliError::failed(other),
            })?;
            Ok(0)
        }
        TerminalCommand::Enrol { center, code } => {
            let timeout =
                std::time::Duration::from_millis(config.terminal.request_timeout_ms.max(1000));
            let state =
                crate::terminal::enrol::enrol(&center, &code, &config.terminal.state_dir, timeout)
                    .map_err(|e| match e {
                        crate::terminal::enrol::EnrolFailure::Code(_) => CliError::usage(e),
                        other => CliError::failed(other),
                    })?;
            println!(
                "enrolled as {} ({}) at {}; state in {}",
                state.identity.name,
                state.identity.kind,
                state.identity.center,
                config.terminal.state_dir.display()
            );
            Ok(0)
        }
    }
}
