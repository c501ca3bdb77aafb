//! The announcement as audio, rendered on the server with espeak-ng (Debian package espeak-ng,
//! Mandarin voice `cmn`), so a hall PC whose browser has no Chinese voice still speaks. Blocking:
//! run it on a blocking thread.

use super::{HallConfig, HallError};
use std::process::{Command, Stdio};

/// How the announcement is spoken: the ticket's digits one by one ("A零一二"), as halls say
/// them, not as a quantity ("A十二").
pub fn spoken(number: &str, window: &str, recall: bool) -> String {
    let digits: String = number
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => "零一二三四五六七八九".chars().nth(d as usize).unwrap_or(c),
            None => c,
        })
        .collect();
    let again = if recall { "重呼，" } else { "" };
    format!("{again}请 {digits} 号，到 {window} 号窗口办理")
}

/// A WAV file of `text` in the configured voice.
pub fn render(config: &HallConfig, text: &str) -> Result<Vec<u8>, HallError> {
    let output = Command::new(&config.espeak)
        .args(["-v", &config.voice, "-s", "150", "--stdout"])
        .arg(text)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            HallError::Voice(format!(
                "cannot run {} ({e}): install the Debian package espeak-ng, or set hall.espeak",
                config.espeak
            ))
        })?;
    if !output.status.success() || !output.stdout.starts_with(b"RIFF") {
        return Err(HallError::Voice(format!(
            "{} -v {} gave no audio: {}",
            config.espeak,
            config.voice,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_are_spoken_one_by_one() {
        assert_eq!(
            super::spoken("A012", "3", false),
            "请 A零一二 号，到 3 号窗口办理"
        );
        assert!(super::spoken("B100", "12", true).starts_with("重呼，"));
    }
}
