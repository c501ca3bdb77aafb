//! What every request to the terminal's loopback server passes: its `Host` must be a loopback
//! name (a page elsewhere that rebinds its DNS name to 127.0.0.1 is refused), a state-changing
//! request that names an `Origin` must come from this same server (no cross-site POST to the
//! kiosk API), and every answer carries the browser hardening headers of the center's pages.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

fn loopback(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        // "[::1]:8081" or "127.0.0.1:8081"; a bare "::1" has colons but no brackets.
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty() => name,
        _ => host,
    };
    matches!(name, "127.0.0.1" | "localhost" | "[::1]" | "::1")
}

/// Whether `req` may reach a handler (see the module's doc).
fn allowed(req: &ServiceRequest) -> Result<(), &'static str> {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let host = header("host").unwrap_or_default();
    if !loopback(&host) {
        return Err("host_not_allowed");
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if let (true, Some(origin)) = (changes, header("origin")) {
        let same = origin
            .strip_prefix("http://")
            .is_some_and(|rest| rest == host);
        if !same {
            return Err("origin_not_allowed");
        }
    }
    Ok(())
}

pub async fn check(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    if let Err(code) = allowed(&req) {
        tracing::warn!(peer = ?req.peer_addr(), code, "terminal: request refused");
        let err = crate::web::error::ApiError::Forbidden {
            code,
            message: "this terminal answers its own kiosk screen only".into(),
        };
        let res = actix_web::ResponseError::error_response(&err);
        return Ok(crate::web::hardening::secure(req.into_response(res)));
    }
    let res = next.call(req).await?.map_into_boxed_body();
    Ok(crate::web::hardening::secure(res))
}

#[cfg(test)]
mod tests {
    use super::loopback;

    #[test]
    fn only_loopback_names_are_this_terminals_host() {
        for ok in [
            "127.0.0.1:8081",
            "localhost:8081",
            "[::1]:8081",
            "127.0.0.1",
            "localhost",
        ] {
            assert!(loopback(ok), "{ok}");
        }
        for bad in [
            "evil.example:8081",
            "10.0.0.5:8081",
            "",
            "127.0.0.1.evil.example",
            "localhost.evil:80",
        ] {
            assert!(!loopback(bad), "{bad}");
        }
    }
}
