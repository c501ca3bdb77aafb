//! Certificates at the kiosk: what can be certified, issue (signed and stored by the
//! [`CertificateService`](crate::certificate::CertificateService)), a preview of the real first
//! page, printing through the persistent queue (monthly limit per citizen), and job progress.
//! A citizen only ever reaches their own certificates and jobs; others' are "not found".

use super::views::*;
use super::{store, KioskSession};
use crate::center::trail;
use crate::certificate::{CertificateError, Subject};
use crate::domain::{BenefitKind, Insurance, Month};
use crate::print::{queue, PrintError};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use std::collections::BTreeSet;

/// How recent the card's proof must be when a certificate is issued.
const FRESH_PROOF: std::time::Duration = std::time::Duration::from_secs(30);

fn unprocessable(code: &'static str, message: String) -> ApiError {
    ApiError::Unprocessable { code, message }
}

/// Insurances with contributions and benefits received, to choose from.
#[utoipa::path(tag = "kiosk", security(("kiosk_token" = [])), responses((status = 200, body = CertificateOptions), (status = 401, body = ErrorBody)))]
#[get("/api/kiosk/certificates/options")]
pub async fn options(session: KioskSession) -> Result<HttpResponse, ApiError> {
    let limit = session.state.config.print.monthly_limit_per_citizen;
    let may_print = session.state.certificates.kiosk_may_print();
    let options = session
        .with_conn(move |conn, citizen| {
            let ssn = &citizen.holder.ssn;
            let rows = crate::record::contributions::contributions(conn, ssn, &[], None, None)
                .map_err(store)?;
            let insurances: BTreeSet<Insurance> = rows.iter().map(|c| c.insurance).collect();
            let record = crate::record::unified_record(conn, ssn)
                .map_err(store)?
                .ok_or_else(|| ApiError::NotFound("the record is no longer in the store".into()))?;
            let presets = presets(&insurances, &record);
            Ok(CertificateOptions {
                presets,
                insurances: insurances
                    .into_iter()
                    .map(|i| Choice {
                        code: i.code().into(),
                        name_zh: i.name_zh().into(),
                    })
                    .collect(),
                benefits: record
                    .benefits
                    .iter()
                    .map(|b| Choice {
                        code: b.benefit.code().into(),
                        name_zh: b.name_zh.into(),
                    })
                    .collect(),
                monthly_limit: limit,
                remaining: if limit == 0 {
                    None
                } else {
                    let printed = queue::printed_this_month(
                        conn,
                        ssn.as_str(),
                        chrono::Utc::now().naive_utc(),
                    )
                    .map_err(store)?;
                    Some((limit as i64 - printed).max(0) as u32)
                },
                may_print,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(options))
}

/// The ready-made choices: the last 12 full months of every insurance (what banks and landlords
/// usually ask for), the whole period, pension only, and the benefit certificate.
fn presets(
    insurances: &BTreeSet<Insurance>,
    record: &crate::domain::record::UnifiedRecord,
) -> Vec<Preset> {
    let this_month = Month::of_date(crate::record::bureau_today());
    let last = this_month.offset(-1).unwrap_or(this_month);
    let first = last.offset(-11).unwrap_or(last);
    let mut out = Vec::new();
    if !insurances.is_empty() {
        out.push(Preset {
            code: "recent12".into(),
            label_zh: format!("最近12个月·全部险种（{first} 至 {last}）"),
            kind: "contribution".into(),
            items: Vec::new(),
            from: Some(first.to_string()),
            to: Some(last.to_string()),
        });
        out.push(Preset {
            code: "all".into(),
            label_zh: "全部期间·全部险种".into(),
            kind: "contribution".into(),
            items: Vec::new(),
            from: None,
            to: None,
        });
        let pensions: Vec<String> = insurances
            .iter()
            .filter(|i| {
                matches!(
                    i,
                    Insurance::EnterprisePension
                        | Insurance::InstitutionPension
                        | Insurance::ResidentPension
                )
            })
            .map(|i| i.code().to_string())
            .collect();
        if !pensions.is_empty() && pensions.len() < insurances.len() {
            out.push(Preset {
                code: "pension".into(),
                label_zh: "仅养老保险（全部期间）".into(),
                kind: "contribution".into(),
                items: pensions,
                from: None,
                to: None,
            });
        }
    }
    if !record.benefits.is_empty() {
        out.push(Preset {
            code: "benefit".into(),
            label_zh: "待遇领取证明".into(),
            kind: "benefit".into(),
            items: Vec::new(),
            from: None,
            to: None,
        });
    }
    out
}

/// "参保缴费证明，共1页；期间：2025-12 至 2026-11；险种：养老、失业".
fn summary_zh(content: &crate::certificate::content::Content, pages: usize) -> String {
    let period = match (&content.selection.from, &content.selection.to) {
        (None, None) => "全部期间".to_string(),
        (from, to) => format!(
            "{} 至 {}",
            from.as_deref().unwrap_or("最早"),
            to.as_deref().unwrap_or("最近")
        ),
    };
    let what: Vec<&str> = content
        .sections
        .iter()
        .map(|s| s.name_zh.as_str())
        .chain(content.benefits.iter().map(|b| b.name_zh.as_str()))
        .collect();
    format!(
        "将打印：{}，共{pages}页；期间：{period}；内容：{}",
        content.title,
        what.join("、")
    )
}

fn subject(request: &IssueRequest) -> Result<Subject, ApiError> {
    let bad = |e: crate::domain::UnknownCode| unprocessable("invalid_item", e.to_string());
    match request.kind.as_str() {
        "contribution" => Ok(Subject::Contributions(
            (request.items.iter())
                .map(|c| Insurance::parse(c).map_err(bad))
                .collect::<Result<_, _>>()?,
        )),
        "benefit" => Ok(Subject::Benefits(
            (request.items.iter())
                .map(|c| BenefitKind::parse(c).map_err(bad))
                .collect::<Result<_, _>>()?,
        )),
        other => Err(unprocessable(
            "invalid_kind",
            format!("certificate kind {other:?} is unknown; use \"contribution\" or \"benefit\""),
        )),
    }
}

fn month(text: &Option<String>, field: &str) -> Result<Option<Month>, ApiError> {
    text.as_deref()
        .map(|m| {
            Month::parse(m)
                .map_err(|e| unprocessable("invalid_month", format!("{field}: {e} (use YYYY-MM)")))
        })
        .transpose()
}

/// Issues a certificate of the citizen's own record (signed, stored, audited).
#[utoipa::path(tag = "kiosk", request_body = IssueRequest, security(("kiosk_token" = [])), responses((status = 201, body = IssuedView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/api/kiosk/certificates")]
pub async fn issue(
    session: KioskSession,
    state: web::Data<AppState>,
    body: web::Json<IssueRequest>,
) -> Result<HttpResponse, ApiError> {
    // The card must have proved itself just now, not only when the session opened: the
    // terminal relays a fresh challenge before it asks (docs/terminals.md).
    if session.citizen.proven.elapsed() > FRESH_PROOF {
        return Err(ApiError::Forbidden {
            code: "card_proof_required",
            message: "the card must prove itself again before a certificate is issued".into(),
        });
    }
    let request = body.into_inner();
    let subject = subject(&request)?;
    let (from, to) = (month(&request.from, "from")?, month(&request.to, "to")?);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(unprocessable(
                "invalid_month",
                format!("from ({f}) is after to ({t})"),
            ));
        }
    }
    let service = state.certificates.clone();
    let issued = session
        .with_conn(move |conn, citizen| {
            // A period with no data would print an empty certificate: say so first.
            if let (Subject::Contributions(kinds), true) =
                (&subject, from.is_some() || to.is_some())
            {
                let rows = crate::record::contributions::contributions(
                    conn,
                    &citizen.holder.ssn,
                    kinds,
                    from,
                    to,
                )
                .map_err(store)?;
                if rows.is_empty() {
                    return Err(unprocessable(
                        "nothing_to_certify",
                        "there are no contributions in the chosen months".into(),
                    ));
                }
            }
            crate::audit::atomically(conn, |conn| {
                let issued = service
                    .issue(conn, &citizen.holder.ssn, &subject, from, to)
                    .map_err(|e| match e {
                        CertificateError::NoBenefits(_) => {
                            unprocessable("nothing_to_certify", e.to_string())
                        }
                        e => store(e),
                    })?;
                trail::log(
                    conn,
                    citizen,
                    "certificate.issue",
                    Some(issued.serial.clone()),
                )
                .map_err(store)?;
                let pages = crate::print::check_pdf(&issued.pdf).unwrap_or(0);
                Ok(IssuedView {
                    summary_zh: summary_zh(&issued.content, pages),
                    serial: issued.serial,
                    kind: subject.kind().code().into(),
                    pages,
                })
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(issued))
}

/// The PDF of a certificate of this citizen (revoked ones refused).
fn own_pdf(
    service: &crate::certificate::CertificateService,
    conn: &mut crate::db::DbConn,
    citizen: &crate::center::sessions::Citizen,
    serial: &str,
) -> Result<(String, Vec<u8>), ApiError> {
    let not_found = || ApiError::NotFound(format!("no certificate {serial} of this citizen"));
    match service.pdf_of(conn, serial) {
        Ok((stored, pdf)) if stored.ssn == citizen.holder.ssn.as_str() => Ok((stored.serial, pdf)),
        Ok(_) | Err(CertificateError::UnknownSerial(_)) => Err(not_found()),
        Err(e @ CertificateError::Revoked(_)) => Err(ApiError::Conflict {
            code: "certificate_revoked",
            message: e.to_string(),
        }),
        Err(e) => Err(store(e)),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PreviewQuery {
    /// `png` (first page as an image, the default) or `pdf` (the whole document).
    format: Option<String>,
}

/// The certificate's real first page as a PNG (rendered by poppler's pdftoppm), or the PDF.
#[utoipa::path(tag = "kiosk", params(("serial" = String, Path, description = "certificate serial"), PreviewQuery), security(("kiosk_token" = [])), responses((status = 200, description = "image/png or application/pdf"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
#[get("/api/kiosk/certificates/{serial}/preview")]
pub async fn preview(
    session: KioskSession,
    state: web::Data<AppState>,
    serial: web::Path<String>,
    query: web::Query<PreviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let serial = serial.into_inner();
    let png = query.format.as_deref() != Some("pdf");
    let service = state.certificates.clone();
    let pdf = session
        .with_conn(move |conn, citizen| Ok(own_pdf(&service, conn, citizen, &serial)?.1))
        .await?;
    // Rendering needs no database connection: it runs on a blocking thread of its own.
    let (content_type, body) = if png {
        (
            "image/png",
            web::block(move || first_page_png(&pdf)).await??,
        )
    } else {
        ("application/pdf", pdf)
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

/// Page 1 at 80 dpi: enough for a touch screen, small enough to render in tens of ms.
/// pdftoppm reads the PDF from stdin; it writes into a scratch folder (poppler 22 writes nothing
/// to stdout with `-singlefile`).
fn first_page_png(pdf: &[u8]) -> Result<Vec<u8>, ApiError> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let unavailable = |what: String| {
        tracing::error!("certificate preview: {what}");
        ApiError::Unavailable(
            "the preview renderer (pdftoppm, Debian package poppler-utils) is not available".into(),
        )
    };
    let dir = tempfile::tempdir().map_err(|e| unavailable(e.to_string()))?;
    let root = dir.path().join("page");
    let mut child = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-"])
        .arg(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| unavailable(format!("cannot run pdftoppm: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let written = stdin.write_all(pdf);
    drop(stdin);
    let out = child
        .wait_with_output()
        .map_err(|e| unavailable(e.to_string()))?;
    if let Err(e) = written {
        return Err(unavailable(format!("writing to pdftoppm: {e}")));
    }
    if !out.status.success() {
        return Err(unavailable(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    std::fs::read(root.with_extension("png")).map_err(|e| unavailable(e.to_string()))
}

/// Queues the certificate on this kiosk's printer; 429 when the monthly limit is reached.
#[utoipa::path(tag = "kiosk", params(("serial" = String, Path, description = "certificate serial")), security(("kiosk_token" = [])), responses((status = 202, body = crate::print::queue::JobState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[post("/api/kiosk/certificates/{serial}/print")]
pub async fn print_certificate(
    session: KioskSession,
    state: web::Data<AppState>,
    serial: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let serial = serial.into_inner();
    let service = state.certificates.clone();
    // A kiosk printout without a seal is refused by banks unless the bureau states otherwise.
    if !service.kiosk_may_print() {
        return Err(ApiError::Conflict {
            code: "seal_missing",
            message: "no electronic seal is configured: this kiosk does not print certificates"
                .into(),
        });
    }
    let mut config = state.config.print.clone();
    let job = session
        .with_conn(move |conn, citizen| {
            // The terminal's printer as admins set it on 设备管理, else as enrolled.
            config.printer_uri =
                crate::devices::registry::printer_of(conn, &citizen.terminal, &config.printer_uri)
                    .map_err(store)?;
            // Printing is offered only while the terminal's printer answered "ready" at the
            // center's last check (a printer not checked yet is given the benefit of the doubt).
            let printer_state =
                crate::devices::registry::printer_state(conn, &citizen.terminal).map_err(store)?;
            if !(printer_state.is_empty() || printer_state == "ready") {
                return Err(ApiError::Conflict {
                    code: "printer_unavailable",
                    message: "the kiosk's printer is not ready: print at a window".into(),
                });
            }
            crate::audit::atomically(conn, |conn| {
                let (serial, pdf) = own_pdf(&service, conn, citizen, &serial)?;
                let id = queue::enqueue(
                    conn,
                    &serial,
                    citizen.holder.ssn.as_str(),
                    &config.printer_uri,
                    &pdf,
                    config.monthly_limit_per_citizen,
                    chrono::Utc::now().naive_utc(),
                )
                .map_err(|e| match e {
                    PrintError::LimitReached { .. } => ApiError::TooManyRequests {
                        code: "print_limit_reached",
                        message: e.to_string(),
                    },
                    e => store(e),
                })?;
                let deadline = chrono::Utc::now().naive_utc()
                    + chrono::Duration::seconds(config.kiosk_job_seconds.max(1) as i64);
                queue::set_deadline(conn, id, deadline).map_err(store)?;
                trail::log(
                    conn,
                    citizen,
                    "certificate.print",
                    Some(format!("{serial} job {id}")),
                )
                .map_err(store)?;
                // Just queued, in this transaction: nothing else can have touched it yet.
                Ok(queue::JobState {
                    id,
                    serial,
                    state: queue::QUEUED.into(),
                    attempts: 0,
                    last_error: None,
                })
            })
        })
        .await?;
    Ok(HttpResponse::Accepted().json(job))
}

/// Progress of one of this citizen's print jobs.
#[utoipa::path(tag = "kiosk", params(("id" = i64, Path, description = "print job id")), security(("kiosk_token" = [])), responses((status = 200, body = crate::print::queue::JobState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/api/kiosk/print-jobs/{id}")]
pub async fn print_job(
    session: KioskSession,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let job = session
        .with_conn(move |conn, citizen| match queue::state_of(conn, id) {
            Ok((job, ssn)) if ssn == citizen.holder.ssn.as_str() => Ok(job),
            Ok(_) | Err(PrintError::UnknownJob(_)) => Err(ApiError::NotFound(format!(
                "no print job {id} of this citizen"
            ))),
            Err(e) => Err(store(e)),
        })
        .await?;
    Ok(HttpResponse::Ok().json(job))
}
