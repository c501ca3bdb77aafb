//! Public verification (no login): the HTML page a phone opens from the QR code, the same answer
//! as JSON, and the published keys for offline checks. Every verification is logged (time,
//! serial, result; nothing about the visitor), up to a budget per client address and window
//! (src/web/hardening/appends.rs).

use super::error::ApiError;
use super::hardening::Appends;
use super::AppState;
use crate::certificate::benefit::BenefitSection;
use crate::certificate::content::yuan;
use crate::certificate::sign::PublishedKey;
use crate::certificate::verify::{verify_online, Verdict, Verification};
use crate::certificate::CertificateError;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct VerifyQuery {
    /// The `c=` value of the scanned QR code (seal and signature); optional.
    c: Option<String>,
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
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page(&v)))
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn headline(v: &Verdict) -> (String, &'static str) {
    match v {
        Verdict::Valid => ("证明有效：内容与出具时一致，签名验证通过。".into(), "ok"),
        Verdict::InvalidSignature => ("验证失败：签名不符，证明或二维码可能被篡改。".into(), "bad"),
        Verdict::UnknownSerial => ("查无此证明编号。".into(), "bad"),
        Verdict::Revoked { revoked_at, reason } => (
            format!(
                "证明已撤销（{} UTC）：{}",
                revoked_at.format("%Y-%m-%d %H:%M"),
                esc(reason)
            ),
            "bad",
        ),
        Verdict::Superseded { superseded_by } => (
            format!(
                "证明已被新证明 {} 替代，请以新证明为准。",
                esc(superseded_by)
            ),
            "warn",
        ),
    }
}

fn page(v: &Verification) -> String {
    let (title, class) = headline(&v.verdict);
    let mut html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>证明核验 {serial}</title><link rel=\"stylesheet\" href=\"/ui/verify.css\"></head><body>\
         <h1>证明核验</h1><p>证明编号：{serial}</p><h2 class=\"{class}\" id=\"verdict\" \
         data-status=\"{code}\">{title}</h2>",
        serial = esc(&v.serial),
        code = v.verdict.code(),
    );
    if let (Some(c), Verdict::Valid | Verdict::Revoked { .. } | Verdict::Superseded { .. }) =
        (&v.content, &v.verdict)
    {
        html += &format!(
            "<h3>证明内容（出具时）</h3><p>{}<br>出具单位：{}<br>姓名：{}　性别：{}　公民身份号码：{}</p>",
            esc(&c.title),
            esc(&c.office),
            esc(&c.name),
            esc(&c.gender),
            esc(&c.id_masked)
        );
        for s in &c.sections {
            html += &format!(
                "<h4>{}</h4><p>参保状态：{}　累计缴费 {} 个月　断缴 {} 个月</p><table><tr><th>起止年月</th>\
                 <th>月数</th><th>缴费单位</th><th>缴费基数</th><th>单位缴纳</th><th>个人缴纳</th><th>状态</th></tr>",
                esc(&s.name_zh),
                esc(&s.status_zh),
                s.months_paid,
                s.gap_months
            );
            for r in &s.rows {
                html += &format!(
                    "<tr><td>{} — {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&r.from),
                    esc(&r.to),
                    r.months,
                    esc(&r.employer),
                    yuan(r.base_fen),
                    yuan(r.employer_fen),
                    yuan(r.personal_fen),
                    esc(&r.status_zh)
                );
            }
            html += &format!(
                "<tr><th colspan=\"4\">合计</th><td>{}</td><td>{}</td><td></td></tr></table>",
                yuan(s.total_employer_fen),
                yuan(s.total_personal_fen)
            );
        }
        for s in &c.benefits {
            html += &benefit_table(s);
        }
    }
    html + "</body></html>"
}

/// One benefit kind of a benefit certificate (待遇领取证明), as printed.
fn benefit_table(s: &BenefitSection) -> String {
    let mut html = format!(
        "<h4>{}</h4><p>领取期间：{} 至 {}　累计领取 {} 个月</p><table><tr><th>起止年月</th>\
         <th>月数</th><th>月发放金额</th><th>小计</th></tr>",
        esc(&s.name_zh),
        esc(&s.first_month),
        esc(&s.last_month),
        s.months_paid
    );
    for r in &s.rows {
        html += &format!(
            "<tr><td>{} — {}</td><td>{}</td><td>{}/月</td><td>{}</td></tr>",
            esc(&r.from),
            esc(&r.to),
            r.months,
            yuan(r.monthly_fen),
            yuan(r.total_fen)
        );
    }
    html + &format!(
        "<tr><th colspan=\"3\">合计</th><td>{}</td></tr></table>",
        yuan(s.total_fen)
    )
}
