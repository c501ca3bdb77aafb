//! `sskiosk print <serial>` queues a certificate on the configured printer and waits for it;
//! `sskiosk print-queue` works through the queue (jobs left by a stopped printer or a restart).

use super::{certificate::service, open_pool, CliError};
use crate::config::Config;
use crate::print::{queue, worker};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct PrintArgs {
    /// Serial of an issued certificate.
    serial: String,
    /// Seconds to keep retrying before leaving the job queued (0 = one attempt).
    #[arg(long, default_value_t = 0)]
    wait: u64,
}

#[derive(clap::Args)]
pub struct QueueArgs {
    /// Seconds to keep working while jobs remain queued (0 = one pass).
    #[arg(long, default_value_t = 0)]
    wait: u64,
}

/// Exit status when the job is still queued (the printer could not print yet).
const STILL_QUEUED: u8 = 5;
/// Exit status when the citizen reached the monthly limit.
const LIMIT: u8 = 3;

pub fn run(config: &Config, args: PrintArgs) -> Result<u8, CliError> {
    // A URI no backend can serve is refused before anything is queued.
    crate::print::Printer::from_uri(&config.print.printer_uri).map_err(CliError::failed)?;
    let service = service(config)?;
    let pool = open_pool(config, 2)?;
    let mut conn = pool.get().map_err(CliError::failed)?;
    let (stored, pdf) = service
        .pdf_of(&mut conn, &args.serial)
        .map_err(CliError::failed)?;
    let id = queue::enqueue(
        &mut conn,
        &stored.serial,
        &stored.ssn,
        &config.print.printer_uri,
        &pdf,
        config.print.monthly_limit_per_citizen,
        chrono::Utc::now().naive_utc(),
    )
    .map_err(|e| match e {
        crate::print::PrintError::LimitReached { .. } => CliError {
            status: LIMIT,
            message: e.to_string(),
        },
        e => CliError::failed(e),
    })?;
    drop(conn);
    let deadline = Instant::now() + Duration::from_secs(args.wait);
    loop {
        worker::run_due(&pool, &config.print).map_err(CliError::failed)?;
        let mut conn = pool.get().map_err(CliError::failed)?;
        let job = queue::get(&mut conn, id).map_err(CliError::failed)?;
        match job.state.as_str() {
            queue::DONE => {
                println!("job {id}: printed {} on {}", job.serial, job.printer);
                return Ok(0);
            }
            queue::FAILED => {
                return Err(CliError::failed(format!(
                    "job {id} failed: {}",
                    job.last_error.unwrap_or_default()
                )))
            }
            _ if Instant::now() >= deadline => {
                println!(
                    "job {id}: still queued ({}); it will print when the printer is back",
                    job.last_error.unwrap_or_default()
                );
                return Ok(STILL_QUEUED);
            }
            _ => std::thread::sleep(Duration::from_millis(300)),
        }
    }
}

pub fn run_queue(config: &Config, args: QueueArgs) -> Result<u8, CliError> {
    let pool = open_pool(config, 2)?;
    let deadline = Instant::now() + Duration::from_secs(args.wait);
    loop {
        for (id, outcome) in worker::run_due(&pool, &config.print).map_err(CliError::failed)? {
            println!("job {id}: {outcome:?}");
        }
        let mut conn = pool.get().map_err(CliError::failed)?;
        let pending = queue::pending(&mut conn).map_err(CliError::failed)?;
        if pending == 0 {
            return Ok(0);
        }
        if Instant::now() >= deadline {
            println!("{pending} job(s) still queued");
            return Ok(STILL_QUEUED);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}
