//! The hall's terminals (admins): every node's report and what admins set for it
//! (docs/devices.md). A change takes effect on the node's next heartbeat.

use super::guard::{self, AsAdmin, JsonBody};
use super::{blocking, now};
use crate::devices::{registry, Device, DeviceError, Settings};
use crate::staff::actor;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeviceList {
    /// The node that answered.
    pub this_node: String,
    /// How often nodes pick up a change (this node's setting).
    pub heartbeat_seconds: u64,
    /// What the answering node applies now (a change shows here after its next heartbeat).
    pub applied_here: Applied,
    pub devices: Vec<Device>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Applied {
    pub in_service: bool,
    pub printer_override: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceChange {
    pub in_service: bool,
    /// Shown on an out-of-service kiosk, e.g. "请到 3 号窗口办理" (at most 120 characters).
    #[serde(default)]
    pub note: String,
    /// ipp:// or ipps:// URI replacing the configured printer; absent or empty = the configured
    /// one. (A file:// print folder only in the node's configuration.)
    #[serde(default)]
    pub printer_uri: Option<String>,
}

/// Every terminal that has registered, with its last report.
#[utoipa::path(tag = "staff", responses((status = 200, body = DeviceList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/api/staff/devices")]
pub async fn list(state: web::Data<AppState>, _who: AsAdmin) -> Result<HttpResponse, ApiError> {
    let stale = state.device.stale();
    let devices = blocking(&state, move |conn| {
        registry::list(conn, now(), stale).map_err(device_error)
    })
    .await?;
    let applied = state.device.settings();
    Ok(HttpResponse::Ok().json(DeviceList {
        this_node: state.device.name.clone(),
        heartbeat_seconds: state.device.heartbeat.as_secs(),
        applied_here: Applied {
            in_service: applied.in_service,
            printer_override: applied.printer_override,
        },
        devices,
    }))
}

/// Sets a terminal in or out of service and its printer (audited as `device.update`).
#[utoipa::path(
    tag = "staff",
    request_body = DeviceChange,
    params(("name" = String, Path, description = "the terminal's name")),
    responses((status = 200, body = Device), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/api/staff/devices/{name}")]
pub async fn change(
    state: web::Data<AppState>,
    who: AsAdmin,
    name: web::Path<String>,
    body: JsonBody<DeviceChange>,
) -> Result<HttpResponse, ApiError> {
    let b = guard::body(body)?;
    let settings = Settings {
        in_service: b.in_service,
        note: b.note.trim().to_string(),
        printer_override: b
            .printer_uri
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty()),
    };
    let hosts =
        crate::print::allowed_hosts::PrinterHosts::new(&state.config.print.allowed_printer_hosts);
    if let Some(uri) = settings
        .printer_override
        .as_deref()
        .filter(|u| is_ipp(u) && !hosts.permits(u))
    {
        // Said before anything connects: nothing about that host is known or shown.
        return Err(ApiError::Unprocessable {
            code: "printer_not_allowed",
            message: format!(
                "printer {:?} is not one of this office's printers (print.allowed_printer_hosts)",
                crate::domain::excerpt::excerpt(uri)
            ),
        });
    }
    let by = actor(&who.staff().username);
    let stale = state.device.stale();
    let name = name.into_inner();
    let device = blocking(&state, move |conn| {
        registry::change(conn, &name, &settings, &by, now(), stale).map_err(device_error)
    })
    .await?;
    Ok(HttpResponse::Ok().json(device))
}

/// Other schemes are refused by `devices::validate` with its own reason.
fn is_ipp(uri: &str) -> bool {
    uri.starts_with("ipp://") || uri.starts_with("ipps://")
}

fn device_error(e: DeviceError) -> ApiError {
    let message = e.to_string();
    match e {
        DeviceError::Unknown(_) => ApiError::NotFound(message),
        DeviceError::LongNote | DeviceError::BadPrinter(_) | DeviceError::BadName(_) => {
            ApiError::Unprocessable {
                code: "invalid_device",
                message,
            }
        }
        DeviceError::Store(_) | DeviceError::Pool(_) | DeviceError::Audit(_) => {
            ApiError::Unavailable(message)
        }
        DeviceError::Thread(_) => ApiError::Internal(message),
    }
}
