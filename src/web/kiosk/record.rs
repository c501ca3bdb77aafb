//! The citizen's own record at the kiosk: overview, contribution detail by insurance and year,
//! benefits, employment, card status and who looked at the record. Each look is audited first.

use super::views::*;
use super::{store, KioskSession};
use crate::audit::{search, Filter};
use crate::center::{sessions::Citizen, trail};
use crate::db::DbConn;
use crate::domain::record::{Contribution, UnifiedRecord};
use crate::domain::{CitizenId, Insurance};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use std::collections::BTreeSet;

/// Audits the look, then loads the record (the person exists: the session was opened for them).
fn look(conn: &mut DbConn, citizen: &Citizen, view: &str) -> Result<UnifiedRecord, ApiError> {
    trail::log(conn, citizen, "record.view", Some(view.into())).map_err(store)?;
    crate::record::unified_record(conn, &citizen.holder.ssn)
        .map_err(store)?
        .ok_or_else(|| ApiError::NotFound("the record is no longer in the store".into()))
}

fn all_contributions(conn: &mut DbConn, ssn: &CitizenId) -> Result<Vec<Contribution>, ApiError> {
    crate::record::contributions::contributions(conn, ssn, &[], None, None).map_err(store)
}

fn years(rows: &[Contribution], insurance: Insurance) -> Vec<i32> {
    let set: BTreeSet<i32> = rows
        .iter()
        .filter(|c| c.insurance == insurance)
        .map(|c| c.period.year())
        .collect();
    set.into_iter().collect()
}

/// Name, card, each insurance (status, months paid, last paid month, gap months) and benefits.
#[utoipa::path(tag = "kiosk", security(("kiosk_token" = [])), responses((status = 200, body = Overview), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/api/kiosk/record")]
pub async fn overview(session: KioskSession) -> Result<HttpResponse, ApiError> {
    let overview = session
        .with_conn(|conn, citizen| {
            let record = look(conn, citizen, "overview")?;
            let rows = all_contributions(conn, &citizen.holder.ssn)?;
            Ok(Overview::of(&record, &citizen.holder.card_no, |i| {
                years(&rows, i)
            }))
        })
        .await?;
    Ok(HttpResponse::Ok().json(overview))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct GridQuery {
    /// Insurance code, e.g. `pension`.
    insurance: String,
    /// Calendar year; the latest year with contributions when absent.
    year: Option<i32>,
}

/// One insurance's contributions of one year as a month grid (paid, back-paid, arrears, none).
#[utoipa::path(tag = "kiosk", params(GridQuery), security(("kiosk_token" = [])), responses((status = 200, body = YearGrid), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/api/kiosk/contributions")]
pub async fn contributions(
    session: KioskSession,
    query: web::Query<GridQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let insurance = Insurance::parse(&q.insurance).map_err(|e| ApiError::Unprocessable {
        code: "invalid_insurance",
        message: e.to_string(),
    })?;
    let grid = session
        .with_conn(move |conn, citizen| {
            let record = look(
                conn,
                citizen,
                &format!("contributions {}", insurance.code()),
            )?;
            let rows = crate::record::contributions::contributions(
                conn,
                &citizen.holder.ssn,
                &[insurance],
                None,
                None,
            )
            .map_err(store)?;
            let gaps = record
                .insurances
                .iter()
                .find(|s| s.insurance == insurance)
                .map(|s| s.gaps.clone())
                .unwrap_or_default();
            let years = years(&rows, insurance);
            let year = q.year.or(years.last().copied()).unwrap_or(0);
            // A month without a row is a gap (断缴) inside the gap ranges; outside them (before
            // the first payment, after the enrolment ended) it is simply not insured then.
            let in_gap = |month: u32| {
                crate::domain::Month::new(year, month)
                    .is_some_and(|m| gaps.iter().any(|g| g.from <= m && m <= g.to))
            };
            let mut months: Vec<MonthCell> = (1..=12)
                .map(|month| MonthCell {
                    month,
                    status: if in_gap(month) { "gap" } else { "none" }.into(),
                    base: None,
                    personal: None,
                    employer: None,
                })
                .collect();
            let mut total = crate::domain::Fen(0);
            for c in rows
                .iter()
                .filter(|c| c.insurance == insurance && c.period.year() == year)
            {
                let cell = &mut months[c.period.month() as usize - 1];
                cell.status = c.status.code().into();
                cell.base = Some(c.base.to_string());
                cell.personal = Some(c.personal_amount.to_string());
                cell.employer = Some(c.employer_amount.to_string());
                // Arrears are owed, not paid: they do not count in the year's total.
                if c.status != crate::domain::ContributionStatus::Arrears {
                    total = total.checked_add(c.personal_amount).unwrap_or(total);
                }
            }
            Ok(YearGrid {
                insurance: insurance.code().into(),
                name_zh: insurance.name_zh().into(),
                year,
                years,
                months,
                total_personal: total.to_string(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(grid))
}

/// Every benefit payment, by benefit.
#[utoipa::path(tag = "kiosk", security(("kiosk_token" = [])), responses((status = 200, body = [BenefitList]), (status = 401, body = ErrorBody)))]
#[get("/api/kiosk/benefits")]
pub async fn benefits(session: KioskSession) -> Result<HttpResponse, ApiError> {
    let lists = session
        .with_conn(|conn, citizen| {
            let record = look(conn, citizen, "benefits")?;
            Ok(record
                .benefits
                .iter()
                .map(|b| BenefitList {
                    benefit: b.benefit.code().into(),
                    name_zh: b.name_zh.into(),
                    payments: b
                        .payments
                        .iter()
                        .map(|p| Payment {
                            month: p.period.to_string(),
                            amount: p.amount.to_string(),
                            paid_on: p.paid_on.map(|d| d.to_string()),
                        })
                        .collect(),
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(lists))
}

/// Employment and unemployment registrations (就业登记).
#[utoipa::path(tag = "kiosk", security(("kiosk_token" = [])), responses((status = 200, body = EmploymentList), (status = 401, body = ErrorBody)))]
#[get("/api/kiosk/employment")]
pub async fn employment(session: KioskSession) -> Result<HttpResponse, ApiError> {
    let list = session
        .with_conn(|conn, citizen| {
            let record = look(conn, citizen, "employment")?;
            Ok(EmploymentList {
                registrations: record
                    .employment
                    .iter()
                    .map(|r| EmploymentView {
                        kind: r.kind.code().into(),
                        kind_zh: r.kind.name_zh().into(),
                        employer_name: r.employer_name.clone(),
                        registered_on: r.registered_on.to_string(),
                        ended_on: r.ended_on.map(|d| d.to_string()),
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The inserted card as the store knows it (status, validity).
#[utoipa::path(tag = "kiosk", security(("kiosk_token" = [])), responses((status = 200, body = CardView), (status = 401, body = ErrorBody)))]
#[get("/api/kiosk/card")]
pub async fn card(session: KioskSession) -> Result<HttpResponse, ApiError> {
    let card = session
        .with_conn(|conn, citizen| {
            let record = look(conn, citizen, "card")?;
            Overview::of(&record, &citizen.holder.card_no, |_| Vec::new())
                .card
                .ok_or_else(|| ApiError::NotFound("this card is not on record".into()))
        })
        .await?;
    Ok(HttpResponse::Ok().json(card))
}

/// Who looked at this citizen's record, newest first (their own record only).
#[utoipa::path(tag = "kiosk", security(("kiosk_token" = [])), responses((status = 200, body = AccessLog), (status = 401, body = ErrorBody)))]
#[get("/api/kiosk/access-log")]
pub async fn access_log(session: KioskSession) -> Result<HttpResponse, ApiError> {
    let log = session
        .with_conn(|conn, citizen| {
            trail::log(conn, citizen, "record.view", Some("access log".into())).map_err(store)?;
            let entries = search(
                conn,
                &Filter {
                    subject_ssn: Some(citizen.holder.ssn.as_str().to_string()),
                    limit: 50,
                    ..Filter::default()
                },
            )
            .map_err(store)?;
            // Staff are named as the citizen would meet them: display name and window.
            let usernames: Vec<&str> = entries
                .iter()
                .filter_map(|e| e.actor.strip_prefix("staff:"))
                .collect();
            let staff = crate::staff::account::find_many(conn, &usernames)
                .map_err(|e| ApiError::Unavailable(e.to_string()))?;
            Ok(AccessLog {
                entries: entries
                    .into_iter()
                    .map(|e| access_entry(e, &staff))
                    .collect(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(log))
}

/// `窗口工作人员 王丽（3号窗口）`, or the account name when the account is gone.
fn staff_in_words(username: &str, staff: &[crate::staff::account::Staff]) -> String {
    match staff.iter().find(|s| s.username == username) {
        Some(s) => match &s.window_no {
            Some(w) if w.ends_with("窗口") => format!("窗口工作人员 {}（{w}）", s.display_name),
            Some(w) => format!("窗口工作人员 {}（{w}号窗口）", s.display_name),
            None => format!("工作人员 {}", s.display_name),
        },
        None => format!("工作人员 {username}"),
    }
}

/// The actor in words: staff accounts by name, kiosks as "this kiosk's kind", the rest by role.
fn access_entry(e: crate::audit::Entry, staff: &[crate::staff::account::Staff]) -> AccessEntry {
    let (kind, who) = match e.actor.split_once(':') {
        Some(("staff", name)) => ("staff", staff_in_words(name, staff)),
        Some(("kiosk", _)) => ("kiosk", "自助终端（本人刷卡）".to_string()),
        Some(("cli", _)) => ("system", "系统管理".to_string()),
        _ if e.actor == "public" => ("public", "证明核验".to_string()),
        _ => ("system", "系统".to_string()),
    };
    AccessEntry {
        at: e.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        who_kind: kind.into(),
        who,
        action: e.action,
        purpose: e.purpose,
    }
}
