//! `sskiosk serve`: the central service. Open the store (whose schema `sskiosk migrate` made
//! current; serve changes no schema, so its account needs no DDL rights), fill it with demo
//! citizens if empty and so configured, then serve the public and staff HTTP port and the
//! terminals' mutual-TLS port until SIGINT/SIGTERM.

use super::{demo::load_demo, today, CliError};
use crate::config::Config;
use crate::db::{schema::persons, DbPool};
use crate::demo::DemoOptions;
use crate::web::{self, AppState};
use diesel::prelude::*;

pub fn run(config: &Config) -> Result<u8, CliError> {
    // Font, key and seal first: a missing font must stop the start with its own message.
    let certificates = std::sync::Arc::new(super::certificate::service(config)?);
    // Not migrating: that is `sskiosk migrate`'s, with an owner's account (docs/operations.md).
    let pool = crate::db::open_pool_unmigrated(&config.database.url, config.database.pool_size)
        .map_err(CliError::failed)?;
    seed_empty_store(config, &pool)?;
    let stop_printing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    if config.print.worker {
        crate::print::worker::spawn(pool.clone(), config.print.clone(), stop_printing.clone());
    }
    if config.checks.nightly {
        crate::checks::nightly::spawn(pool.clone(), config.checks.clone(), stop_printing.clone())
            .map_err(CliError::failed)?;
    }
    let center = crate::center::Center::open(config).map_err(CliError::failed)?;
    let tls = web::terminal_port::tls_config(&center, &config.center.tls_names)
        .map_err(CliError::failed)?;
    let device =
        crate::devices::node::ThisNode::start(config, pool.clone()).map_err(CliError::failed)?;
    let bind = |address: &str| {
        std::net::TcpListener::bind(address)
            .map_err(|e| CliError::failed(format!("cannot listen on {address}: {e}")))
    };
    let listener = bind(&config.server.bind)?;
    let terminal_listener = bind(&config.center.terminal_bind)?;
    let address = listener.local_addr().map_err(CliError::failed)?;
    let terminal_address = terminal_listener.local_addr().map_err(CliError::failed)?;
    let state = actix_web::web::Data::new(AppState {
        pool,
        certificates,
        center,
        device,
        config: std::sync::Arc::new(config.clone()),
    });
    actix_web::rt::System::new()
        .block_on(async move {
            let public = web::start(state.clone(), listener, config.server.workers)?;
            let terminals = web::terminal_port::start(state, terminal_listener, tls)?;
            // Printed on stdout, not only logged: scripts and tests read the ports from it.
            println!("sskiosk terminal port on https://{terminal_address}");
            println!("sskiosk listening on http://{address}");
            let (a, b) = futures_util::future::join(public, terminals).await;
            a.and(b)
        })
        .map_err(|e| CliError::failed(format!("server stopped: {e}")))?;
    stop_printing.store(true, std::sync::atomic::Ordering::Relaxed);
    Ok(0)
}

/// A newcomer's first start shows data at once; a production config sets the count to 0.
fn seed_empty_store(config: &Config, pool: &DbPool) -> Result<(), CliError> {
    let citizens = config.demo.citizens_on_empty_store;
    if citizens == 0 {
        return Ok(());
    }
    let mut conn = pool.get().map_err(CliError::failed)?;
    let count: i64 = persons::table
        .count()
        .get_result(&mut *conn)
        .map_err(CliError::failed)?;
    if count > 0 {
        return Ok(());
    }
    tracing::info!(citizens, "empty store: loading demo citizens");
    load_demo(
        &mut conn,
        &DemoOptions {
            citizens,
            seed: config.demo.seed,
            today: today(),
        },
    )
}
