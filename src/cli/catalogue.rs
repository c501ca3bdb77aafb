//! `sskiosk catalogue load FILE | versions | show`: the hall's service catalogue
//! (docs/service-hall.md). A refused file changes nothing (exit 1, every problem named by line
//! and field); a loaded one becomes the next version, the earlier ones kept.

use super::{open_pool, CliError};
use crate::config::Config;
use crate::hall::catalogue::store;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum CatalogueCommand {
    /// Check FILE whole and store it as the next version (in force at once on every node).
    Load { file: PathBuf },
    /// The stored versions, newest first.
    Versions,
    /// The catalogue in force, as JSON (as `GET /api/catalogue` answers).
    Show,
}

pub fn run(config: &Config, command: CatalogueCommand) -> Result<u8, CliError> {
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let windows = &config.hall.windows;
    match command {
        CatalogueCommand::Load { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| CliError::failed(format!("cannot read {}: {e}", file.display())))?;
            let actor = super::audit::cli_actor();
            match store::load(&mut conn, &text, windows, &actor, crate::hall::now()) {
                Ok(loaded) => {
                    println!(
                        "catalogue version {} loaded: {} items",
                        loaded.version,
                        loaded.items.len()
                    );
                    Ok(0)
                }
                Err(crate::hall::HallError::Catalogue(refused)) => {
                    for problem in &refused.0 {
                        eprintln!("{}: {problem}", file.display());
                    }
                    Err(CliError::failed(format!(
                        "{} 未载入（{} 处问题），原版本继续有效",
                        file.display(),
                        refused.0.len()
                    )))
                }
                Err(e) => Err(CliError::failed(e)),
            }
        }
        CatalogueCommand::Versions => {
            let versions = store::versions(&mut conn).map_err(CliError::failed)?;
            if versions.is_empty() {
                println!("no catalogue loaded: the built-in config/catalogue.toml is in force");
            }
            for v in versions {
                println!(
                    "{}\t{}\t{} items\t{}\t{}",
                    v.version,
                    v.loaded_at.format("%Y-%m-%d %H:%M:%S"),
                    v.item_count,
                    v.loaded_by,
                    &v.source_sha256[..16]
                );
            }
            Ok(0)
        }
        CatalogueCommand::Show => {
            let catalogue = store::current(&mut conn, windows).map_err(CliError::failed)?;
            let json = serde_json::to_string_pretty(&catalogue).map_err(CliError::failed)?;
            println!("{json}");
            Ok(0)
        }
    }
}
