//! Runs of consecutive months (2015-04 — 2015-08): how gaps and arrears are folded and told.

use super::Month;
use serde::Serialize;

/// A run of consecutive months, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthRange {
    pub from: Month,
    pub to: Month,
    pub months: u32,
}

/// The runs of months in `first..=last` that are absent from the sorted `present`.
pub(super) fn missing_runs(first: Month, last: Month, present: &[Month]) -> Vec<MonthRange> {
    let mut present = present.iter().peekable();
    let mut missing = Vec::new();
    for month in first.through(last) {
        while present.next_if(|p| **p < month).is_some() {}
        if present.next_if_eq(&&month).is_none() {
            missing.push(month);
        }
    }
    runs(&missing)
}

/// Folds sorted months into runs of consecutive months.
pub fn runs(sorted: &[Month]) -> Vec<MonthRange> {
    let mut out: Vec<MonthRange> = Vec::new();
    for &m in sorted {
        match out.last_mut() {
            Some(run) if run.to.next() == m => {
                run.to = m;
                run.months += 1;
            }
            Some(run) if run.to == m => {}
            _ => out.push(MonthRange {
                from: m,
                to: m,
                months: 1,
            }),
        }
    }
    out
}
