//! `sskiosk verify <PDF file | QR text>`: offline verification with the published key(s), no
//! database. Revocation cannot be known offline; the output says so.

use super::CliError;
use crate::certificate::sign::{OfficeKey, PublishedKey};
use crate::certificate::trust::TrustedKeys;
use crate::certificate::verify::{verify_pdf, verify_qr_text, OfflineVerdict};
use crate::config::Config;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// A certificate PDF, or the text of its QR code (the verification URL).
    input: String,
    /// Published keys: the JSON of GET /api/verify/keys (default: the public half of the
    /// configured office key).
    #[arg(long)]
    keys: Option<PathBuf>,
}

/// Exit status of a certificate that does not verify.
const INVALID: u8 = 6;

#[derive(serde::Deserialize)]
struct KeyList {
    keys: Vec<PublishedKey>,
}

pub fn run(config: &Config, args: VerifyArgs) -> Result<u8, CliError> {
    let keys = match &args.keys {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::failed(format!("cannot read {}: {e}", path.display())))?;
            serde_json::from_str::<KeyList>(&text)
                .map(|l| l.keys)
                .or_else(|_| serde_json::from_str::<PublishedKey>(&text).map(|k| vec![k]))
                .map_err(|e| {
                    CliError::usage(format!(
                        "{} is not a published key list: {e}",
                        path.display()
                    ))
                })?
        }
        None => {
            let office = OfficeKey::load(&config.certificate.key_path).map_err(CliError::failed)?;
            TrustedKeys::new(&office, &config.certificate.trusted_keys)
                .map_err(CliError::failed)?
                .keys()
                .to_vec()
        }
    };
    let path = std::path::Path::new(&args.input);
    let verdict = if path.is_file() {
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::failed(format!("cannot read {}: {e}", path.display())))?;
        verify_pdf(&bytes, &keys)
    } else {
        verify_qr_text(&args.input, &keys)
    };
    let verdict = verdict.map_err(|e| CliError {
        status: INVALID,
        message: e.to_string(),
    })?;
    match verdict {
        OfflineVerdict::Valid { serial, key_id } => {
            println!("valid: certificate {serial} is signed by office key {key_id} (revocation can only be checked online)");
            Ok(0)
        }
        OfflineVerdict::UnknownKey(id) => Err(CliError {
            status: INVALID,
            message: format!("invalid: signed by key {id}, which is not among the published keys"),
        }),
        OfflineVerdict::InvalidSignature => Err(CliError {
            status: INVALID,
            message:
                "invalid: the signature does not match (the certificate or its QR code was altered)"
                    .into(),
        }),
        OfflineVerdict::ContentAltered => Err(CliError {
            status: INVALID,
            message: "invalid: the content of this PDF is not what was signed (it was altered)"
                .into(),
        }),
    }
}
