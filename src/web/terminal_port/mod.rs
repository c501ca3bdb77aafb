//! The center's terminal port: HTTPS with mutual TLS, for enrolled kiosk and window terminals
//! only (issue 10). A client certificate is optional at the TLS layer — enrolment is how a
//! terminal gets one — but every route except enrolment takes a [`TerminalPeer`], which needs a
//! certificate of our CA that the store still lists for a terminal not revoked. The kiosk's data
//! routes (`/api/kiosk/*`) live here, not on the public port.

mod card;
pub(crate) use card::bearer;
mod enrol;
mod heartbeat;
mod peer;

pub use peer::{PeerCertificate, TerminalPeer};

use crate::center::Center;
use crate::web::AppState;
use actix_web::{web, App, HttpServer};
use std::sync::Arc;

/// The rustls configuration of the terminal port: our server certificate (with the CA in its
/// chain, for the pinned first contact), client certificates checked against our CA alone.
pub fn tls_config(center: &Center, names: &[String]) -> Result<rustls::ServerConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(center.ca.certificate_der().clone())
        .map_err(|e| format!("terminal CA: {e}"))?;
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .allow_unauthenticated()
    .build()
    .map_err(|e| format!("client verifier: {e}"))?;
    let (chain, key) = center
        .ca
        .server_identity(names)
        .map_err(|e| e.to_string())?;
    rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| format!("terminal port certificate: {e}"))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(crate::web::error::json_config())
        .app_data(crate::web::error::query_config())
        .service(enrol::enrol)
        .service(enrol::renew)
        .service(heartbeat::heartbeat)
        .service(card::new_challenge)
        .service(card::open)
        .service(card::reprove)
        .service(card::pin)
        .service(card::touch)
        .service(card::end)
        .service(card::external)
        .service(card::internal)
        .service(card::window_card)
        .configure(crate::web::kiosk::configure)
        .configure(crate::web::hall::configure_kiosk);
}

/// Serves the terminal port on `listener` until the system stops.
pub fn start(
    state: web::Data<AppState>,
    listener: std::net::TcpListener,
    tls: rustls::ServerConfig,
) -> std::io::Result<actix_web::dev::Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(actix_web::middleware::Logger::new("%a \"%r\" %s %T"))
            .configure(configure)
            .default_service(web::to(crate::web::error::not_found))
    })
    .on_connect(peer::on_connect)
    // Terminals keep their connection (no handshake per request); a dead one is dropped.
    .keep_alive(std::time::Duration::from_secs(75))
    .client_request_timeout(std::time::Duration::from_secs(10))
    .workers(2)
    .listen_rustls_0_23(listener, tls)?
    .shutdown_timeout(5);
    Ok(server.run())
}
