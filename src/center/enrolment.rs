//! One-time enrolment codes and what they buy: a device certificate.
//!
//! An admin makes a code for a named terminal (`kind`, window label, printer); it expires
//! (default 15 minutes) and works once. The center stores only the SHA-256 of its secret. The
//! code the admin hands over also carries the pin of the center's CA (`SECRET-PIN`), so the
//! terminal can refuse a center that is not this one before it sends the secret.
//! Blocking (diesel): call from a blocking thread.

use super::ca::{DeviceCa, Issued};
use super::terminals::{self, TerminalKind};
use crate::audit::{self, NewEntry};
use crate::db::schema::{terminal_enrolments, terminals as terminal_rows};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// Crockford's base32 (no I, L, O, U): easy to read aloud and type.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SECRET_CHARS: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    #[error("this enrolment code is not known here (mistyped, or made for another center)")]
    UnknownCode,
    #[error("this enrolment code was already used; make a new one on 设备管理")]
    UsedCode,
    #[error("this enrolment code expired at {0} UTC; make a new one on 设备管理")]
    ExpiredCode(NaiveDateTime),
    #[error("the enrolment code is malformed: {0}")]
    Malformed(String),
    #[error("{0}")]
    BadTerminal(String),
    #[error(transparent)]
    Ca(#[from] super::ca::CaError),
    #[error("database: {0}")]
    Store(#[from] diesel::result::Error),
    #[error("audit log: {0}")]
    Audit(#[from] audit::AuditError),
}

/// A code just made, to show once to the admin.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NewCode {
    /// What the terminal's installer types: `sskiosk terminal enrol --code CODE`.
    pub code: String,
    pub name: String,
    pub kind: String,
    #[schema(value_type = String)]
    pub expires_at: NaiveDateTime,
}

/// What an admin asks a code for.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct CodeRequest {
    pub name: String,
    /// `kiosk` or `window`.
    pub kind: String,
    /// The window's name or number ("3号窗口"); kiosks leave it empty.
    #[serde(default)]
    pub window_label: String,
    /// Where this terminal's prints go (ipp:// or ipps://); empty = the center's printer.
    #[serde(default)]
    pub printer: Option<String>,
}

/// The two parts of a code as typed by the installer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub secret: String,
    pub pin: String,
}

impl Code {
    /// Parses `XXXX-XXXX-XXXX-XXXX-<32 hex>` (dashes and case are forgiven in the secret).
    pub fn parse(text: &str) -> Result<Code, EnrolError> {
        let text = text.trim();
        let (secret, pin) = text
            .rsplit_once('-')
            .ok_or_else(|| EnrolError::Malformed("it has no CA pin after the last '-'".into()))?;
        let pin = pin.to_ascii_lowercase();
        if pin.len() != 32 || !pin.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(EnrolError::Malformed(
                "the part after the last '-' must be 32 hex digits (the center's CA pin)".into(),
            ));
        }
        let secret: String = secret
            .chars()
            .filter(|c| *c != '-' && !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if secret.len() != SECRET_CHARS || !secret.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(EnrolError::Malformed(format!(
                "the code must start with {SECRET_CHARS} letters and digits in groups of four"
            )));
        }
        Ok(Code { secret, pin })
    }
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn new_secret() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..SECRET_CHARS)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-")
}

/// Makes a code for `request`, valid for `ttl`, audited as `terminal.enrol_code` by `actor`.
pub fn create_code(
    conn: &mut DbConn,
    ca: &DeviceCa,
    request: &CodeRequest,
    actor: &str,
    ttl: chrono::Duration,
    now: NaiveDateTime,
) -> Result<NewCode, EnrolError> {
    let name = crate::devices::node_name(request.name.trim())
        .map_err(|e| EnrolError::BadTerminal(e.to_string()))?;
    if request.name.trim().is_empty() {
        return Err(EnrolError::BadTerminal("a terminal needs a name".into()));
    }
    let kind = TerminalKind::parse(&request.kind).map_err(EnrolError::BadTerminal)?;
    let window_label = request.window_label.trim().to_string();
    if window_label.chars().count() > 32 {
        return Err(EnrolError::BadTerminal(
            "the window label is longer than 32 characters".into(),
        ));
    }
    let printer = request
        .printer
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string);
    if let Some(uri) = &printer {
        crate::devices::validate(&crate::devices::Settings {
            in_service: true,
            note: String::new(),
            printer_override: Some(uri.clone()),
        })
        .map_err(|e| EnrolError::BadTerminal(e.to_string()))?;
    }
    let secret = new_secret();
    let expires_at = now + ttl;
    audit::atomically(conn, |conn| {
        diesel::insert_into(terminal_enrolments::table)
            .values((
                terminal_enrolments::code_hash.eq(hash(&secret)),
                terminal_enrolments::name.eq(&name),
                terminal_enrolments::kind.eq(kind.code()),
                terminal_enrolments::window_label.eq(&window_label),
                terminal_enrolments::printer.eq(&printer),
                terminal_enrolments::created_by.eq(actor),
                terminal_enrolments::created_at.eq(now),
                terminal_enrolments::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        audit::append(
            conn,
            &NewEntry {
                actor: actor.to_string(),
                action: "terminal.enrol_code".into(),
                subject_ssn: None,
                purpose: None,
                result: "ok".into(),
                detail: Some(format!("{name} ({}) until {expires_at}", kind.code())),
            },
            now,
        )?;
        Ok::<_, EnrolError>(())
    })?;
    Ok(NewCode {
        code: format!("{}-{}", grouped(&secret), ca.pin()),
        name,
        kind: kind.code().into(),
        expires_at,
    })
}

/// A terminal just enrolled.
#[derive(Debug, Clone)]
pub struct Enrolled {
    pub terminal: terminals::Terminal,
    pub certificate: Issued,
}

/// Spends the code `secret` on a device certificate for `request_pem`: the code is consumed,
/// the terminal (re)registered and the certificate recorded in one transaction, with its audit
/// entry — or nothing at all (a bad request leaves the code usable).
pub fn enrol(
    conn: &mut DbConn,
    ca: &DeviceCa,
    secret: &str,
    request_pem: &str,
    validity: chrono::Duration,
    peer: &str,
    now: NaiveDateTime,
) -> Result<Enrolled, EnrolError> {
    let code_hash = hash(secret);
    audit::atomically(conn, |conn| {
        let spent: Option<(String, String, String, Option<String>)> =
            crate::with_backend!(conn, |c| diesel::update(
                terminal_enrolments::table
                    .filter(terminal_enrolments::code_hash.eq(&code_hash))
                    .filter(terminal_enrolments::used_at.is_null())
                    .filter(terminal_enrolments::expires_at.gt(now))
            )
            .set(terminal_enrolments::used_at.eq(now))
            .returning((
                terminal_enrolments::name,
                terminal_enrolments::kind,
                terminal_enrolments::window_label,
                terminal_enrolments::printer,
            ))
            .get_result(c)
            .optional())?;
        let Some((name, kind, window_label, printer)) = spent else {
            return Err(why_not(conn, &code_hash)?);
        };
        let certificate = ca.sign_device(request_pem, &name, validity)?;
        diesel::delete(terminal_rows::table.find(&name)).execute(conn)?;
        diesel::insert_into(terminal_rows::table)
            .values((
                terminal_rows::name.eq(&name),
                terminal_rows::kind.eq(&kind),
                terminal_rows::window_label.eq(&window_label),
                terminal_rows::printer.eq(&printer),
                terminal_rows::enrolled_at.eq(now),
            ))
            .execute(conn)?;
        // Certificates of an earlier enrolment of the same name die with it.
        terminals::forget_certificates(conn, &name)?;
        terminals::record_certificate(conn, &name, &certificate, now)?;
        audit::append(
            conn,
            &NewEntry {
                actor: format!("terminal:{name}"),
                action: "terminal.enrol".into(),
                subject_ssn: None,
                purpose: None,
                result: "ok".into(),
                detail: Some(format!(
                    "{kind} from {peer}, certificate {} until {}",
                    certificate.serial, certificate.not_after
                )),
            },
            now,
        )?;
        let terminal = terminals::Terminal {
            name,
            kind: TerminalKind::parse(&kind).map_err(EnrolError::BadTerminal)?,
            window_label,
            printer,
        };
        Ok(Enrolled {
            terminal,
            certificate,
        })
    })
}

/// Why a code bought nothing (the update matched no row).
fn why_not(conn: &mut DbConn, code_hash: &str) -> Result<EnrolError, EnrolError> {
    let row: Option<(Option<NaiveDateTime>, NaiveDateTime)> = terminal_enrolments::table
        .find(code_hash)
        .select((
            terminal_enrolments::used_at,
            terminal_enrolments::expires_at,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => EnrolError::UnknownCode,
        Some((Some(_), _)) => EnrolError::UsedCode,
        Some((None, expires)) => EnrolError::ExpiredCode(expires),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_forgivingly_and_refuse_what_is_not_one() {
        let c = Code::parse(" abcd-efgh-jkmn-pqrs-00112233445566778899AABBCCDDEEFF ").unwrap();
        assert_eq!(c.secret, "ABCDEFGHJKMNPQRS");
        assert_eq!(c.pin, "00112233445566778899aabbccddeeff");
        assert!(Code::parse("ABCD-EFGH").is_err());
        assert!(Code::parse("ABCD-EFGH-JKMN-PQRS-0011").is_err());
        // 'U' is not in the alphabet.
        assert!(Code::parse("ABCD-EFGH-JKMN-PQRU-00112233445566778899aabbccddeeff").is_err());
        let s = new_secret();
        assert_eq!(s.len(), SECRET_CHARS);
        let full = format!("{}-{}", grouped(&s), "ab".repeat(16));
        assert_eq!(Code::parse(&full).unwrap().secret, s);
    }
}
