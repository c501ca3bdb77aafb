//! `sskiosk demo-data --citizens N [--seed S] [--csv DIR]`, and the demo store that `serve`
//! creates on first start.

use super::{open_pool, today, CliError};
use crate::config::Config;
use crate::db::DbConn;
use crate::demo::{write_csv, DemoOptions};
use crate::import::{import_file, ImportKind, ImportOutcome, ImportRequest};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// How many citizens to generate.
    #[arg(long)]
    citizens: u32,
    /// Seed of the generator; the same seed gives the same population.
    #[arg(long)]
    seed: Option<u64>,
    /// Write the seven subsystem CSV files into this folder instead of loading the store.
    #[arg(long)]
    csv: Option<PathBuf>,
}

/// The order in which the files must be imported: persons first, as every other row needs one.
const IMPORT_ORDER: [ImportKind; 7] = [
    ImportKind::Persons,
    ImportKind::Cards,
    ImportKind::Enrolments,
    ImportKind::Contributions,
    ImportKind::Benefits,
    ImportKind::Employment,
    ImportKind::Deaths,
];

pub fn run(config: &Config, args: DemoArgs) -> Result<u8, CliError> {
    if args.citizens == 0 || args.citizens > 10_000_000 {
        return Err(CliError::usage("--citizens must be between 1 and 10000000"));
    }
    let opts = DemoOptions {
        citizens: args.citizens,
        seed: args.seed.unwrap_or(config.demo.seed),
        today: today(),
    };
    if let Some(dir) = args.csv {
        let counts = write_csv(&dir, &opts)
            .map_err(|e| CliError::failed(format!("cannot write into {}: {e}", dir.display())))?;
        println!("wrote {} into {}", counts_line(&counts), dir.display());
        return Ok(0);
    }
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    load_demo(&mut conn, &opts)?;
    println!("loaded {} demo citizens into the store", opts.citizens);
    Ok(0)
}

fn counts_line(c: &crate::demo::DemoCounts) -> String {
    format!(
        "{} persons, {} cards, {} enrolments, {} contributions, {} benefits, {} employment registrations, {} deaths",
        c.persons, c.cards, c.enrolments, c.contributions, c.benefits, c.employment, c.deaths
    )
}

/// Generates the population as CSV in a scratch folder and imports it through the ordinary
/// importer, so demo data passes exactly the validation real exports do.
pub fn load_demo(conn: &mut DbConn, opts: &DemoOptions) -> Result<(), CliError> {
    let dir = tempfile::tempdir()
        .map_err(|e| CliError::failed(format!("cannot create a scratch folder: {e}")))?;
    write_csv(dir.path(), opts)
        .map_err(|e| CliError::failed(format!("cannot write demo files: {e}")))?;
    for kind in IMPORT_ORDER {
        import_demo_file(
            conn,
            kind,
            &dir.path().join(format!("{}.csv", kind.name())),
            opts,
        )?;
    }
    Ok(())
}

fn import_demo_file(
    conn: &mut DbConn,
    kind: ImportKind,
    path: &Path,
    opts: &DemoOptions,
) -> Result<(), CliError> {
    let request = ImportRequest {
        kind,
        path,
        source: "demo",
        strict: true,
        progress: true,
        today: opts.today,
    };
    match import_file(conn, &request).map_err(CliError::failed)? {
        ImportOutcome::Committed { rows_taken, .. } => {
            tracing::info!(kind = kind.name(), rows = rows_taken, "demo data imported");
        }
        ImportOutcome::AlreadyImported(_) => {}
    }
    Ok(())
}
