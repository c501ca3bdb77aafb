//! Browser hardening (issue 13, review D5/D6/D13): every operation of the OpenAPI document and
//! every page answers with the hardening headers, personal data is never cacheable, and the
//! staff side answers only to its own names and origin.

mod common;
mod http_support;

use common::{Served, TestDb};
use http_support::{address, simple, Answer};
use std::net::SocketAddr;

fn assert_hardened(what: &str, a: &Answer, page: bool) {
    let csp = a.header("content-security-policy").unwrap_or_default();
    for part in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(part), "{what}: CSP {csp:?} lacks {part}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(a.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        a.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(a.header("referrer-policy"), Some("no-referrer"), "{what}");
    if !page {
        assert_eq!(a.header("cache-control"), Some("no-store"), "{what}");
    }
}

/// Each operation of the document, with its path parameters filled in.
fn operations(served: &Served) -> Vec<(String, String)> {
    let (status, doc) = served.json("/api/openapi.json");
    assert_eq!(status, 200);
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let filled = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "1" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            ops.push((method.to_ascii_uppercase(), filled.clone()));
        }
    }
    ops
}

#[test]
fn the_kiosk_terminal_hardens_its_pages_and_answers_only_its_own_screen() {
    let db = TestDb::sqlite();
    let center = Served::start(&db);
    // No reader is needed: the screen and its headers are what is checked.
    let kiosk = common::terminal::Terminal::enrolled(
        &db,
        &center,
        "kiosk-h",
        "kiosk",
        &[("SSKIOSK__CARD__READERS", "[\"No Such Reader\"]")],
    );
    let to = address(&kiosk.base);
    for (path, page) in [
        ("/kiosk/", true),
        ("/ui/kiosk/app.js", true),
        ("/api/kiosk/state", false),
        ("/no/such/path", false),
    ] {
        let a = simple(to, "GET", path, &[], "");
        assert_hardened(&format!("terminal {path} ({})", a.status), &a, page);
    }
    // A page elsewhere whose name was rebound to 127.0.0.1, and a cross-site POST: refused.
    let rebound = http_support::request(
        to,
        std::net::Ipv4Addr::LOCALHOST,
        "GET /api/kiosk/state HTTP/1.1\r\nHost: evil.example",
        "",
    );
    assert_eq!(rebound.status, 403);
    assert!(
        rebound.body.contains("host_not_allowed"),
        "{}",
        rebound.body
    );
    let cross = simple(
        to,
        "POST",
        "/api/kiosk/restart",
        &["Origin: http://evil.example"],
        "",
    );
    assert_eq!(cross.status, 403);
    assert!(cross.body.contains("origin_not_allowed"), "{}", cross.body);
    assert_hardened("a refusal", &cross, false);
}

#[test]
fn every_operation_and_page_carries_the_hardening_headers() {
    let db = TestDb::sqlite();
    let served = Served::start(&db);
    let to = address(&served.base);
    let ops = operations(&served);
    assert!(ops.len() > 20, "only {} operations", ops.len());
    for (method, path) in &ops {
        let body = if method == "GET" { "" } else { "{}" };
        let a = simple(to, method, path, &[], body);
        assert_hardened(&format!("{method} {path} ({})", a.status), &a, false);
    }
    for page in ["/staff/", "/ui/staff/app.js", "/ui/verify.css"] {
        let a = simple(to, "GET", page, &[], "");
        assert_eq!(a.status, 200, "{page}");
        assert_hardened(page, &a, true);
    }
    for other in [
        "/verify/20261201-NOSUCH00",
        "/no/such/path",
        "/staff",
        "/ui/none.js",
    ] {
        let a = simple(to, "GET", other, &[], "");
        assert_hardened(&format!("{other} ({})", a.status), &a, false);
    }
}

#[test]
fn the_verify_page_needs_no_inline_style_or_script() {
    let db = TestDb::sqlite();
    let served = Served::start(&db);
    let a = simple(
        address(&served.base),
        "GET",
        "/verify/20261201-NOSUCH00",
        &[],
        "",
    );
    assert!(
        !a.body.contains("<style") && !a.body.contains("<script"),
        "{}",
        a.body
    );
    assert!(a.body.contains("/ui/verify.css"));
}

fn login(to: SocketAddr, extra: &[&str]) -> Answer {
    simple(
        to,
        "POST",
        "/api/staff/login",
        extra,
        r#"{"username":"nobody","password":"not-the-password"}"#,
    )
}

#[test]
fn the_staff_side_answers_only_to_its_names_and_its_own_origin() {
    let db = TestDb::sqlite();
    let served = Served::start(&db);
    let to = address(&served.base);
    let own = format!("Origin: http://{to}");

    // Another name (DNS rebinding): refused before any handler, on the staff side only.
    let mut head = "GET /api/staff/session HTTP/1.1\r\nHost: attacker.example".to_string();
    let a = http_support::request(to, std::net::Ipv4Addr::LOCALHOST, &head, "");
    assert_eq!((a.status, a.code().as_str()), (421, "host_not_allowed"));
    head = "GET /healthz HTTP/1.1\r\nHost: attacker.example".into();
    let a = http_support::request(to, std::net::Ipv4Addr::LOCALHOST, &head, "");
    assert_eq!(a.status, 200, "public side answers any name");
    head = "GET /staff/ HTTP/1.1\r\nHost: localhost:1234".into();
    let a = http_support::request(to, std::net::Ipv4Addr::LOCALHOST, &head, "");
    assert_eq!(a.status, 200, "localhost is a configured name");

    // A change from another origin, or from a sibling of the same site, is refused.
    let a = login(to, &["Origin: http://attacker.example"]);
    assert_eq!((a.status, a.code().as_str()), (403, "origin_not_allowed"));
    let a = login(to, &["Origin: null"]);
    assert_eq!(a.code(), "origin_not_allowed");
    let a = login(to, &[&own, "Sec-Fetch-Site: same-site"]);
    assert_eq!(a.code(), "origin_not_allowed");

    // The page's own origin, or a client without one, reaches the login itself.
    let a = login(to, &[&own, "Sec-Fetch-Site: same-origin"]);
    assert_eq!((a.status, a.code().as_str()), (401, "bad_credentials"));
    let a = login(to, &[]);
    assert_eq!(a.code(), "bad_credentials");
}

#[test]
fn configured_names_are_admitted() {
    let db = TestDb::sqlite();
    let served = Served::start_with(
        &db,
        &[
            ("SSKIOSK__HTTP__ALLOWED_HOSTS", "[\"window.hrss.example\"]"),
            (
                "SSKIOSK__CERTIFICATE__PUBLIC_BASE_URL",
                "https://verify.hrss.example",
            ),
        ],
    );
    let to = address(&served.base);
    let named = "Host: window.hrss.example:8443";
    let head = format!("GET /api/staff/session HTTP/1.1\r\n{named}");
    let a = http_support::request(to, std::net::Ipv4Addr::LOCALHOST, &head, "");
    assert_eq!((a.status, a.code().as_str()), (401, "not_signed_in"));
    let head = format!("GET /api/staff/session HTTP/1.1\r\nHost: {to}");
    let a = http_support::request(to, std::net::Ipv4Addr::LOCALHOST, &head, "");
    assert_eq!(
        a.code(),
        "host_not_allowed",
        "127.0.0.1 is no longer configured"
    );
}
