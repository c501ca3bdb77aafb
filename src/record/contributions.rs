//! A person's monthly contribution rows for chosen insurances and a month range: the detail a
//! certificate's table is folded from (the unified record only keeps the totals).

use super::rows::ContributionRow;
use super::{convert, RecordError};
use crate::db::{schema::contributions, DbConn};
use crate::domain::record::Contribution;
use crate::domain::{CitizenId, Insurance, Month};
use diesel::prelude::*;

/// Contributions of `ssn` in `from..=to` (either end open when `None`) for `insurances` (every
/// insurance when empty), ordered by insurance then month.
pub fn contributions(
    conn: &mut DbConn,
    ssn: &CitizenId,
    insurances: &[Insurance],
    from: Option<Month>,
    to: Option<Month>,
) -> Result<Vec<Contribution>, RecordError> {
    let mut query = contributions::table
        .filter(contributions::ssn.eq(ssn.as_str()))
        .select(ContributionRow::as_select())
        .order((contributions::insurance, contributions::period))
        .into_boxed();
    if !insurances.is_empty() {
        let codes: Vec<&str> = insurances.iter().map(|i| i.code()).collect();
        query = query.filter(contributions::insurance.eq_any(codes));
    }
    if let Some(from) = from {
        query = query.filter(contributions::period.ge(from.number()));
    }
    if let Some(to) = to {
        query = query.filter(contributions::period.le(to.number()));
    }
    let rows: Vec<ContributionRow> = query.load(conn)?;
    convert(rows)
}
