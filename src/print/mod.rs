//! Printing certificates: a persistent job queue ([`queue`]), printer backends ([`ipp`] for
//! CUPS / IPP Everywhere printers, [`file`] for the demo), and the worker that moves jobs from
//! queued to done ([`worker`]).
//!
//! A printer that cannot print now (unreachable, stopped, out of paper) answers
//! [`Refusal::Later`] with its own reason: the job stays queued and is retried with backoff.
//! A job is never sent twice: before a retry the printer is asked whether it already holds a
//! job of that name.

pub mod allowed_hosts;
pub mod file;
pub mod ipp;
mod pdf_check;
pub mod queue;
pub mod retention;
pub mod worker;

pub use pdf_check::check_pdf;

/// Why a printer did not take a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Try again later (the printer's reason, for staff).
    Later(String),
    /// Retrying cannot help (the printer rejected the document).
    Never(String),
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error(
        "printer URI {0:?} is not supported: use ipp://HOST:PORT/PATH, ipps://… or file:///DIR"
    )]
    BadUri(String),
    #[error("the monthly print limit of {limit} certificates for this citizen is reached")]
    LimitReached { limit: u32 },
    #[error("no print job {0}")]
    UnknownJob(i64),
    #[error("the document cannot be printed: {0}")]
    BadDocument(String),
    #[error("database query failed: {0}")]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Pool(#[from] r2d2::Error),
}

/// A printer the queue can send to.
pub enum Printer {
    Ipp(ipp::IppPrinter),
    File(file::FilePrinter),
}

impl Printer {
    pub fn from_uri(uri: &str) -> Result<Printer, PrintError> {
        if uri.starts_with("ipp://") || uri.starts_with("ipps://") {
            return Ok(Printer::Ipp(ipp::IppPrinter::new(uri)?));
        }
        if let Some(path) = uri.strip_prefix("file://") {
            if !path.is_empty() {
                return Ok(Printer::File(file::FilePrinter::new(path)));
            }
        }
        Err(PrintError::BadUri(uri.to_string()))
    }

    /// Whether the printer can take a job now.
    pub fn check_ready(&self) -> Result<(), Refusal> {
        match self {
            Printer::Ipp(p) => p.check_ready(),
            Printer::File(p) => p.check_ready(),
        }
    }

    /// Whether the printer already holds (or has printed) a job named `job_name`.
    pub fn holds(&self, job_name: &str) -> Result<bool, Refusal> {
        match self {
            Printer::Ipp(p) => p.holds(job_name),
            Printer::File(p) => Ok(p.holds(job_name)),
        }
    }

    /// Sends the document; the printer's job id when it has one.
    pub fn send(&self, job_name: &str, pdf: &[u8]) -> Result<Option<i32>, Refusal> {
        match self {
            Printer::Ipp(p) => p.send(job_name, pdf),
            Printer::File(p) => p.send(job_name, pdf).map(|_| None),
        }
    }
}
