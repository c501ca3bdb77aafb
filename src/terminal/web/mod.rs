//! The terminal's own HTTP server, on loopback for the kiosk's browser: the kiosk page, the
//! event stream and session calls answered here, and every data call passed to the center
//! ([`proxy`]). Nothing of the store is reachable from here but the one citizen's session.

mod events;
mod gate;
mod origin;
mod pin;
mod proxy;
mod session;

pub use events::__path_events;
pub use pin::{__path_enter, PinAnswer, PinEntry};
pub use session::{__path_end, __path_keep_alive, __path_restart, __path_state, Restarted};

use crate::terminal::kiosk::Kiosk;
use actix_web::{web, App, HttpServer};
use std::sync::Arc;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(events::events)
        .service(session::state)
        .service(session::keep_alive)
        .service(session::end)
        .service(session::restart)
        .service(pin::enter)
        .service(crate::web::health::healthz)
        .route("/api/kiosk/{rest:.*}", web::route().to(proxy::forward))
        .configure(crate::web::ui::configure_kiosk);
}

/// Serves the kiosk (a window terminal has none: its kiosk routes answer 404).
pub fn start(
    kiosk: Option<Arc<Kiosk>>,
    listener: std::net::TcpListener,
) -> std::io::Result<actix_web::dev::Server> {
    let kiosk = kiosk.map(web::Data::new);
    let server = HttpServer::new(move || {
        let mut app = App::new();
        if let Some(k) = &kiosk {
            app = app.app_data(k.clone());
        }
        app.app_data(web::PayloadConfig::new(64 * 1024))
            .app_data(crate::web::error::json_config())
            .wrap(actix_web::middleware::from_fn(origin::check))
            .wrap(actix_web::middleware::Logger::new("%a \"%r\" %s %T"))
            .configure(configure)
            .default_service(web::to(crate::web::error::not_found))
    })
    .listen(listener)?
    // One browser: two workers are plenty and keep the terminal small.
    .workers(2)
    .shutdown_timeout(2);
    Ok(server.run())
}
