//! Reading cases back: the supervisor's worklist, one case with its evidence, the figures per
//! rule, the CSV for the paying system, and whether a citizen has a pending case (the clerk's
//! banner).

use super::CaseState;
use crate::checks::{ChecksError, Evidence, Rule};
use crate::db::schema::{fund_cases, persons};
use crate::db::DbConn;
use crate::domain::{Fen, Month};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Queryable, Selectable)]
#[diesel(table_name = fund_cases)]
struct CaseRow {
    id: i64,
    rule: String,
    ssn: String,
    anchor: String,
    first_month: i32,
    last_month: i32,
    amount_at_risk: i64,
    evidence: String,
    state: String,
    opened_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    updated_by: Option<String>,
    recover_amount: Option<i64>,
    recovered_amount: Option<i64>,
    note: Option<String>,
}

/// One line of the worklist.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    pub id: i64,
    pub rule: Rule,
    pub rule_name_zh: &'static str,
    pub ssn: String,
    pub name: Option<String>,
    /// YYYY-MM.
    pub first_month: Option<String>,
    pub last_month: Option<String>,
    /// Yuan, e.g. "1234.50".
    #[schema(value_type = String)]
    pub amount_at_risk: Fen,
    pub state: CaseState,
    #[schema(value_type = String)]
    pub opened_at: NaiveDateTime,
    #[schema(value_type = String)]
    pub updated_at: NaiveDateTime,
    pub updated_by: Option<String>,
}

/// A case page: the summary, what it is anchored on, every evidence row and the decision.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub anchor: String,
    pub evidence: Vec<Evidence>,
    #[schema(value_type = Option<String>)]
    pub recover_amount: Option<Fen>,
    #[schema(value_type = Option<String>)]
    pub recovered_amount: Option<Fen>,
    /// What was asked under review, the basis of a confirmation, or the reason of a clearing.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Largest amount at risk first.
    Amount,
    /// Oldest first.
    Age,
    /// By rule, then amount.
    Rule,
}

pub struct Listing {
    /// `None`: the pending ones (open and under review).
    pub state: Option<CaseState>,
    pub rule: Option<Rule>,
    pub sort: Sort,
    pub limit: i64,
}

fn summary(row: &CaseRow, name: Option<String>) -> Result<CaseSummary, ChecksError> {
    let corrupt = |what: &str| ChecksError::Corrupt(format!("fund_cases {}: {what}", row.id));
    let rule = Rule::parse(&row.rule).ok_or_else(|| corrupt("unknown rule"))?;
    let month = |n: i32| Month::from_number(n).map(|m| m.to_string());
    Ok(CaseSummary {
        id: row.id,
        rule,
        rule_name_zh: rule.name_zh(),
        ssn: row.ssn.clone(),
        name,
        first_month: month(row.first_month),
        last_month: month(row.last_month),
        amount_at_risk: Fen(row.amount_at_risk),
        state: CaseState::parse(&row.state).ok_or_else(|| corrupt("unknown state"))?,
        opened_at: row.opened_at,
        updated_at: row.updated_at,
        updated_by: row.updated_by.clone(),
    })
}

fn with_names(conn: &mut DbConn, rows: &[CaseRow]) -> Result<Vec<CaseSummary>, ChecksError> {
    let ssns: Vec<&str> = rows.iter().map(|r| r.ssn.as_str()).collect();
    let names: std::collections::HashMap<String, String> = persons::table
        .filter(persons::ssn.eq_any(ssns))
        .select((persons::ssn, persons::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    rows.iter()
        .map(|r| summary(r, names.get(&r.ssn).cloned()))
        .collect()
}

pub fn list(conn: &mut DbConn, listing: &Listing) -> Result<Vec<CaseSummary>, ChecksError> {
    let mut query = fund_cases::table
        .select(CaseRow::as_select())
        .limit(listing.limit.clamp(1, 1_000))
        .into_boxed();
    query = match listing.state {
        Some(state) => query.filter(fund_cases::state.eq(state.code())),
        None => query.filter(
            fund_cases::state.eq_any([CaseState::Open.code(), CaseState::UnderReview.code()]),
        ),
    };
    if let Some(rule) = listing.rule {
        query = query.filter(fund_cases::rule.eq(rule.code()));
    }
    query = match listing.sort {
        Sort::Amount => query.order((fund_cases::amount_at_risk.desc(), fund_cases::id)),
        Sort::Age => query.order((fund_cases::opened_at, fund_cases::id)),
        Sort::Rule => query.order((
            fund_cases::rule,
            fund_cases::amount_at_risk.desc(),
            fund_cases::id,
        )),
    };
    let rows: Vec<CaseRow> = query.load(conn)?;
    with_names(conn, &rows)
}

pub fn case(conn: &mut DbConn, id: i64) -> Result<CaseDetail, ChecksError> {
    let row: CaseRow = fund_cases::table
        .find(id)
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ChecksError::NoCase(id))?;
    let evidence: Vec<Evidence> = serde_json::from_str(&row.evidence)
        .map_err(|e| ChecksError::Corrupt(format!("fund_cases {id} evidence: {e}")))?;
    let summary = with_names(conn, std::slice::from_ref(&row))?.remove(0);
    Ok(CaseDetail {
        summary,
        anchor: row.anchor,
        evidence,
        recover_amount: row.recover_amount.map(Fen),
        recovered_amount: row.recovered_amount.map(Fen),
        note: row.note,
    })
}

/// One rule's line of the figures.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct RuleFigures {
    pub rule: Option<Rule>,
    pub rule_name_zh: &'static str,
    pub cases: u64,
    pub pending: u64,
    #[schema(value_type = String)]
    pub amount_at_risk: Fen,
    pub confirmed: u64,
    #[schema(value_type = String)]
    pub to_recover: Fen,
    #[schema(value_type = String)]
    pub recovered: Fen,
    pub cleared: u64,
}

/// Cases, amount at risk (of cases not cleared), confirmed, to recover and recovered, per rule.
pub fn figures(conn: &mut DbConn) -> Result<Vec<RuleFigures>, ChecksError> {
    let rows: Vec<CaseRow> = fund_cases::table.select(CaseRow::as_select()).load(conn)?;
    let mut out: Vec<RuleFigures> = Rule::ALL
        .iter()
        .map(|r| RuleFigures {
            rule: Some(*r),
            rule_name_zh: r.name_zh(),
            ..RuleFigures::default()
        })
        .collect();
    for row in rows {
        let Some(f) = out
            .iter_mut()
            .find(|f| f.rule.is_some_and(|r| r.code() == row.rule))
        else {
            continue;
        };
        let state = CaseState::parse(&row.state);
        f.cases += 1;
        if state.is_some_and(CaseState::is_pending) {
            f.pending += 1;
        }
        if state == Some(CaseState::Cleared) {
            f.cleared += 1;
        } else {
            f.amount_at_risk = f.amount_at_risk + Fen(row.amount_at_risk);
        }
        if state == Some(CaseState::Confirmed) {
            f.confirmed += 1;
            f.to_recover = f.to_recover + Fen(row.recover_amount.unwrap_or(0));
            f.recovered = f.recovered + Fen(row.recovered_amount.unwrap_or(0));
        }
    }
    Ok(out)
}

/// Confirmed cases as CSV for the paying system: what to stop and recover, and why.
pub fn export_csv(conn: &mut DbConn) -> Result<String, ChecksError> {
    let rows: Vec<CaseRow> = fund_cases::table
        .filter(fund_cases::state.eq(CaseState::Confirmed.code()))
        .select(CaseRow::as_select())
        .order(fund_cases::id)
        .load(conn)?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "case_id",
        "rule",
        "ssn",
        "first_month",
        "last_month",
        "amount_at_risk",
        "recover_amount",
        "recovered_amount",
        "basis",
        "confirmed_by",
        "confirmed_at",
    ];
    let write_err = |e: csv::Error| ChecksError::Corrupt(format!("csv: {e}"));
    out.write_record(header).map_err(write_err)?;
    for r in rows {
        let month = |n: i32| Month::from_number(n).map_or(String::new(), |m| m.to_string());
        out.write_record([
            r.id.to_string(),
            r.rule,
            r.ssn,
            month(r.first_month),
            month(r.last_month),
            Fen(r.amount_at_risk).to_string(),
            r.recover_amount
                .map_or(String::new(), |f| Fen(f).to_string()),
            r.recovered_amount
                .map_or(String::new(), |f| Fen(f).to_string()),
            r.note.unwrap_or_default(),
            r.updated_by.unwrap_or_default(),
            r.updated_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        ])
        .map_err(write_err)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ChecksError::Corrupt(format!("csv: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The window's banner for a citizen with a pending case: a clerk learns only that there is one;
/// a supervisor also gets the case numbers to open.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FundSafetyNotice {
    pub message_zh: &'static str,
    /// Empty unless the staff member is a supervisor or admin.
    pub case_ids: Vec<i64>,
}

pub fn notice(
    conn: &mut DbConn,
    ssn: &str,
    supervisor: bool,
) -> QueryResult<Option<FundSafetyNotice>> {
    let ids: Vec<i64> = fund_cases::table
        .filter(fund_cases::ssn.eq(ssn))
        .filter(fund_cases::state.eq_any([CaseState::Open.code(), CaseState::UnderReview.code()]))
        .select(fund_cases::id)
        .order(fund_cases::id)
        .load(conn)?;
    Ok((!ids.is_empty()).then(|| FundSafetyNotice {
        message_zh: "该参保人有待核查的基金安全事项，办理待遇业务前请联系稽核主管。",
        case_ids: if supervisor { ids } else { Vec::new() },
    }))
}
