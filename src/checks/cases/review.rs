//! A supervisor's decision on a case, audited with their name in the same transaction.

use super::CaseState;
use crate::audit::{self, NewEntry};
use crate::checks::ChecksError;
use crate::db::schema::fund_cases;
use crate::db::DbConn;
use crate::domain::Fen;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What a supervisor does to a case.
#[derive(Debug, Clone)]
pub enum Change {
    /// open → under_review: payment suspended while it is checked (暂停发放), with what was asked.
    Review { note: String },
    /// under_review → confirmed, with the amount to recover and the basis.
    Confirm { recover: Fen, basis: String },
    /// open or under_review → cleared, with the reason.
    Clear { reason: String },
    /// confirmed: what the paying system has recovered so far.
    Recovered { amount: Fen },
}

impl Change {
    fn action(&self) -> &'static str {
        match self {
            Change::Review { .. } => "case.review",
            Change::Confirm { .. } => "case.confirm",
            Change::Clear { .. } => "case.clear",
            Change::Recovered { .. } => "case.recovered",
        }
    }

    fn allowed_from(&self) -> &'static [CaseState] {
        match self {
            Change::Review { .. } => &[CaseState::Open],
            Change::Confirm { .. } => &[CaseState::UnderReview],
            Change::Clear { .. } => &[CaseState::Open, CaseState::UnderReview],
            Change::Recovered { .. } => &[CaseState::Confirmed],
        }
    }

    fn check(&self) -> Result<(), ChecksError> {
        let refuse = |m: &str| Err(ChecksError::BadInput(m.into()));
        let text_ok = |t: &str| !t.trim().is_empty() && t.chars().count() <= 500;
        match self {
            Change::Review { note } if !text_ok(note) => {
                refuse("say what was asked (1 to 500 characters), e.g. 暂停发放 pending the check")
            }
            Change::Confirm { basis, .. } if !text_ok(basis) => {
                refuse("a confirmation needs its basis (1 to 500 characters)")
            }
            Change::Clear { reason } if !text_ok(reason) => {
                refuse("clearing a case needs the reason (1 to 500 characters)")
            }
            _ => Ok(()),
        }
    }
}

/// Applies `change` to case `id` as `actor` (`staff:<username>`) and returns the new state.
pub fn change(
    conn: &mut DbConn,
    id: i64,
    change: &Change,
    actor: &str,
    now: NaiveDateTime,
) -> Result<CaseState, ChecksError> {
    change.check()?;
    audit::atomically(conn, |conn| {
        let (ssn, state): (String, String) = fund_cases::table
            .find(id)
            .select((fund_cases::ssn, fund_cases::state))
            .first(conn)
            .optional()?
            .ok_or(ChecksError::NoCase(id))?;
        let state = CaseState::parse(&state)
            .ok_or_else(|| ChecksError::Corrupt(format!("fund_cases {id}: state {state}")))?;
        if !change.allowed_from().contains(&state) {
            return Err(ChecksError::Refused(format!(
                "case {id} is {}: {} is not possible now",
                state.code(),
                change.action()
            )));
        }
        let row = fund_cases::table.find(id);
        let stamp = (
            fund_cases::updated_at.eq(now),
            fund_cases::updated_by.eq(Some(actor)),
        );
        let (new_state, detail) = match change {
            Change::Review { note } => {
                diesel::update(row)
                    .set((
                        stamp,
                        fund_cases::state.eq("under_review"),
                        fund_cases::note.eq(note),
                    ))
                    .execute(conn)?;
                (CaseState::UnderReview, note.clone())
            }
            Change::Confirm { recover, basis } => {
                diesel::update(row)
                    .set((
                        stamp,
                        fund_cases::state.eq("confirmed"),
                        fund_cases::recover_amount.eq(recover.0),
                        fund_cases::note.eq(basis),
                    ))
                    .execute(conn)?;
                (CaseState::Confirmed, format!("recover {recover}: {basis}"))
            }
            Change::Clear { reason } => {
                diesel::update(row)
                    .set((
                        stamp,
                        fund_cases::state.eq("cleared"),
                        fund_cases::note.eq(reason),
                    ))
                    .execute(conn)?;
                (CaseState::Cleared, reason.clone())
            }
            Change::Recovered { amount } => {
                diesel::update(row)
                    .set((stamp, fund_cases::recovered_amount.eq(amount.0)))
                    .execute(conn)?;
                (CaseState::Confirmed, format!("recovered {amount}"))
            }
        };
        audit::append(
            conn,
            &NewEntry {
                actor: actor.to_string(),
                action: change.action().into(),
                subject_ssn: Some(ssn),
                purpose: None,
                result: "ok".into(),
                detail: Some(format!("case {id}: {detail}")),
            },
            now,
        )?;
        Ok(new_state)
    })
}
