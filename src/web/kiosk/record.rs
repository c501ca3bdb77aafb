//! The citizen's own record at the kiosk: overview, contribution detail by insurance and year,
//! benefits, employment, card status and who looked at the record. Each look is audited first.

use super::views::*;
use super::{store, KioskSession};
use crate::audit::{labels, search, Filter};
use crate::center::{sessions::Citizen, trail};
use crate::db::DbConn;
use crate::domain::record::{Contribution, UnifiedRecord};
use crate::domain::{CitizenId, Insurance};
use crate::web::error::{ApiError, ErrorBody};
use actix_web::{get, web, HttpResponse};
use chrono::Datelike;
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
    // The province's unemployment rules, for the outlook lines (docs/cross-checks.md).
    let rules = session.state.config.unemployment.clone();
    let overview = session
        .with_conn(move |conn, citizen| {
            trail::log(conn, citizen, "record.view", Some("overview".into())).map_err(store)?;
            let record = crate::record::unified_record_with(
                conn,
                &citizen.holder.ssn,
                crate::record::bureau_today(),
                &rules,
            )
            .map_err(store)?
            .ok_or_else(|| ApiError::NotFound("the record is no longer in the store".into()))?;
            let rows = all_contributions(conn, &citizen.holder.ssn)?;
            let mut overview = Overview::of(&record, &citizen.holder.card_no, |i| years(&rows, i));
            if record.is_pensioner() {
                let this_year = crate::record::bureau_today().year();
                let certified_on =
                    crate::window::eligibility::of(conn, citizen.holder.ssn.as_str())
                        .map_err(|e| ApiError::Unavailable(e.to_string()))?
                        .into_iter()
                        .find(|c| c.year == this_year)
                        .map(|c| crate::domain::bureau_time::date_of(c.certified_at));
                overview.pension = PensionView::of(&record, this_year, certified_on);
            }
            Ok(overview)
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
            let summary = record.insurances.iter().find(|s| s.insurance == insurance);
            let years = years(&rows, insurance);
            let year = q.year.or(years.last().copied()).unwrap_or(0);
            let this_month = crate::domain::Month::of_date(crate::record::bureau_today());
            let mut months: Vec<MonthCell> = (1..=12)
                .map(|month| MonthCell {
                    month,
                    status: empty_month(summary, year, month, this_month).into(),
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
                years_with_gaps: marked_years(summary.map(|s| s.gaps.as_slice())),
                years_with_arrears: marked_years(summary.map(|s| s.arrears.as_slice())),
                years,
                months,
                total_personal: total.to_string(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(grid))
}

/// What a month without a contribution row is: a gap (断缴) inside the gap ranges; this month
/// or later, not due yet (未到缴费期); after the last posted month of an enrolment still open,
/// not posted yet (待入账); otherwise (before the first payment, after the enrolment ended)
/// simply not insured then. "未参保" for a month not yet due frightens people (review K6).
fn empty_month(
    summary: Option<&crate::domain::record::InsuranceSummary>,
    year: i32,
    month: u32,
    this_month: crate::domain::Month,
) -> &'static str {
    let (Some(s), Some(m)) = (summary, crate::domain::Month::new(year, month)) else {
        return "none";
    };
    if s.gaps.iter().any(|g| g.from <= m && m <= g.to) {
        return "gap";
    }
    let open = s.status == Some(crate::domain::EnrolmentStatus::Active);
    let after_last = s.last_paid_month.is_some_and(|last| m > last);
    match (open && after_last, m >= this_month) {
        (true, true) => "not_due",
        (true, false) => "pending",
        _ => "none",
    }
}

/// The years any of `runs` touches, ascending.
fn marked_years(runs: Option<&[crate::domain::record::MonthRange]>) -> Vec<i32> {
    let set: BTreeSet<i32> = runs
        .unwrap_or_default()
        .iter()
        .flat_map(|r| r.from.year()..=r.to.year())
        .collect();
    set.into_iter().collect()
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
            // Read far enough back that one curious visit (many own views) cannot push the
            // staff looks out of sight; the visits are folded below.
            let entries = search(
                conn,
                &Filter {
                    subject_ssn: Some(citizen.holder.ssn.as_str().to_string()),
                    limit: 500,
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
            let mut lines: Vec<AccessEntry> = Vec::new();
            let mut visit_start: Option<chrono::NaiveDateTime> = None;
            for e in entries {
                let at = e.at;
                let line = access_entry(e, &staff);
                // Newest first: an own kiosk view within a visit's reach of the line above
                // (same kind, same kiosk) joins it.
                let joins = match (lines.last_mut(), visit_start) {
                    (Some(last), Some(start)) => {
                        last.who_kind == "kiosk"
                            && line.who_kind == "kiosk"
                            && last.who == line.who
                            && start - at <= chrono::Duration::minutes(VISIT_MINUTES)
                    }
                    _ => false,
                };
                if joins {
                    if let Some(last) = lines.last_mut() {
                        last.count += 1;
                    }
                    continue;
                }
                if lines.len() == 50 {
                    break;
                }
                visit_start = Some(at);
                lines.push(line);
            }
            for line in lines.iter_mut().filter(|l| l.who_kind == "kiosk") {
                line.action_zh = format!("本人自助查询 {} 次", line.count);
            }
            Ok(AccessLog { entries: lines })
        })
        .await?;
    Ok(HttpResponse::Ok().json(log))
}

/// Own kiosk views this close together are one visit (a kiosk session ends after minutes).
const VISIT_MINUTES: i64 = 30;

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
        _ if e.actor == "public" => ("public", labels::actor_zh(&e.actor)),
        _ => ("system", labels::actor_zh(&e.actor)),
    };
    AccessEntry {
        at: e.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        at_local: crate::domain::bureau_time::format_zh(e.at),
        who_kind: kind.into(),
        who,
        action_zh: labels::action_zh(&e.action).to_string(),
        action: e.action,
        purpose_zh: e.purpose.as_deref().map(labels::purpose_zh),
        purpose: e.purpose,
        count: 1,
    }
}
