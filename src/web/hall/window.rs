//! The window's queue panel (`/api/staff/hall/*`): the clerk's current ticket and the waiting
//! list of the items this window serves, 叫号 and the actions on the current ticket, transfer,
//! reactivation of a no-show, an unbound ticket from the guide desk, and the record of the
//! citizen whose bound ticket this clerk is serving — opened with the item's purpose and audited
//! as the clerk's look, only while the ticket is this clerk's.

use super::hall_error;
use crate::hall::calling::{self, Action, Clerk};
use crate::hall::catalogue::Catalogue;
use crate::hall::ticket::{self, Ticket};
use crate::hall::{queue, ticket_pdf, HallError};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::staff::guard::{self, AsClerk, JsonBody};
use crate::web::{with_pooled, AppState};
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};

fn clerk(who: &AsClerk) -> Result<Clerk, ApiError> {
    let staff = who.staff();
    match &staff.window_no {
        Some(window) if !window.is_empty() => Ok(Clerk {
            username: staff.username.clone(),
            window: window.clone(),
        }),
        _ => Err(ApiError::Forbidden {
            code: "no_window",
            message: "您的账号没有窗口号，不能叫号（管理员可在账号管理中设置）".into(),
        }),
    }
}

/// The clerk's current ticket, without any personal data (the record is a separate, audited call).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Current {
    pub id: i64,
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub state: String,
    pub state_zh: String,
    pub recalls: i32,
    /// Bound to a card session: the record opens with the item's purpose.
    pub bound: bool,
    pub purpose: String,
    pub priority_reason: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WaitingTicket {
    pub id: i64,
    pub number: String,
    pub item_name: String,
    pub priority_reason: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemChoice {
    pub code: String,
    pub name: String,
    pub windows: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Panel {
    pub window: String,
    pub current: Option<Current>,
    /// In calling order.
    pub waiting: Vec<WaitingTicket>,
    /// Today's no-shows of this window's items, to reactivate.
    pub no_shows: Vec<WaitingTicket>,
    /// What a ticket can be transferred to.
    pub items: Vec<ItemChoice>,
}

fn name_of(catalogue: &Catalogue, code: &str) -> String {
    catalogue
        .item(code)
        .map(|i| i.name_zh.clone())
        .unwrap_or_else(|| code.to_string())
}

fn current_view(catalogue: &Catalogue, t: &Ticket) -> Current {
    Current {
        id: t.id,
        number: t.number.clone(),
        item_code: t.item_code.clone(),
        item_name: name_of(catalogue, &t.item_code),
        state: t.state.clone(),
        state_zh: ticket::state_zh(&t.state).into(),
        recalls: t.recalls,
        bound: t.ssn.is_some(),
        purpose: catalogue
            .item(&t.item_code)
            .map(|i| i.purpose.clone())
            .unwrap_or_else(|| "citizen_request".into()),
        priority_reason: t.priority_reason.clone(),
    }
}

fn panel_of(
    conn: &mut crate::db::DbConn,
    state: &AppState,
    clerk: &Clerk,
) -> Result<Panel, ApiError> {
    use crate::db::schema::hall_tickets as t;
    use diesel::prelude::*;
    let catalogue = super::current(conn, state)?;
    let config = &state.config.hall;
    let now = crate::hall::now();
    let items: Vec<String> = catalogue
        .served_at(&clerk.window)
        .map(|i| i.code.clone())
        .collect();
    let current = calling::current(conn, clerk).map_err(hall_error)?;
    let list = queue::waiting(conn, config, &items, now)?;
    let ids: Vec<i64> = list
        .iter()
        .filter(|w| w.window_no.as_deref().is_none_or(|w| w == clerk.window))
        .map(|w| w.id)
        .collect();
    let mut rows: Vec<Ticket> = t::table
        .filter(t::id.eq_any(&ids))
        .select(Ticket::as_select())
        .load(conn)?;
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    let brief = |r: &Ticket| WaitingTicket {
        id: r.id,
        number: r.number.clone(),
        item_name: name_of(&catalogue, &r.item_code),
        priority_reason: r.priority_reason.clone(),
    };
    let no_shows: Vec<Ticket> = t::table
        .filter(t::state.eq("no_show"))
        .filter(t::item_code.eq_any(&items))
        .filter(t::day.eq(config.hall_day(now)))
        .select(Ticket::as_select())
        .load(conn)?;
    Ok(Panel {
        window: clerk.window.clone(),
        current: current.as_ref().map(|c| current_view(&catalogue, c)),
        waiting: rows.iter().map(brief).collect(),
        no_shows: no_shows.iter().map(brief).collect(),
        items: catalogue
            .items
            .iter()
            .filter(|i| !i.windows.is_empty())
            .map(|i| ItemChoice {
                code: i.code.clone(),
                name: i.name_zh.clone(),
                windows: i.windows.clone(),
            })
            .collect(),
    })
}

#[utoipa::path(tag = "hall", responses((status = 200, body = Panel), (status = 401, body = ErrorBody), (status = 403, description = "no_window", body = ErrorBody)))]
#[get("/api/staff/hall/panel")]
pub async fn panel(state: web::Data<AppState>, who: AsClerk) -> Result<HttpResponse, ApiError> {
    let clerk = clerk(&who)?;
    let s = state.clone();
    let panel = with_pooled(&state.pool, move |conn| panel_of(conn, &s, &clerk)).await?;
    Ok(HttpResponse::Ok().json(panel))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallBody {
    /// A named waiting ticket (e.g. a reactivated no-show); none = the next in order.
    pub ticket: Option<i64>,
}

/// Runs one change of the calling use case and answers with the ticket as the panel shows it.
async fn change<F>(state: web::Data<AppState>, work: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut crate::db::DbConn, &AppState, &Catalogue) -> Result<Ticket, HallError>
        + Send
        + 'static,
{
    let s = state.clone();
    let view = with_pooled(&state.pool, move |conn| {
        let catalogue = super::current(conn, &s)?;
        let ticket = work(conn, &s, &catalogue).map_err(hall_error)?;
        Ok(current_view(&catalogue, &ticket))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// 叫号: the next ticket of this window's items, or the one named.
#[utoipa::path(tag = "hall", request_body = CallBody, responses((status = 200, body = Current), (status = 409, description = "ticket_state (finish the current one first), ticket_elsewhere, hall_refused (nobody waiting)", body = ErrorBody)))]
#[post("/api/staff/hall/call")]
pub async fn call(
    state: web::Data<AppState>,
    who: AsClerk,
    body: JsonBody<CallBody>,
) -> Result<HttpResponse, ApiError> {
    let clerk = clerk(&who)?;
    let body = guard::body(body)?;
    change(state, move |conn, s, catalogue| {
        calling::call(
            conn,
            &s.config.hall,
            catalogue,
            &clerk,
            body.ticket,
            crate::hall::now(),
        )
    })
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActBody {
    pub action: Action,
}

/// 重呼, 开始办理, 暂停, 继续, 完成, 过号 on this clerk's current ticket.
#[utoipa::path(tag = "hall", params(("id" = i64, Path)), request_body = ActBody, responses((status = 200, body = Current), (status = 409, description = "ticket_state (e.g. finished twice), ticket_elsewhere, too_soon", body = ErrorBody)))]
#[post("/api/staff/hall/tickets/{id}/act")]
pub async fn act(
    state: web::Data<AppState>,
    who: AsClerk,
    id: web::Path<i64>,
    body: JsonBody<ActBody>,
) -> Result<HttpResponse, ApiError> {
    let clerk = clerk(&who)?;
    let body = guard::body(body)?;
    let id = id.into_inner();
    change(state, move |conn, s, _| {
        calling::act(
            conn,
            &s.config.hall,
            &clerk,
            id,
            body.action,
            crate::hall::now(),
        )
    })
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    /// The item's 实施编码.
    pub item: String,
    /// Only this window may call it; none = any window of the item.
    pub window: Option<String>,
}

#[utoipa::path(tag = "hall", params(("id" = i64, Path)), request_body = TransferBody, responses((status = 200, body = Current), (status = 409, description = "hall_refused (closed item, window not serving it), ticket_state", body = ErrorBody)))]
#[post("/api/staff/hall/tickets/{id}/transfer")]
pub async fn transfer(
    state: web::Data<AppState>,
    who: AsClerk,
    id: web::Path<i64>,
    body: JsonBody<TransferBody>,
) -> Result<HttpResponse, ApiError> {
    let clerk = clerk(&who)?;
    let body = guard::body(body)?;
    let id = id.into_inner();
    change(state, move |conn, s, catalogue| {
        calling::transfer(
            conn,
            &s.config.hall,
            catalogue,
            &clerk,
            id,
            calling::Destination {
                item: &body.item,
                window: body.window.as_deref(),
            },
            crate::hall::now(),
        )
    })
    .await
}

#[utoipa::path(tag = "hall", params(("id" = i64, Path)), responses((status = 200, body = Current), (status = 409, body = ErrorBody)))]
#[post("/api/staff/hall/tickets/{id}/reactivate")]
pub async fn reactivate(
    state: web::Data<AppState>,
    who: AsClerk,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let clerk = clerk(&who)?;
    let id = id.into_inner();
    change(state, move |conn, _, _| {
        calling::reactivate(conn, &clerk, id, crate::hall::now())
    })
    .await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeskTicket {
    pub item: String,
    #[serde(default)]
    pub green_channel: bool,
}

/// A ticket bound to no one, from the guide desk (导服台) for a citizen without a card; printed
/// on the hall's ticket printer.
#[utoipa::path(tag = "hall", request_body = DeskTicket, responses((status = 201, body = crate::hall::ticket::Issued), (status = 422, body = ErrorBody)))]
#[post("/api/staff/hall/tickets")]
pub async fn desk_ticket(
    state: web::Data<AppState>,
    who: AsClerk,
    body: JsonBody<DeskTicket>,
) -> Result<HttpResponse, ApiError> {
    let body = guard::body(body)?;
    let actor = crate::staff::actor(&who.staff().username);
    let s = state.clone();
    let issued = with_pooled(&state.pool, move |conn| {
        let catalogue = super::current(conn, &s)?;
        let request = ticket::Request {
            item_code: &body.item,
            citizen: None,
            consent: false,
            green_channel: body.green_channel,
            issued_by: &actor,
        };
        let now = crate::hall::now();
        let issued =
            ticket::issue(conn, &s.config.hall, &catalogue, &request, now).map_err(hall_error)?;
        let config = &s.config;
        let printer = ticket_pdf::default_printer(config);
        ticket_pdf::print(conn, config, printer, &catalogue.hall.name, &issued, now)
            .map_err(hall_error)?;
        Ok(issued)
    })
    .await?;
    Ok(HttpResponse::Created().json(issued))
}

/// The record of the citizen whose bound ticket this clerk has called or is serving, looked up
/// with the item's purpose (audited as `record.view` by this clerk). Nobody else, and not once
/// the ticket is finished, transferred or a no-show.
#[utoipa::path(tag = "hall", responses((status = 200, body = crate::window::lookup::LookupAnswer), (status = 404, description = "no bound ticket being served here", body = ErrorBody)))]
#[get("/api/staff/hall/record")]
pub async fn record(state: web::Data<AppState>, who: AsClerk) -> Result<HttpResponse, ApiError> {
    use crate::window::lookup::{lookup, By};
    use crate::window::purpose::{Purpose, PurposeCode};
    let clerk = clerk(&who)?;
    let staff = who.session.staff.clone();
    let s = state.clone();
    let answer = with_pooled(&state.pool, move |conn| {
        let catalogue = super::current(conn, &s)?;
        let none = || ApiError::NotFound("本窗口当前没有绑定社保卡的号".into());
        let current = calling::current(conn, &clerk)
            .map_err(hall_error)?
            .ok_or_else(none)?;
        let ssn = current.ssn.clone().ok_or_else(none)?;
        let id = crate::domain::CitizenId::parse(&ssn)
            .map_err(|e| ApiError::Internal(format!("stored ticket ID number: {e}")))?;
        let view = current_view(&catalogue, &current);
        let code: PurposeCode = serde_json::from_value(serde_json::Value::String(view.purpose))
            .unwrap_or(PurposeCode::CitizenRequest);
        let note = format!("排队号 {} {}", current.number, view.item_name);
        let purpose = Purpose::new(code, Some(&note)).map_err(crate::web::staff::window_error)?;
        let by = By::Known {
            id,
            how: "by queue ticket",
        };
        lookup(
            conn,
            &staff,
            by,
            &purpose,
            &s.config.unemployment,
            crate::hall::now(),
        )
        .map_err(crate::web::staff::window_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(answer))
}
