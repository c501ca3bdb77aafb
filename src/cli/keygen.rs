//! `sskiosk keygen`: writes a new office signing key to certificate.key_path and prints its
//! public half as published at `GET /api/verify/keys`.

use super::CliError;
use crate::certificate::sign::OfficeKey;
use crate::config::Config;

#[derive(clap::Args)]
pub struct KeygenArgs {
    /// Replace an existing key (certificates it signed stay verifiable online: the store keeps
    /// every public key that signed one).
    #[arg(long)]
    force: bool,
}

pub fn run(config: &Config, args: KeygenArgs) -> Result<u8, CliError> {
    let path = &config.certificate.key_path;
    let key = OfficeKey::generate(path, args.force).map_err(CliError::failed)?;
    eprintln!(
        "wrote the office key {} (key id {})",
        path.display(),
        key.key_id()
    );
    let json = serde_json::to_string_pretty(&key.published()).map_err(CliError::failed)?;
    println!("{json}");
    Ok(0)
}
