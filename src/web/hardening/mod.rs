//! What every request passes before a handler (issue 13): the per-address connection cap, the
//! staff API's Host and Origin checks, the body deadline, and on the way out the browser
//! hardening headers. One middleware so that a request pays for one boxed future, not four.

mod appends;
mod deadline;
mod headers;
mod host;
mod peers;
mod refusal;

pub use appends::Appends;
pub use deadline::timed_out;
pub use headers::secure;
pub use peers::{canonical, PeerCount};
pub use refusal::Refusal;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use std::time::Duration;

/// The settings of [`check`], built once from `[http]` (and the verification base URL).
#[derive(Debug, Clone)]
pub struct Rules {
    hosts: host::AllowedHosts,
    body: Duration,
    upload: Duration,
}

impl Rules {
    pub fn from_config(config: &crate::config::Config) -> Rules {
        Rules {
            hosts: host::AllowedHosts::from_config(config),
            body: Duration::from_secs(config.http.request_seconds.max(1)),
            upload: Duration::from_secs(config.http.upload_seconds.max(1)),
        }
    }
}

/// The middleware function; `web::start` wraps the app in it with
/// `actix_web::middleware::from_fn` and gives it [`Rules`] as app data (tests that build an
/// app without them get the headers only).
pub async fn check(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let rules = req.app_data::<actix_web::web::Data<Rules>>().cloned();
    let requests = req
        .app_data::<actix_web::web::Data<crate::web::metrics::Requests>>()
        .cloned();
    let refusal = match &rules {
        _ if peers::over_limit(&req) => Some(Refusal::TooManyConnections),
        Some(rules) => host::check(&req, &rules.hosts).err(),
        None => None,
    };
    if let Some(refusal) = refusal {
        tracing::warn!(
            code = refusal.code(),
            peer = ?req.peer_addr().map(|a| a.ip()),
            "{} {}: refused",
            req.method(),
            req.path()
        );
        if let Some(r) = &requests {
            r.refused(refusal.code());
        }
        let res = req.into_response(refusal.response());
        return Ok(headers::secure(res)
            .map_into_boxed_body()
            .map_into_right_body());
    }
    if let Some(rules) = &rules {
        let limit = if req.path().starts_with("/api/staff/imports") {
            rules.upload
        } else {
            rules.body
        };
        deadline::apply(&mut req, limit);
    }
    let res = next.call(req).await?;
    if let Some(r) = &requests {
        let route = res.request().match_pattern();
        r.record(
            route.as_deref().unwrap_or("unmatched"),
            res.request().method(),
            res.status().as_u16(),
            started.elapsed(),
        );
    }
    Ok(headers::secure(res).map_into_left_body())
}
