//! Public verification (no login): the HTML page a phone opens from the QR code, the same answer
//! as JSON, and the published keys for offline checks. Every verification is logged (time,
//! serial, result; nothing about the visitor), up to a budget per client address and window
//! (src/web/hardening/appends.rs).

use super::error::ApiError;
use super::hardening::Appends;
use super::verify_html;
use super::AppState;
use crate::certificate::sign::PublishedKey;
use crate::certificate::verify::{verify_online, Verification};
use crate::certificate::CertificateError;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct VerifyQuery {
    /// The `c=` value of the scanned QR code (seal and signature); optional.
    c: Option<String>,
    /// The check code printed on the certificate (查验码), instead of `c=`; optional.
    k: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct VerifyFormQuery {
    /// The serial typed from the paper.
    serial: Option<String>,
    /// The check code typed from the paper.
    k: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct KeyList {
    pub keys: Vec<PublishedKey>,
}

fn to_api(e: CertificateError) -> ApiError {
    ApiError::Unavailable(e.to_string())
}

async fn verification(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    serial: String,
    query: VerifyQuery,
) -> Result<Verification, ApiError> {
    let pool = state.pool.clone();
    let trusted = state.certificates.trusted().clone();
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let logged = req
        .app_data::<web::Data<Appends>>()
        .is_none_or(|a| a.verification(&address));
    web::block(move || {
        let mut conn = pool
            .get()
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        verify_online(
            &mut conn,
            &serial,
            query.c.as_deref(),
            query.k.as_deref(),
            trusted.keys(),
            logged,
            chrono::Utc::now().naive_utc(),
        )
        .map_err(to_api)
    })
    .await?
}

/// Verifies a certificate: valid, invalid signature, unknown serial, revoked or superseded,
/// with what it certified as printed.
#[utoipa::path(
    tag = "certificates",
    params(("serial" = String, Path, description = "certificate serial"), VerifyQuery),
    responses((status = 200, body = Verification), (status = 503, body = super::error::ErrorBody))
)]
#[get("/api/verify/{serial}")]
pub async fn verify_json(
    state: web::Data<AppState>,
    req: HttpRequest,
    serial: web::Path<String>,
    query: web::Query<VerifyQuery>,
) -> Result<HttpResponse, ApiError> {
    let v = verification(&state, &req, serial.into_inner(), query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// The public keys this node trusts, by key id: its office key and those pinned in its
/// configuration (`certificate.trusted_keys`), not whatever the store lists.
#[utoipa::path(tag = "certificates", responses((status = 200, body = KeyList)))]
#[get("/api/verify/keys")]
pub async fn keys(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let keys = state.certificates.trusted().keys().to_vec();
    Ok(HttpResponse::Ok().json(KeyList { keys }))
}

/// The verification page opened from the QR code.
#[utoipa::path(
    tag = "certificates",
    params(("serial" = String, Path, description = "certificate serial"), VerifyQuery),
    responses((status = 200, description = "HTML page", content_type = "text/html"))
)]
#[get("/verify/{serial}")]
pub async fn verify_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    serial: web::Path<String>,
    query: web::Query<VerifyQuery>,
) -> Result<HttpResponse, ApiError> {
    let v = verification(&state, &req, serial.into_inner(), query.into_inner()).await?;
    Ok(html(verify_html::page(&v, &page_context(&state))))
}

/// The form for verifiers without a scanner: serial and check code typed from the paper. With
/// both given it answers as the QR would.
#[utoipa::path(
    tag = "certificates",
    params(VerifyFormQuery),
    responses((status = 200, description = "HTML page", content_type = "text/html"))
)]
#[get("/verify")]
pub async fn verify_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<VerifyFormQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let context = page_context(&state);
    let Some(serial) = q
        .serial
        .map(|s| s.trim().to_uppercase())
        .filter(|s| !s.is_empty())
    else {
        return Ok(html(verify_html::form(&context)));
    };
    let v = verification(&state, &req, serial, VerifyQuery { c: None, k: q.k }).await?;
    Ok(html(verify_html::page(&v, &context)))
}

fn page_context(state: &AppState) -> verify_html::Context {
    verify_html::Context {
        office: state.config.certificate.office_name.clone(),
        public_base_url: state.config.certificate.public_base_url.clone(),
        help_desk: state.config.kiosk.help_desk.clone(),
    }
}

fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}
