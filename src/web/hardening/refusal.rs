//! The middleware's own refusals, in the API's error shape with a stable code. They are
//! answered before any handler, so nothing is written to the store.

use crate::web::error::{ErrorBody, ErrorDetail};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("this address holds too many open connections")]
    TooManyConnections,
    #[error("this server does not answer to that host name")]
    HostNotAllowed,
    #[error("a change must come from this server's own pages")]
    OriginNotAllowed,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::TooManyConnections => "too_many_connections",
            Refusal::HostNotAllowed => "host_not_allowed",
            Refusal::OriginNotAllowed => "origin_not_allowed",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Refusal::TooManyConnections => StatusCode::TOO_MANY_REQUESTS,
            Refusal::HostNotAllowed => StatusCode::MISDIRECTED_REQUEST,
            Refusal::OriginNotAllowed => StatusCode::FORBIDDEN,
        }
    }

    pub fn response(self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status());
        if self == Refusal::TooManyConnections {
            // The point is to give the connection back.
            res.force_close();
        }
        res.json(ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                message_zh: crate::web::error_zh::message_zh(self.code()).to_string(),
            },
        })
    }
}

impl actix_web::ResponseError for Refusal {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.response()
    }
}
