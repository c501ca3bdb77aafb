//! Browser hardening headers on every response (review D5, D13). The pages use no inline script
//! or style, so the policy needs no `'unsafe-inline'`; blob: images are the kiosk's certificate
//! previews.

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{
    HeaderName, HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};

const POLICY: &str = "default-src 'self'; img-src 'self' blob:; object-src 'none'; \
                      frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/// The kiosk screen falls back to showing the certificate PDF in an `<object>` from a blob URL
/// it made itself when the node renders no preview image, and its icon is `data:,`.
const KIOSK_POLICY: &str = "default-src 'self'; img-src 'self' blob: data:; object-src blob:; \
                            frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Adds the headers; everything but the static pages (which carry no personal data and set
/// their own `no-cache`) is `no-store`: records, verifications, sessions, errors alike.
pub fn secure<B>(mut res: ServiceResponse<B>) -> ServiceResponse<B> {
    let path = res.request().path();
    let page = is_static_page(path) && res.status().is_success();
    let policy = if path == "/kiosk/" {
        KIOSK_POLICY
    } else {
        POLICY
    };
    let headers = res.headers_mut();
    let set = |headers: &mut actix_web::http::header::HeaderMap, name: HeaderName, value| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, CONTENT_SECURITY_POLICY, policy);
    set(headers, X_FRAME_OPTIONS, "DENY");
    set(headers, X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, REFERRER_POLICY, "no-referrer");
    if !page {
        set(headers, CACHE_CONTROL, "no-store");
    }
    res
}

fn is_static_page(path: &str) -> bool {
    path.starts_with("/ui/") || path == "/kiosk/" || path == "/staff/"
}
