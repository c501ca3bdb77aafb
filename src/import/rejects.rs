//! The reject report written beside an imported file (`FILE.rejects.csv`): one line per rejected
//! row, with its line number, the column at fault, the value found and what to fix. Created 0600;
//! it never holds a full ID number (the `ssn` column's value shows its first and last four
//! characters, ID-shaped text elsewhere is masked), and a cell a spreadsheet would run as a
//! formula (starting `=`, `+`, `-`, `@`, tab or CR) is written with a leading `'` (review D11).

use super::fields::Reject;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

pub struct RejectFile {
    path: PathBuf,
    writer: Option<csv::Writer<BufWriter<File>>>,
    pub count: u64,
}

impl RejectFile {
    pub fn beside(input: &Path) -> RejectFile {
        let mut name = input.as_os_str().to_owned();
        name.push(".rejects.csv");
        RejectFile {
            path: PathBuf::from(name),
            writer: None,
            count: 0,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the file on the first reject, so a clean import leaves no empty report.
    pub fn write(&mut self, reject: &Reject) -> std::io::Result<()> {
        if self.writer.is_none() {
            let file = crate::private_file::create(&self.path)?;
            let mut w = csv::Writer::from_writer(BufWriter::new(file));
            w.write_record(["line", "column", "value", "reason"])?;
            self.writer = Some(w);
        }
        let w = self.writer.as_mut().expect("created above");
        w.write_record([
            reject.line.to_string(),
            inert(&reject.column),
            inert(&shown_value(&reject.column, &reject.value)),
            inert(&masked(&reject.reason)),
        ])?;
        self.count += 1;
        Ok(())
    }

    /// Flushes the report, or removes a stale one from an earlier run when this run had none.
    pub fn finish(self) -> std::io::Result<Option<PathBuf>> {
        match self.writer {
            Some(mut w) => {
                w.flush()?;
                Ok(Some(self.path))
            }
            None => {
                match std::fs::remove_file(&self.path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
                Ok(None)
            }
        }
    }
}

/// A cell a spreadsheet shows as text, never evaluates (OWASP's CSV injection advice).
fn inert(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn masked(text: &str) -> String {
    String::from_utf8_lossy(&crate::logging::mask_id_numbers(text.as_bytes())).into_owned()
}

/// The value as reported: an ID-number column shows only its first and last four characters,
/// enough to find the row in the export.
fn shown_value(column: &str, value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if column != "ssn" {
        return masked(value);
    }
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let (head, tail) = (&chars[..4], &chars[chars.len() - 4..]);
    format!(
        "{}{}{}",
        head.iter().collect::<String>(),
        "*".repeat(chars.len() - 8),
        tail.iter().collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_inert_and_id_numbers_masked() {
        assert_eq!(inert("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(inert("+1+1"), "'+1+1");
        assert_eq!(inert("-2+3"), "'-2+3");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("张三"), "张三");
        assert_eq!(
            shown_value("ssn", "110101198506150010"),
            "1101**********0010"
        );
        assert_eq!(shown_value("ssn", "1234"), "****");
        assert_eq!(
            shown_value("name", "see 110101198506150010"),
            "see 1101**********0010"
        );
    }
}
