//! The hall display (`/hall/`): the board, the stream of calls, and each call's announcement as
//! audio. Calls are rows of the store, so a call made on any node reaches every display; the
//! stream looks for new rows every 200 ms on a blocking thread (well within the 1 s the hall
//! needs) and sends a comment line every 15 s so a dead connection is noticed.

use super::hall_error;
use crate::hall::{board as calls, voice as speech};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::{with_pooled, AppState};
use actix_web::web::Bytes;
use actix_web::{get, web, HttpResponse};
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(200);
const HEARTBEAT: Duration = Duration::from_secs(15);

#[utoipa::path(tag = "hall", responses((status = 200, body = crate::hall::board::Board), (status = 503, body = ErrorBody)))]
#[get("/api/hall/board")]
pub async fn board(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let s = state.clone();
    let answer = with_pooled(&state.pool, move |conn| {
        let catalogue = super::current(conn, &s)?;
        let config = &s.config.hall;
        let now = crate::hall::now();
        // The board shows today's calls: from the hall's midnight, in UTC.
        let midnight = config.hall_day(now).and_hms_opt(0, 0, 0).unwrap_or(now);
        let start = now - (config.local(now) - midnight);
        Ok(calls::board(conn, config, &catalogue, start)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// `event: call` with a Call as data, for every call after the connection opened.
#[utoipa::path(tag = "hall", responses((status = 200, description = "`event: call` lines whose data is a Call", content_type = "text/event-stream", body = crate::hall::board::Call)))]
#[get("/api/hall/events")]
pub async fn events(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let last = with_pooled(&state.pool, |conn| Ok(calls::last_call(conn)?)).await?;
    let stream = futures_util::stream::unfold(
        (state, last, Instant::now()),
        |(state, last, beat)| async move {
            loop {
                tokio::time::sleep(POLL).await;
                let s = state.clone();
                let found = with_pooled(&state.pool, move |conn| {
                    Ok(calls::calls_after(conn, &s.config.hall, last)?)
                })
                .await;
                match found {
                    Ok(calls) if !calls.is_empty() => {
                        let newest = calls.last().map(|c| c.id).unwrap_or(last);
                        let frames: String = calls
                            .iter()
                            .map(|c| {
                                let json = serde_json::to_string(c).unwrap_or_default();
                                format!("event: call\ndata: {json}\n\n")
                            })
                            .collect();
                        let frame = Ok::<_, actix_web::Error>(Bytes::from(frames));
                        return Some((frame, (state, newest, Instant::now())));
                    }
                    // A store hiccup: the display keeps its connection and the next poll retries.
                    Ok(_) | Err(_) if beat.elapsed() >= HEARTBEAT => {
                        let frame = Ok(Bytes::from_static(b": keep-alive\n\n"));
                        return Some((frame, (state, last, Instant::now())));
                    }
                    _ => continue,
                }
            }
        },
    );
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Accel-Buffering", "no"))
        .insert_header(("Content-Encoding", "identity"))
        .streaming(stream))
}

/// The call's announcement as WAV, spoken by espeak-ng on a blocking thread.
#[utoipa::path(tag = "hall", params(("id" = i64, Path, description = "the call's id (from the event stream)")), responses((status = 200, description = "audio/wav", content_type = "audio/wav"), (status = 404, body = ErrorBody)))]
#[get("/api/hall/calls/{id}/voice.wav")]
pub async fn voice(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let s = state.clone();
    let call = with_pooled(&state.pool, move |conn| {
        calls::call_by_id(conn, &s.config.hall, id)?
            .ok_or_else(|| ApiError::NotFound("no such call".into()))
    })
    .await?;
    // The engine runs without holding a store connection.
    let config = state.config.hall.clone();
    let wav = web::block(move || {
        let text = speech::spoken(&call.number, &call.window_no, call.recall);
        speech::render(&config, &text).map_err(hall_error)
    })
    .await??;
    Ok(HttpResponse::Ok().content_type("audio/wav").body(wav))
}
