//! The HTTP surface (actix-web). Handlers are thin: extract, call one function of the layers
//! below on a blocking thread, map the error. Every route is listed in [`ApiDoc`].

pub mod error;
pub(crate) mod error_zh;
pub mod hall;
pub mod hardening;
pub mod health;
pub mod kiosk;
pub(crate) mod metrics;
pub mod staff;
pub mod terminal_port;
pub mod ui;
mod verify;
mod verify_html;

use crate::db::DbPool;
use actix_web::{web, App, HttpServer};
use utoipa::OpenApi;

/// What every handler may use; passed explicitly, no globals.
pub struct AppState {
    pub pool: DbPool,
    /// Office key, font and seal, loaded once at start-up.
    pub certificates: std::sync::Arc<crate::certificate::CertificateService>,
    /// The terminals' side of the center: device CA, card proofs, kiosk sessions.
    pub center: std::sync::Arc<crate::center::Center>,
    /// This node as a terminal of the hall: what admins set for it (docs/devices.md).
    pub device: std::sync::Arc<crate::devices::node::ThisNode>,
    /// The whole configuration, for the staff and window settings (issue 6).
    pub config: std::sync::Arc<crate::config::Config>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "sskiosk",
        description = "One-window backend: unified citizen record, kiosk, certificates"
    ),
    paths(
        health::healthz,
        health::readyz,
        verify::keys,
        verify::verify_json,
        verify::verify_page,
        verify::verify_form
    ),
    components(schemas(
        error::ErrorBody,
        error::ErrorDetail,
        health::Status,
        verify::KeyList,
        crate::certificate::sign::PublishedKey,
        crate::certificate::verify::Verification,
        crate::certificate::verify::Verdict
    ))
)]
pub struct ApiDoc;

/// Runs `f` with a connection of `pool` on a blocking thread (diesel, argon2 and PC/SC block);
/// no connection is a 503.
pub(crate) async fn with_pooled<T, F>(pool: &DbPool, f: F) -> Result<T, error::ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::db::DbConn) -> Result<T, error::ApiError> + Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool
            .get()
            .map_err(|e| error::ApiError::Unavailable(e.to_string()))?;
        f(&mut conn)
    })
    .await?
}

/// The whole API document: the core paths and each feature's own document.
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(kiosk::KioskApi::openapi());
    doc.merge(staff::StaffApi::openapi());
    doc.merge(hall::HallApi::openapi());
    doc
}

async fn openapi() -> web::Json<utoipa::openapi::OpenApi> {
    web::Json(api_doc())
}

/// Registers every route; used by `serve` and by the tests.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(error::json_config())
        .app_data(error::query_config())
        .service(health::healthz)
        .service(health::readyz)
        // keys before {serial}: a literal segment must win over the pattern.
        .service(verify::keys)
        .service(verify::verify_json)
        .service(verify::verify_page)
        .service(verify::verify_form)
        .configure(staff::configure)
        .configure(hall::configure)
        .route("/api/openapi.json", web::get().to(openapi))
        .route("/metrics", web::get().to(metrics::scrape))
        .configure(ui::configure);
}

/// Starts the server on an already bound listener (so tests can bind port 0 and know the port
/// before the first request).
pub fn start(
    state: web::Data<AppState>,
    listener: std::net::TcpListener,
    workers: usize,
) -> std::io::Result<actix_web::dev::Server> {
    let http = state.config.http.clone();
    let rules = web::Data::new(hardening::Rules::from_config(&state.config));
    let peers = hardening::PeerCount::new(http.connections_per_peer);
    let appends = web::Data::new(hardening::Appends::default());
    let requests = web::Data::new(metrics::Requests::default());
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(rules.clone())
            .app_data(appends.clone())
            .app_data(requests.clone())
            .wrap(actix_web::middleware::from_fn(hardening::check))
            .wrap(actix_web::middleware::Logger::new("%a \"%r\" %s %T"))
            .configure(configure)
            .default_service(web::to(error::not_found))
    })
    .on_connect(move |connection, data| peers.on_connect(connection, data))
    .keep_alive(std::time::Duration::from_secs(http.keep_alive_seconds))
    .listen(listener)?
    // Open kiosk event streams never finish by themselves: do not wait actix's default 30 s
    // for them on SIGTERM.
    .shutdown_timeout(5);
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.run())
}
