//! A cumulative Prometheus histogram: fixed upper bounds, a count and a sum, rendered as the
//! `_bucket`/`_sum`/`_count` series of one metric. Callers hold it behind their own lock.

use std::fmt::Write;

#[derive(Debug, Clone)]
pub struct Histogram {
    bounds: &'static [f64],
    buckets: Vec<u64>,
    count: u64,
    sum: f64,
}

impl Histogram {
    pub fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            buckets: vec![0; bounds.len()],
            count: 0,
            sum: 0.0,
        }
    }

    pub fn observe(&mut self, value: f64) {
        for (bucket, bound) in self.buckets.iter_mut().zip(self.bounds) {
            if value <= *bound {
                *bucket += 1;
            }
        }
        self.count += 1;
        self.sum += value;
    }

    /// The series of `name`; `labels` (already escaped, e.g. `route="/healthz"`) go before `le`.
    pub fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (n, bound) in self.buckets.iter().zip(self.bounds) {
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {n}");
        }
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}\n{name}_sum{braces} {}\n{name}_count{braces} {}",
            self.count, self.sum, self.count
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_labels_optional() {
        let mut h = Histogram::new(&[1.0, 4.0]);
        h.observe(1.0);
        h.observe(3.0);
        h.observe(9.0);
        let mut out = String::new();
        h.render(&mut out, "x", "");
        assert_eq!(
            out,
            "x_bucket{le=\"1\"} 1\nx_bucket{le=\"4\"} 2\nx_bucket{le=\"+Inf\"} 3\nx_sum 13\nx_count 3\n"
        );
        let mut out = String::new();
        h.render(&mut out, "x", "route=\"/a\"");
        assert!(out.contains("x_bucket{route=\"/a\",le=\"4\"} 2\n"));
        assert!(out.contains("x_count{route=\"/a\"} 3\n"));
    }
}
