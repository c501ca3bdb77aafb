//! `GET /metrics` in the Prometheus text format (issue 13), for the configured addresses only
//! (`http.metrics_clients`; empty = off, 404): requests by route pattern and status with latency
//! histograms and the middleware's refusals ([`registry`]), card proofs and audit appends
//! ([`events`], hooks called where those happen), and what the store holds now ([`gauges`]).
//! deploy/grafana-dashboard.json draws them.

mod events;
mod gauges;
mod histogram;
mod registry;

pub use events::{audit_batch_committed, card_read, card_refused, AuditAppendTimer, CardRefusal};
pub use registry::Requests;

use crate::web::error::ApiError;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use std::net::IpAddr;

pub async fn scrape(
    state: web::Data<AppState>,
    requests: web::Data<Requests>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let peer = req.peer_addr().map(|a| super::hardening::canonical(a.ip()));
    let allowed = &state.config.http.metrics_clients;
    if !peer.is_some_and(|p| allowed.iter().any(|a| a.parse::<IpAddr>().ok() == Some(p))) {
        // The same answer as for a path that does not exist: nothing to learn from it.
        return Err(ApiError::NotFound("no such endpoint".into()));
    }
    let mut out = String::new();
    requests.render(&mut out);
    events::render(&mut out);
    let pool = state.pool.state();
    out.push_str(&format!(
        "# HELP sskiosk_db_pool_connections Connections of the pool, by state.\n# TYPE sskiosk_db_pool_connections gauge\n\
         sskiosk_db_pool_connections{{state=\"idle\"}} {}\nsskiosk_db_pool_connections{{state=\"in_use\"}} {}\n",
        pool.idle_connections,
        pool.connections - pool.idle_connections
    ));
    let store = crate::web::with_pooled(&state.pool, |conn| {
        let mut out = String::new();
        gauges::render(conn, &mut out)?;
        Ok(out)
    })
    .await?;
    out.push_str(&store);
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(out))
}
