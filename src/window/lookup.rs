//! A walk-in lookup: by ID number (its check character validated before any query), by name
//! and birth date, or by the card in the window's reader (see [`super::card_reader`]). Every
//! lookup, found or not, is appended to the audit log with the clerk and the purpose before
//! anything is shown.

use super::{audit_staff, eligibility, Purpose, WindowError};
use crate::db::schema::{certificates, persons};
use crate::db::DbConn;
use crate::domain::record::UnifiedRecord;
use crate::domain::CitizenId;
use crate::staff::Staff;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

/// How the clerk named the citizen.
#[derive(Debug, Clone)]
pub enum By {
    /// Typed (or scanned) ID number, not yet validated.
    Ssn(String),
    /// A name, with the birth date when the citizen gave it; without one, the candidates are
    /// listed (with birth date and region) for the clerk to ask which.
    NameAndBirth {
        name: String,
        birth_date: Option<NaiveDate>,
    },
    /// Already validated: read from the window's card reader, or the one match of a name.
    Known { id: CitizenId, how: &'static str },
}

/// A certificate of the citizen, as listed at the window.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct CertificateSummary {
    pub serial: String,
    pub kind: String,
    #[schema(value_type = String)]
    pub issued_at: NaiveDateTime,
    #[schema(value_type = Option<String>)]
    pub revoked_at: Option<NaiveDateTime>,
    pub revoke_reason: Option<String>,
    pub superseded_by: Option<String>,
}

/// One of several people with the same name and birth date.
#[derive(Debug, Clone, Queryable, Serialize, utoipa::ToSchema)]
pub struct Candidate {
    pub ssn: String,
    pub name: String,
    pub gender: String,
    #[schema(value_type = String)]
    pub birth_date: NaiveDate,
    pub region_code: String,
}

/// What the window shows: either one citizen, or the candidates to choose from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LookupAnswer {
    #[schema(value_type = Option<Object>)]
    pub record: Option<UnifiedRecord>,
    pub certificates: Vec<CertificateSummary>,
    pub eligibility: Vec<eligibility::Certification>,
    /// Several people matched a name and birth date: look one of them up by ID number.
    pub candidates: Vec<Candidate>,
    /// A pending fund-safety case (issue 12): the clerk sees that there is one, no detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fund_safety: Option<crate::checks::cases::FundSafetyNotice>,
}

pub fn lookup(
    conn: &mut DbConn,
    who: &Staff,
    by: By,
    purpose: &Purpose,
    rules: &crate::domain::unemployment::UnemploymentRules,
    now: NaiveDateTime,
) -> Result<LookupAnswer, WindowError> {
    let (ssn, how) = match by {
        By::Known { id, how } => (id, how),
        // As typed or pasted: spaces, hyphens, full-width digits and 15-digit numbers are fine.
        By::Ssn(text) => match CitizenId::parse_loose(&text) {
            Ok(id) => (id, "by ID number"),
            Err(e) => {
                // Nothing was looked up, but the attempt is a look at personal data: record it.
                let detail = Some(format!("refused: {e}"));
                audit_staff(
                    conn,
                    who,
                    "record.view",
                    None,
                    Some(purpose.as_str()),
                    "refused",
                    detail,
                    now,
                )?;
                return Err(e.into());
            }
        },
        By::NameAndBirth { name, birth_date } => {
            return by_name(conn, who, &name, birth_date, purpose, rules, now)
        }
    };
    // The province's unemployment rules ([unemployment]), as at the kiosk.
    let today = crate::record::bureau_today();
    let record =
        crate::record::unified_record_with(conn, &ssn, today, rules).map_err(|e| match e {
            crate::record::RecordError::Db(d) => WindowError::Db(d),
            other => WindowError::Conflict(other.to_string()),
        })?;
    // The look is recorded before anything is shown, found or not.
    let result = if record.is_some() { "ok" } else { "not_found" };
    audit_staff(
        conn,
        who,
        "record.view",
        Some(ssn.as_str()),
        Some(purpose.as_str()),
        result,
        Some(how.into()),
        now,
    )?;
    let Some(record) = record else {
        return Err(WindowError::NotFound(format!(
            "no citizen with ID number {} in the store",
            ssn.masked()
        )));
    };
    let supervisor = who.role().includes(crate::staff::Role::Supervisor);
    Ok(LookupAnswer {
        record: Some(record),
        certificates: certificates_of(conn, ssn.as_str())?,
        eligibility: eligibility::of(conn, ssn.as_str())?,
        candidates: Vec::new(),
        fund_safety: crate::checks::cases::notice(conn, ssn.as_str(), supervisor)?,
    })
}

fn by_name(
    conn: &mut DbConn,
    who: &Staff,
    name: &str,
    birth_date: Option<NaiveDate>,
    purpose: &Purpose,
    rules: &crate::domain::unemployment::UnemploymentRules,
    now: NaiveDateTime,
) -> Result<LookupAnswer, WindowError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(WindowError::BadInput(
            "name must be 1 to 50 characters".into(),
        ));
    }
    let mut query = persons::table
        .filter(persons::name.eq(name))
        .select((
            persons::ssn,
            persons::name,
            persons::gender,
            persons::birth_date,
            persons::region_code,
        ))
        .order(persons::ssn)
        .limit(20)
        .into_boxed();
    if let Some(day) = birth_date {
        query = query.filter(persons::birth_date.eq(day));
    }
    let found: Vec<Candidate> = query.load(conn)?;
    // A name alone never opens a record by itself: the clerk picks the person.
    let count = match (found.len(), birth_date) {
        (1, None) => 2,
        (n, _) => n,
    };
    match count {
        0 => {
            audit_staff(
                conn,
                who,
                "record.search",
                None,
                Some(purpose.as_str()),
                "not_found",
                Some("by name and birth date".into()),
                now,
            )?;
            Err(WindowError::NotFound(
                "no citizen with this name and birth date; check both, or ask for the ID number"
                    .into(),
            ))
        }
        1 => {
            let id = CitizenId::parse(&found[0].ssn)
                .map_err(|e| WindowError::Conflict(format!("stored ID number is invalid: {e}")))?;
            let how = "by name and birth date";
            lookup(conn, who, By::Known { id, how }, purpose, rules, now)
        }
        _ => {
            let n = found.len();
            let with = if birth_date.is_some() {
                " and birth date"
            } else {
                ""
            };
            // Each candidate's ID number was shown: one entry per person.
            for c in &found {
                audit_staff(
                    conn,
                    who,
                    "record.search",
                    Some(&c.ssn),
                    Some(purpose.as_str()),
                    "ok",
                    Some(format!("one of {n} with this name{with}")),
                    now,
                )?;
            }
            Ok(LookupAnswer {
                record: None,
                certificates: Vec::new(),
                eligibility: Vec::new(),
                candidates: found,
                fund_safety: None,
            })
        }
    }
}

/// The citizen's certificates, newest first.
pub fn certificates_of(
    conn: &mut DbConn,
    ssn: &str,
) -> Result<Vec<CertificateSummary>, WindowError> {
    Ok(certificates::table
        .filter(certificates::ssn.eq(ssn))
        .order(certificates::issued_at.desc())
        .select((
            certificates::serial,
            certificates::kind,
            certificates::issued_at,
            certificates::revoked_at,
            certificates::revoke_reason,
            certificates::superseded_by,
        ))
        .limit(200)
        .load(conn)?)
}
