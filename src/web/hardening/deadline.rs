//! A deadline for the request body (review D1): actix times out slow headers itself but waits
//! for a body forever, so a client trickling one byte every few seconds held its connection and
//! file descriptor without end. The body stream fails with `TimedOut` once the deadline passes;
//! the extractor's error then ends the request, and actix closes a connection whose body was
//! not read to its end.

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use actix_web::HttpMessage;
use futures_util::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub fn apply(req: &mut ServiceRequest, limit: Duration) {
    let inner = req.take_payload();
    let timed = Deadline {
        inner,
        sleep: Box::pin(tokio::time::sleep(limit)),
    };
    req.set_payload(Payload::from(
        Box::pin(timed) as Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>
    ));
}

struct Deadline {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "request body deadline passed",
            ))))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Whether a JSON body failed because of [`apply`]'s deadline (answered 408, not 400).
pub fn timed_out(err: &actix_web::error::JsonPayloadError) -> bool {
    matches!(
        err,
        actix_web::error::JsonPayloadError::Payload(PayloadError::Io(e))
            if e.kind() == std::io::ErrorKind::TimedOut
    )
}
