//! `sskiosk virtual-card …`: put the project's virtual card into a vpcd reader and take it out
//! again (ssc-card.md §6), or read whatever card sits in a reader.
//!
//! `insert` returns once pcscd sees the card: it starts itself again as the hidden `serve`
//! command, detached, which holds the vpcd connection until `remove` ends it by PID.

use super::{open_pool, CliError};
use crate::card::interop::BasicCardRead;
use crate::card::virtual_card::{process, vpcd, Applet, CardProfile, VirtualCard, VirtualPsam};
use crate::card::{security, MonitorConfig};
use crate::config::Config;
use crate::domain::CitizenId;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct VirtualCardArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Insert a card built from a citizen in the store (their card in use) or from a JSON profile.
    Insert {
        /// The citizen's ID number (社会保障号码).
        #[arg(required_unless_present_any = ["profile", "psam"], conflicts_with_all = ["profile", "psam"])]
        ssn: Option<String>,
        /// A JSON card profile instead (see tests/fixtures/cards/).
        #[arg(long)]
        profile: Option<PathBuf>,
        /// Insert the virtual PSAM holding the test master key instead of a citizen's card.
        #[arg(long)]
        psam: bool,
        /// vpcd slot: 0 = "Virtual PCD 00 00", 1 = "Virtual PCD 00 01".
        #[arg(long, default_value_t = 0)]
        slot: u8,
        /// Card generation, overriding the card's spec version: 1, 2 or 3.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
        generation: Option<u8>,
    },
    /// Take the virtual card out of the slot.
    Remove {
        #[arg(long, default_value_t = 0)]
        slot: u8,
    },
    /// Read the card in a reader once; print it as JSON and as an iReadCardBas line.
    Read {
        /// Part of the reader's name; the first watched reader with a card when absent.
        #[arg(long)]
        reader: Option<String>,
    },
    /// (internal) Hold the vpcd connection for `insert`.
    #[command(hide = true)]
    Serve {
        #[arg(long)]
        slot: u8,
        /// Profile file written by `insert`; absent = the virtual PSAM.
        #[arg(long)]
        profile: Option<PathBuf>,
    },
}

/// Exit status when the store has no such person (as `record`).
const NOT_FOUND: u8 = 4;

pub fn run(config: &Config, args: VirtualCardArgs) -> Result<u8, CliError> {
    match args.action {
        Action::Insert {
            ssn,
            profile,
            psam,
            slot,
            generation,
        } => insert(config, ssn, profile, psam, slot, generation),
        Action::Remove { slot } => {
            let pid = process::remove(slot).map_err(CliError::failed)?;
            println!("virtual card removed from slot {slot} (process {pid} ended)");
            Ok(0)
        }
        Action::Read { reader } => read(config, reader),
        Action::Serve { slot, profile } => serve(config, slot, profile),
    }
}

fn master_key(config: &Config) -> Result<[u8; 16], CliError> {
    security::parse_key(&config.card.test_master_key)
        .map_err(|e| CliError::failed(format!("card.test_master_key: {e}")))
}

fn insert(
    config: &Config,
    ssn: Option<String>,
    profile: Option<PathBuf>,
    psam: bool,
    slot: u8,
    generation: Option<u8>,
) -> Result<u8, CliError> {
    let runtime = process::pid_file(slot).with_extension("json");
    let mut serve_args = vec![
        "virtual-card".to_string(),
        "serve".into(),
        "--slot".into(),
        slot.to_string(),
    ];
    let what = if psam {
        "virtual PSAM".to_string()
    } else {
        let mut card = match (ssn, profile) {
            (_, Some(path)) => CardProfile::load(&path).map_err(CliError::failed)?,
            (Some(ssn), None) => match profile_from_store(config, &ssn)? {
                Some(p) => p,
                None => {
                    return Err(CliError {
                        status: NOT_FOUND,
                        message: format!(
                            "not found: no person with ID number {}",
                            crate::domain::mask(&ssn)
                        ),
                    })
                }
            },
            (None, None) => {
                return Err(CliError::usage(
                    "give an ID number, --profile FILE or --psam",
                ))
            }
        };
        if let Some(g) = generation {
            card.set_generation(g).map_err(CliError::usage)?;
        }
        let json = serde_json::to_string(&card).map_err(CliError::failed)?;
        std::fs::write(&runtime, json)
            .map_err(|e| CliError::failed(format!("{}: {e}", runtime.display())))?;
        serve_args.extend(["--profile".into(), runtime.display().to_string()]);
        format!(
            "{} card {} of {}",
            card.spec_version,
            card.card_no,
            crate::domain::mask(&card.ssn)
        )
    };
    let log = process::pid_file(slot).with_extension("log");
    let pid = process::spawn_detached(slot, &serve_args, &log).map_err(CliError::failed)?;
    wait_until_present(&format!("Virtual PCD 00 {slot:02}"));
    println!("{what} inserted in slot {slot} (\"Virtual PCD 00 {slot:02}\", process {pid}); `sskiosk virtual-card remove --slot {slot}` takes it out");
    Ok(0)
}

fn profile_from_store(config: &Config, ssn: &str) -> Result<Option<CardProfile>, CliError> {
    let ssn = CitizenId::parse(ssn).map_err(|e| {
        CliError::usage(format!(
            "invalid ID number {}: {e}",
            crate::domain::mask(ssn)
        ))
    })?;
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let Some(record) = crate::record::unified_record(&mut conn, &ssn).map_err(CliError::failed)?
    else {
        return Ok(None);
    };
    CardProfile::from_record(&record)
        .map(Some)
        .map_err(CliError::failed)
}

fn serve(config: &Config, slot: u8, profile: Option<PathBuf>) -> Result<u8, CliError> {
    let master = master_key(config)?;
    let (mut applet, drop_after): (Box<dyn Applet>, _) = match profile {
        Some(path) => {
            let p = CardProfile::load(&path).map_err(CliError::failed)?;
            let card = VirtualCard::new(&p, master);
            let drop_after = card.drop_after_apdus();
            (Box::new(card), drop_after)
        }
        None => (Box::new(VirtualPsam::new(master)), None),
    };
    let address = format!(
        "{}:{}",
        config.card.vpcd_host,
        u32::from(config.card.vpcd_port) + u32::from(slot)
    );
    let stream = std::net::TcpStream::connect(&address).map_err(|e| {
        CliError::failed(format!(
            "vpcd is not listening on {address} ({e}): is pcscd running, with Debian package vsmartcard-vpcd installed?"
        ))
    })?;
    process::write_pid(slot).map_err(CliError::failed)?;
    let mut announced = false;
    let end = vpcd::serve(stream, applet.as_mut(), drop_after, || {
        if !announced {
            announced = true;
            println!("{}", process::READY);
        }
    })
    .map_err(|e| CliError::failed(format!("vpcd connection: {e}")))?;
    tracing::info!(slot, ?end, "virtual card left the reader");
    Ok(0)
}

fn read(config: &Config, reader: Option<String>) -> Result<u8, CliError> {
    let monitor = MonitorConfig::from_config(&config.card).map_err(CliError::failed)?;
    let ctx = pcsc::Context::establish(pcsc::Scope::User)
        .map_err(|e| CliError::failed(format!("PC/SC service: {e} (is pcscd running?)")))?;
    let names = ctx.list_readers_owned().map_err(CliError::failed)?;
    let name = names
        .iter()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| match &reader {
            Some(p) => n.to_lowercase().contains(&p.to_lowercase()),
            None => monitor.watches(n),
        })
        .find(|n| card_present(&ctx, n))
        .ok_or_else(|| CliError::failed("no card in any matching reader"))?;
    let (result, stats) = crate::card::read_reader(&ctx, &monitor, &name, None);
    let card = result.map_err(|e| CliError::failed(format!("{name}: {e}")))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&card).map_err(CliError::failed)?
    );
    println!("{}", BasicCardRead::from_card(&card, "", "").render());
    eprintln!("{name}: {} APDUs", stats.apdus);
    Ok(0)
}

/// vpcd asks for the ATR while pcscd powers the card up; clients see it a moment later. Best
/// effort: `insert` must not fail because the PC/SC client side is unavailable.
fn wait_until_present(reader: &str) {
    let Ok(ctx) = pcsc::Context::establish(pcsc::Scope::User) else {
        return;
    };
    let Ok(name) = std::ffi::CString::new(reader) else {
        return;
    };
    let mut states = [pcsc::ReaderState::new(name, pcsc::State::UNAWARE)];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while std::time::Instant::now() < deadline {
        match ctx.get_status_change(std::time::Duration::from_millis(500), &mut states) {
            Ok(()) => {}
            Err(pcsc::Error::Timeout) => continue,
            Err(_) => return,
        }
        if states[0].event_state().contains(pcsc::State::PRESENT) {
            return;
        }
        states[0].sync_current_state();
    }
}

fn card_present(ctx: &pcsc::Context, reader: &str) -> bool {
    let Ok(name) = std::ffi::CString::new(reader) else {
        return false;
    };
    let mut states = [pcsc::ReaderState::new(name, pcsc::State::UNAWARE)];
    ctx.get_status_change(std::time::Duration::ZERO, &mut states)
        .is_ok()
        && states[0].event_state().contains(pcsc::State::PRESENT)
}
