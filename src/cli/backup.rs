//! `sskiosk backup DIR` and `sskiosk restore FILE`: a consistent copy of the SQLite store taken
//! while nodes serve it, checked (SQLite's integrity check and the audit chain) before it is
//! called a backup; and putting one back as the store, checked the same way first. Restore with
//! the nodes stopped: it replaces the file under them.

use super::{open_pool, CliError};
use crate::audit::{verify_chain, ChainReport};
use crate::config::Config;
use crate::db::{backup, DbUrl};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct BackupArgs {
    /// Folder for the backup file (created 0700); the file is named after the time.
    pub dir: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// A file written by `sskiosk backup`.
    pub file: PathBuf,
    /// Replace a store that exists already.
    #[arg(long)]
    pub force: bool,
}

pub fn backup(config: &Config, args: BackupArgs) -> Result<u8, CliError> {
    let pool = open_pool(config, 1)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    crate::private_file::create_dir(&args.dir).map_err(CliError::failed)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let target = args.dir.join(format!("sskiosk-{stamp}.db"));
    backup::snapshot(&mut conn, &target).map_err(CliError::failed)?;
    let entries = check(&target)?;
    println!("{}\t{entries} audit entries, intact", target.display());
    Ok(0)
}

pub fn restore(config: &Config, args: RestoreArgs) -> Result<u8, CliError> {
    let DbUrl::Sqlite(store) = DbUrl::parse(&config.database.url).map_err(CliError::failed)? else {
        return Err(CliError::usage(
            "restore is for SQLite stores; restore PostgreSQL with pg_restore (docs/operations.md)",
        ));
    };
    let store = PathBuf::from(store);
    let entries = check(&args.file)?;
    if store.exists() && std::fs::metadata(&store).map_or(0, |m| m.len()) > 0 && !args.force {
        return Err(CliError::usage(format!(
            "{} exists; stop the nodes and add --force to replace it",
            store.display()
        )));
    }
    if let Some(dir) = store.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::private_file::create_dir(dir).map_err(CliError::failed)?;
    }
    // Copied beside the store, then renamed over it: the store is the old or the new, never half.
    let part = store.with_extension("restoring");
    let bytes = std::fs::read(&args.file).map_err(CliError::failed)?;
    crate::private_file::write(&part, &bytes).map_err(CliError::failed)?;
    for side in ["-wal", "-shm"] {
        let mut name = store.clone().into_os_string();
        name.push(side);
        let _ = std::fs::remove_file(name);
    }
    std::fs::rename(&part, &store).map_err(CliError::failed)?;
    println!(
        "{} restored from {} ({entries} audit entries, intact)",
        store.display(),
        args.file.display()
    );
    Ok(0)
}

/// The backup's integrity and audit chain; its number of audit entries.
fn check(file: &Path) -> Result<i64, CliError> {
    if !file.is_file() {
        return Err(CliError::usage(format!("{} is not a file", file.display())));
    }
    let pool = crate::db::open_pool_unmigrated(&format!("sqlite://{}", file.display()), 1)
        .map_err(CliError::failed)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let integrity = backup::integrity(&mut conn).map_err(CliError::failed)?;
    if integrity != "ok" {
        return Err(CliError::failed(format!("{}: {integrity}", file.display())));
    }
    match verify_chain(&mut conn).map_err(CliError::failed)? {
        ChainReport::Intact { entries } => Ok(entries),
        ChainReport::Broken { seq, reason } => Err(CliError::failed(format!(
            "{}: audit log broken at entry {seq}: {reason}",
            file.display()
        ))),
    }
}
