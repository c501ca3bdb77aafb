//! `sskiosk staff …`: create the first admin (no default passwords anywhere: the password is
//! read from standard input), set or reset a password, unlock, disable, change a role, list. Each change is
//! audited with the actor `cli:staff`.
//!
//! Here the person at the keyboard normally chooses their own password (the first admin, or
//! someone locked out of the browser with the operator beside them), so `add` and `passwd` do
//! not force a change; `passwd --temporary` does, for a password the operator will hand over.

use super::{open_pool, CliError};
use crate::config::Config;
use crate::staff::account::{self, NewStaff};
use crate::staff::{Role, StaffError};
use std::io::BufRead;

#[derive(clap::Subcommand)]
pub enum StaffCommand {
    /// Create an account; the password is read from the first line of standard input.
    Add {
        #[arg(long)]
        username: String,
        /// clerk, supervisor or admin.
        #[arg(long)]
        role: String,
        /// Name shown in the window UI (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// Window number (窗口号).
        #[arg(long)]
        window: Option<String>,
    },
    /// Set a new password (read from standard input); every session of the account ends.
    Passwd {
        #[arg(long)]
        username: String,
        /// The password is temporary (the operator will hand it over): the person must change it
        /// at the next sign-in. Also lifts a lockout; audited as staff.password_reset.
        #[arg(long)]
        temporary: bool,
    },
    /// Lift a lockout after repeated wrong passwords.
    Unlock {
        #[arg(long)]
        username: String,
    },
    /// Disable an account (its sessions end) or, with --enable, enable it again.
    Disable {
        #[arg(long)]
        username: String,
        #[arg(long)]
        enable: bool,
    },
    /// Change an account's role (clerk, supervisor or admin); the last enabled admin keeps its.
    Role { username: String, role: String },
    /// List the accounts.
    List,
}

const ACTOR: &str = "cli:staff";

fn read_password() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        CliError::failed(format!("cannot read the password from standard input: {e}"))
    })?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(CliError::usage(
            "no password on standard input; e.g. `read -rs P && printf '%s\\n' \"$P\" | sskiosk staff add …`",
        ));
    }
    Ok(password)
}

fn fail(e: StaffError) -> CliError {
    match e {
        StaffError::Db(_) | StaffError::Hash(_) => CliError::failed(e),
        e => CliError::usage(e),
    }
}

pub fn run(config: &Config, command: StaffCommand) -> Result<u8, CliError> {
    let min = config.staff.password_min_length;
    let now = chrono::Utc::now().naive_utc();
    match command {
        StaffCommand::Add {
            username,
            role,
            display_name,
            window,
        } => {
            let role = Role::parse(&role).map_err(fail)?;
            let password = read_password()?;
            let new = NewStaff {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                window_no: window,
                role,
                password,
                // The person typed it themselves.
                must_change_password: false,
            };
            // Validate before touching the store, so bad input leaves no file behind.
            new.validate(min).map_err(fail)?;
            let pool = open_pool(config, 1)?;
            let mut conn = pool.get().map_err(CliError::failed)?;
            let created = account::create(&mut conn, &new, min, ACTOR, now).map_err(fail)?;
            println!("created {} ({})", created.username, created.role().code());
        }
        StaffCommand::Passwd {
            username,
            temporary,
        } => {
            let password = read_password()?;
            let pool = open_pool(config, 1)?;
            let mut conn = pool.get().map_err(CliError::failed)?;
            if temporary {
                account::reset_password(&mut conn, &username, &password, min, ACTOR, now)
                    .map_err(fail)?;
                println!(
                    "temporary password of {username} set; its sessions have ended and it must be changed at the next sign-in"
                );
            } else {
                account::set_password(&mut conn, &username, &password, min, None, ACTOR, now)
                    .map_err(fail)?;
                println!("password of {username} changed; its sessions have ended");
            }
        }
        StaffCommand::Unlock { username } => {
            let pool = open_pool(config, 1)?;
            let mut conn = pool.get().map_err(CliError::failed)?;
            account::unlock(&mut conn, &username, ACTOR, now).map_err(fail)?;
            println!("{username} unlocked");
        }
        StaffCommand::Disable { username, enable } => {
            let pool = open_pool(config, 1)?;
            let mut conn = pool.get().map_err(CliError::failed)?;
            account::set_disabled(&mut conn, &username, !enable, ACTOR, now).map_err(fail)?;
            println!("{username} {}", if enable { "enabled" } else { "disabled" });
        }
        StaffCommand::Role { username, role } => {
            let role = Role::parse(&role).map_err(fail)?;
            let pool = open_pool(config, 1)?;
            let mut conn = pool.get().map_err(CliError::failed)?;
            let changed =
                account::set_role(&mut conn, &username, role, ACTOR, now).map_err(fail)?;
            println!("{username} is now {}", changed.role().code());
        }
        StaffCommand::List => {
            let pool = open_pool(config, 1)?;
            let mut conn = pool.get().map_err(CliError::failed)?;
            for s in account::list(&mut conn).map_err(fail)? {
                println!(
                    "{}\t{}\t{}\t{}{}{}",
                    s.username,
                    s.role().code(),
                    s.window_no.as_deref().unwrap_or("-"),
                    s.display_name,
                    if s.disabled { "\t(disabled)" } else { "" },
                    if s.must_change_password {
                        "\t(temporary password)"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    Ok(0)
}
