//! The reject report written beside an imported file (`FILE.rejects.csv`): one line per rejected
//! row, with its line number, the column at fault, the value found and what to fix.

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
            let mut w = csv::Writer::from_writer(BufWriter::new(File::create(&self.path)?));
            w.write_record(["line", "column", "value", "reason"])?;
            self.writer = Some(w);
        }
        let w = self.writer.as_mut().expect("created above");
        w.write_record([
            &reject.line.to_string(),
            &reject.column,
            &reject.value,
            &reject.reason,
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
