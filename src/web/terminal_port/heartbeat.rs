//! `POST /terminal/v1/heartbeat`: the terminal reports its screen and readers and gets back what
//! admins set for it on 设备管理. The `devices` table (docs/devices.md) lists it under its
//! enrolled name; the printer is the one the center prints its jobs on.

use super::TerminalPeer;
use crate::devices::registry::{self, Announce};
use crate::protocol::{Heartbeat, HeartbeatReply};
use crate::web::error::ApiError;
use actix_web::{post, web, HttpResponse};

#[post("/terminal/v1/heartbeat")]
pub async fn heartbeat(
    peer: TerminalPeer,
    body: web::Json<Heartbeat>,
) -> Result<HttpResponse, ApiError> {
    let terminal = peer.terminal.clone();
    let configured = peer.state.config.print.printer_uri.clone();
    let report = body.into_inner();
    let reply = crate::web::with_pooled(&peer.state.pool, move |conn| {
        let printer = terminal.printer.clone().unwrap_or(configured);
        let announce = Announce {
            name: terminal.name.clone(),
            kind: terminal.kind.code().into(),
            reader: report.reader.chars().take(200).collect(),
            configured_printer: printer,
            state: report.state.chars().take(40).collect(),
            printer_state: String::new(),
            last_seen: chrono::Utc::now().naive_utc(),
        };
        let settings = registry::announce_terminal(conn, &announce)
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        Ok(HeartbeatReply {
            name: terminal.name,
            kind: terminal.kind.code().into(),
            window_label: terminal.window_label,
            in_service: settings.in_service,
            note: settings.note,
            printer_ready: settings.printer_state.is_empty() || settings.printer_state == "ready",
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(reply))
}
