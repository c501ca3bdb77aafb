//! The staff pages and API answer only to this node's own names (`Host`), and accept a state
//! change only from their own origin (`Origin`, `Sec-Fetch-Site`). This defeats DNS rebinding
//! and cross-origin form posts in front of the CSRF token. Clients that send no `Origin`
//! (command-line tools) still need the session's CSRF token.

use super::Refusal;
use actix_web::dev::ServiceRequest;
use actix_web::http::{header, Method};

#[derive(Debug, Clone)]
pub struct AllowedHosts(Vec<String>);

impl AllowedHosts {
    pub fn from_config(config: &crate::config::Config) -> AllowedHosts {
        let mut names: Vec<String> = config
            .http
            .allowed_hosts
            .iter()
            .map(|h| {
                h.trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_ascii_lowercase()
            })
            .collect();
        // The verification pages' published address must work wherever it points.
        if let Some(public) = authority_of(&config.certificate.public_base_url) {
            names.push(name_of(public));
        }
        AllowedHosts(names)
    }

    fn allows(&self, authority: &str) -> bool {
        let name = name_of(authority);
        self.0.contains(&name)
    }
}

/// Only the staff side is checked: the public verification pages answer to any name (a proxy
/// may publish them under several), and the kiosk API has its own gate (issue 10).
fn guarded(path: &str) -> bool {
    path.starts_with("/api/staff/") || path == "/staff/" || path == "/staff"
}

pub fn check(req: &ServiceRequest, hosts: &AllowedHosts) -> Result<(), Refusal> {
    if !guarded(req.path()) {
        return Ok(());
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .ok_or(Refusal::HostNotAllowed)?;
    if !hosts.allows(&host) {
        return Err(Refusal::HostNotAllowed);
    }
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.as_bytes(), b"same-origin" | b"none") {
            return Err(Refusal::OriginNotAllowed);
        }
    }
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        None => Ok(()),
        Some(Ok(origin)) if authority_of(origin).is_some_and(|a| a.eq_ignore_ascii_case(&host)) => {
            Ok(())
        }
        Some(_) => Err(Refusal::OriginNotAllowed),
    }
}

/// `host[:port]` of `scheme://host[:port][/…]`; `None` for anything else (e.g. `null`).
fn authority_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty() && !authority.contains('@')).then_some(authority)
}

/// The name of `host[:port]` or `[v6]:port`, lower-cased, without brackets or port.
fn name_of(authority: &str) -> String {
    let name = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else {
        match authority.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => authority,
        }
    };
    name.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_port_and_brackets() {
        assert_eq!(name_of("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(name_of("[::1]:8080"), "::1");
        assert_eq!(name_of("Window.Example"), "window.example");
    }

    #[test]
    fn an_origin_has_an_authority_and_null_has_none() {
        assert_eq!(
            authority_of("http://127.0.0.1:8080"),
            Some("127.0.0.1:8080")
        );
        assert_eq!(authority_of("https://a.example/x"), Some("a.example"));
        assert_eq!(authority_of("null"), None);
        assert_eq!(authority_of("http://u@evil.example"), None);
    }
}
