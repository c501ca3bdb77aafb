//! `GET /api/kiosk/events`: Server-Sent Events, one `state` event with the whole snapshot at
//! connection and after every change, and a comment line every 15 s so a dead connection is
//! noticed. A snapshot is complete, so a reconnecting screen (EventSource reconnects by itself)
//! needs nothing but the next one.

use super::gate::KioskClient;
use actix_web::web::Bytes;
use actix_web::{get, HttpResponse};
use std::time::Duration;

const HEARTBEAT: Duration = Duration::from_secs(15);

/// The kiosk's reader and card state as a stream; the session token appears in it while a
/// card's session is open.
#[utoipa::path(
    tag = "kiosk",
    responses(
        (status = 200, description = "`event: state` lines whose data is a View", content_type = "text/event-stream", body = crate::terminal::kiosk::floor::View),
        (status = 403, body = crate::web::error::ErrorBody)
    )
)]
#[get("/api/kiosk/events")]
pub async fn events(client: KioskClient) -> HttpResponse {
    let kiosk = client.0;
    let changes = kiosk.changes();
    let stream = futures_util::stream::unfold(
        (kiosk, changes, true),
        |(kiosk, mut changes, first)| async move {
            if !first {
                match tokio::time::timeout(HEARTBEAT, changes.changed()).await {
                    Err(_) => {
                        let beat = Bytes::from_static(b": keep-alive\n\n");
                        return Some((Ok::<_, actix_web::Error>(beat), (kiosk, changes, false)));
                    }
                    Ok(Err(_)) => return None,
                    Ok(Ok(())) => {}
                }
            }
            changes.borrow_and_update();
            let view = kiosk.view();
            let json = serde_json::to_string(&view).unwrap_or_default();
            let frame = Bytes::from(format!("event: state\ndata: {json}\n\n"));
            Some((Ok(frame), (kiosk, changes, false)))
        },
    );
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-store"))
        // Proxies and gzip would hold events back.
        .insert_header(("X-Accel-Buffering", "no"))
        .insert_header(("Content-Encoding", "identity"))
        .streaming(stream)
}
