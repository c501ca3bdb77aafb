//! Request counters and latency histograms, kept by the hardening middleware per route *pattern*
//! (`/api/verify/{serial}`, never the serial: no personal data in a label, and a bounded number
//! of series whatever clients send).

use super::histogram::Histogram;
use actix_web::http::Method;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds (Prometheus' defaults, which span a cached
/// /healthz to a slow import upload).
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

struct Route {
    by_status: HashMap<(Method, u16), u64>,
    latency: Histogram,
}

impl Default for Route {
    fn default() -> Self {
        Route {
            by_status: HashMap::new(),
            latency: Histogram::new(&BUCKETS),
        }
    }
}

#[derive(Default)]
pub struct Requests {
    routes: Mutex<HashMap<String, Route>>,
    refusals: Mutex<HashMap<&'static str, u64>>,
}

impl Requests {
    pub fn record(&self, route: &str, method: &Method, status: u16, took: Duration) {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let r = match routes.get_mut(route) {
            Some(r) => r,
            None => routes.entry(route.to_string()).or_default(),
        };
        *r.by_status.entry((method.clone(), status)).or_default() += 1;
        r.latency.observe(took.as_secs_f64());
    }

    /// A refusal of the middleware, by its stable code.
    pub fn refused(&self, code: &'static str) {
        *self
            .refusals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(code)
            .or_default() += 1;
    }

    /// The Prometheus text of the counters.
    pub fn render(&self, out: &mut String) {
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let mut names: Vec<&String> = routes.keys().collect();
        names.sort();
        out.push_str("# HELP sskiosk_http_requests_total Requests answered, by route pattern, method and status.\n# TYPE sskiosk_http_requests_total counter\n");
        for name in &names {
            let mut rows: Vec<_> = routes[*name].by_status.iter().collect();
            rows.sort_by_key(|((m, s), _)| (m.as_str().to_string(), *s));
            for ((method, status), n) in rows {
                let _ = writeln!(
                    out,
                    "sskiosk_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                    label(name)
                );
            }
        }
        out.push_str("# HELP sskiosk_http_request_duration_seconds Time to the response head, by route pattern.\n# TYPE sskiosk_http_request_duration_seconds histogram\n");
        for name in &names {
            let labels = format!("route=\"{}\"", label(name));
            routes[*name]
                .latency
                .render(out, "sskiosk_http_request_duration_seconds", &labels);
        }
        out.push_str("# HELP sskiosk_http_refusals_total Requests refused before any handler, by code.\n# TYPE sskiosk_http_refusals_total counter\n");
        let refusals = self.refusals.lock().unwrap_or_else(|p| p.into_inner());
        let mut codes: Vec<_> = refusals.iter().collect();
        codes.sort();
        for (code, n) in codes {
            let _ = writeln!(out, "sskiosk_http_refusals_total{{code=\"{code}\"}} {n}");
        }
    }
}

/// A label value with Prometheus' three escapes.
pub(super) fn label(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_buckets_are_cumulative() {
        let r = Requests::default();
        r.record("/healthz", &Method::GET, 200, Duration::from_millis(2));
        r.record("/healthz", &Method::GET, 200, Duration::from_millis(200));
        r.refused("host_not_allowed");
        let mut out = String::new();
        r.render(&mut out);
        assert!(out.contains(
            "sskiosk_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(out.contains(
            "sskiosk_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 1"
        ));
        assert!(out.contains(
            "sskiosk_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.25\"} 2"
        ));
        assert!(out.contains("sskiosk_http_refusals_total{code=\"host_not_allowed\"} 1"));
    }
}
