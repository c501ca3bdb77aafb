//! The file "printer" of the demo: each job is written as `<job name>.pdf` into a folder,
//! through a temporary file and a rename so that a crash never leaves half a document.

use super::Refusal;
use std::path::PathBuf;

pub struct FilePrinter {
    dir: PathBuf,
}

impl FilePrinter {
    /// `path` is the part after `file://`: absolute (`file:///var/prints`) or relative to the
    /// working directory (`file://data/prints`).
    pub fn new(path: &str) -> FilePrinter {
        FilePrinter {
            dir: PathBuf::from(path),
        }
    }

    fn path(&self, job_name: &str) -> PathBuf {
        self.dir.join(format!("{job_name}.pdf"))
    }

    pub fn check_ready(&self) -> Result<(), Refusal> {
        crate::private_file::create_dir(&self.dir).map_err(|e| {
            Refusal::Later(format!(
                "print folder {} is not writable: {e}",
                self.dir.display()
            ))
        })
    }

    /// Removes a printed job's file (print::retention).
    pub fn remove(&self, job_name: &str) -> std::io::Result<()> {
        std::fs::remove_file(self.path(job_name))
    }

    pub fn holds(&self, job_name: &str) -> bool {
        self.path(job_name).exists()
    }

    pub fn send(&self, job_name: &str, pdf: &[u8]) -> Result<(), Refusal> {
        let fail = |e: std::io::Error| {
            Refusal::Later(format!("cannot write to {}: {e}", self.dir.display()))
        };
        let tmp = self.dir.join(format!(".{job_name}.part"));
        crate::private_file::write(&tmp, pdf).map_err(fail)?;
        std::fs::rename(&tmp, self.path(job_name)).map_err(fail)
    }
}
