//! Log set-up. Every log line passes through [`MaskingWriter`], which hides anything shaped like
//! a citizen ID number — a second line of defence behind `CitizenId`'s masked `Debug`, for the
//! day someone logs a raw string or a database error quotes a row.

use std::io::{IsTerminal, Write};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber: `filter` from config, overridden by `RUST_LOG` when set.
pub fn init(filter: &str, format: crate::log_lines::LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(MaskingStderr);
    let _ = match format {
        crate::log_lines::LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        crate::log_lines::LogFormat::Json => builder
            .with_ansi(false)
            .event_format(crate::log_lines::JsonLines)
            .try_init(),
    };
}

#[derive(Clone, Copy)]
struct MaskingStderr;

impl<'a> MakeWriter<'a> for MaskingStderr {
    type Writer = MaskingWriter<std::io::Stderr>;
    fn make_writer(&'a self) -> Self::Writer {
        MaskingWriter(std::io::stderr())
    }
}

/// Writes through to `W` with every ID-number-shaped run masked. tracing's fmt layer writes one
/// whole event per `write` call, so a number is never split across calls.
pub struct MaskingWriter<W>(pub W);

impl<W: Write> Write for MaskingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(&mask_id_numbers(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Masks every run of 17 digits followed by a digit or X (not inside a longer run of digits),
/// keeping the first and last four characters: `1101**********002X`.
pub fn mask_id_numbers(buf: &[u8]) -> Vec<u8> {
    let mut out = buf.to_vec();
    let mut i = 0;
    while i + 18 <= out.len() {
        let starts_run = i == 0 || !out[i - 1].is_ascii_digit();
        let shaped = out[i..i + 17].iter().all(u8::is_ascii_digit)
            && matches!(out[i + 17], b'0'..=b'9' | b'X' | b'x');
        let ends_run = out.get(i + 18).is_none_or(|b| !b.is_ascii_alphanumeric());
        if starts_run && shaped && ends_run {
            out[i + 4..i + 14].fill(b'*');
            i += 18;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_masked_wherever_they_appear() {
        let line = b"lookup ssn=11010519491231002X failed; other 440524188001010014.";
        let masked = String::from_utf8(mask_id_numbers(line)).unwrap();
        assert_eq!(
            masked,
            "lookup ssn=1101**********002X failed; other 4405**********0014."
        );
    }

    #[test]
    fn longer_digit_runs_and_short_numbers_are_left_alone() {
        let line = b"batch 12 took 1234567890123456789012 ns";
        assert_eq!(mask_id_numbers(line), line.to_vec());
    }
}
