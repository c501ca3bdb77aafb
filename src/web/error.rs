//! The one error shape of the HTTP API: `{"error": {"code": "...", "message": "..."}}`.
//! Client faults are 4xx with a stable machine code; infrastructure faults are 5xx whose body
//! says nothing internal (the detail goes to the log, once, here).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// No session, or a dead one: the client must (re)authenticate. 401.
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    /// Authenticated, but this role, client or kiosk may not do this. 403.
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("{0}")]
    NotFound(String),
    /// The request clashes with the current state (e.g. revoking a revoked certificate). 409.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Well-formed, but a value is wrong (e.g. an ID number's check character). 422.
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// As `Unprocessable`, with its own Chinese sentence (the fault's detail, e.g. which
    /// digit of an ID number to check) instead of the code's general one. 422.
    #[error("{message}")]
    Invalid {
        code: &'static str,
        message: String,
        message_zh: String,
    },
    /// Rate limit or lockout; the message says when to try again. 429.
    #[error("{message}")]
    TooManyRequests { code: &'static str, message: String },
    /// The body did not arrive before the deadline of `[http]` (issue 13). 408.
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    #[error("the database is not reachable")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `not_found`, `invalid_ssn`.
    pub code: &'static str,
    /// A sentence for people (English, for API users and logs).
    pub message: String,
    /// The sentence the staff page and the kiosk show: every code has one (web::error_zh).
    pub message_zh: String,
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Unauthorized { code, .. }
            | ApiError::Forbidden { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Unprocessable { code, .. }
            | ApiError::Invalid { code, .. }
            | ApiError::TooManyRequests { code, .. } => code,
            ApiError::NotFound(_) => "not_found",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Unprocessable { .. } | ApiError::Invalid { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Unavailable(detail) | ApiError::Internal(detail) = self {
            tracing::error!(code = self.code(), "{detail}");
        }
        let message = self.to_string();
        // A message already written in Chinese (the service hall's) says more than the code's
        // general sentence.
        let chinese = message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let message_zh = match self {
            ApiError::Invalid { message_zh, .. } => message_zh.clone(),
            _ if chinese => message.clone(),
            _ => super::error_zh::message_zh(self.code()).to_string(),
        };
        HttpResponse::build(self.status_code()).json(ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message,
                message_zh,
            },
        })
    }
}

/// A failed query inside a handler's transaction: the store is in trouble, not the request.
impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(format!("blocking task failed: {e}"))
    }
}

/// Puts actix's own refusals (bad JSON, bad path, bad query) in the same shape.
pub fn json_config() -> actix_web::web::JsonConfig {
    actix_web::web::JsonConfig::default()
        .limit(64 * 1024)
        .error_handler(|err, _| {
            if crate::web::hardening::timed_out(&err) {
                return ApiError::RequestTimeout.into();
            }
            ApiError::BadRequest {
                code: "invalid_json",
                message: err.to_string(),
            }
            .into()
        })
}

pub fn query_config() -> actix_web::web::QueryConfig {
    actix_web::web::QueryConfig::default().error_handler(|err, _| {
        ApiError::BadRequest {
            code: "invalid_query",
            message: err.to_string(),
        }
        .into()
    })
}

/// The response for routes that do not exist.
pub async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound("no such endpoint".into()))
}
