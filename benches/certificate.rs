//! `cargo bench --bench certificate`: certificate build + sign + QR + PDF for one page and for a
//! 10-year monthly table; the same page printed by headless Chromium, measured in the same run;
//! offline verification of a QR payload. Prints a table; asserts nothing about time.

use chrono::NaiveDate;
use sskiosk::certificate::benefit::{self, BenefitRequest};
use sskiosk::certificate::content::{Content, Selection};
use sskiosk::certificate::qr::QrMatrix;
use sskiosk::certificate::sign::PublishedKey;
use sskiosk::certificate::verify::verify_qr_text;
use sskiosk::certificate::CertificateService;
use sskiosk::config::CertificateConfig;
use sskiosk::domain::record::{Benefit, Contribution, Enrolment, Facts, Person, UnifiedRecord};
use sskiosk::domain::*;
use std::process::Command;
use std::time::{Duration, Instant};

fn person() -> Person {
    let ssn = CitizenId::parse("110101198506150019").unwrap();
    Person {
        gender: ssn.gender(),
        birth_date: ssn.birth_date(),
        ssn,
        name: "张三".into(),
        ethnicity: "01".into(),
        region_code: "110101".into(),
        phone: None,
        address: None,
        retirement_category: None,
    }
}

/// `months` monthly contributions per insurance; the base changes every month when `monthly`
/// (one table row per month), else every January (one row per year).
fn record(kinds: &[Insurance], months: u32, monthly: bool) -> (UnifiedRecord, Vec<Contribution>) {
    let first = Month::parse("2015-01").unwrap();
    let mut rows = Vec::new();
    for &insurance in kinds {
        let last = Month::parse("2100-12").unwrap();
        for (i, period) in first.through(last).take(months as usize).enumerate() {
            let step = if monthly { i as i64 } else { (i / 12) as i64 };
            let base = 500_000 + step * 1_000;
            rows.push(Contribution {
                insurance,
                period,
                base: Fen(base),
                employer_amount: Fen(base * 16 / 100),
                personal_amount: Fen(base * 8 / 100),
                paid_on: None,
                employer_code: "E000186".into(),
                status: ContributionStatus::Paid,
            });
        }
    }
    let enrolments = kinds
        .iter()
        .map(|&insurance| Enrolment {
            insurance,
            employer_code: "E000186".into(),
            employer_name: "北京中科智联软件有限公司".into(),
            region_code: "110105".into(),
            started_on: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
            ended_on: None,
            status: EnrolmentStatus::Active,
        })
        .collect();
    let facts = Facts {
        contributions: rows.clone(),
        enrolments,
        ..Facts::default()
    };
    (UnifiedRecord::assemble(person(), facts), rows)
}

struct Run {
    per_op: Duration,
    bytes: usize,
    pages: usize,
}

fn certificate(
    service: &CertificateService,
    record: &UnifiedRecord,
    rows: &[Contribution],
    n: u32,
) -> Run {
    timed(service, record, n, || {
        Content::build(
            "北京市人力资源和社会保障局",
            record,
            rows,
            Selection::default(),
        )
    })
}

/// A pensioner's benefit certificate: 10 years of basic pension, raised every January.
fn benefit_certificate(service: &CertificateService, n: u32) -> Run {
    let first = Month::parse("2015-01").unwrap();
    let benefits = first
        .through(Month::parse("2024-12").unwrap())
        .enumerate()
        .map(|(i, period)| Benefit {
            benefit: BenefitKind::BasicPension,
            insurance: None,
            period,
            amount: Fen(300_000 + (i / 12) as i64 * 9_000),
            paid_on: None,
        })
        .collect();
    let facts = Facts {
        benefits,
        ..Facts::default()
    };
    let record = UnifiedRecord::assemble(person(), facts);
    let request = BenefitRequest {
        kinds: &[],
        from: None,
        to: None,
    };
    timed(service, &record, n, || {
        benefit::build("北京市人力资源和社会保障局", &record, &request).unwrap()
    })
}

/// Runs build + sign + QR + PDF `n` times.
fn timed(
    service: &CertificateService,
    record: &UnifiedRecord,
    n: u32,
    build: impl Fn() -> Content,
) -> Run {
    let ssn = record.person.ssn.clone();
    let once = || {
        let content = build();
        let issued_at = chrono::Utc::now().naive_utc();
        service
            .seal_and_render("20261126-7K3M9Q2X", issued_at, &ssn, content)
            .unwrap()
            .1
            .pdf
    };
    let pdf = once();
    // SSKIOSK_BENCH_PDF=DIR keeps the benchmarked files, to look at what a certificate holds.
    if let Some(dir) = std::env::var_os("SSKIOSK_BENCH_PDF") {
        let path = std::path::Path::new(&dir).join(format!("bench-{}-{n}.pdf", pdf.len()));
        std::fs::write(path, &pdf).unwrap();
    }
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(once());
    }
    Run {
        per_op: start.elapsed() / n,
        bytes: pdf.len(),
        pages: sskiosk::print::check_pdf(&pdf).unwrap(),
    }
}

/// The one-page certificate as an HTML page, QR code as inline SVG: what kiosk software that
/// prints through a browser would render.
fn html(content: &Content, url: &str) -> String {
    let qr = QrMatrix::encode(url).unwrap();
    let mut svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='-4 -4 {w} {w}' width='33mm' height='33mm'>",
        w = qr.width + 8
    );
    for y in 0..qr.width {
        for x in 0..qr.width {
            if qr.is_dark(x, y) {
                svg += &format!("<rect x='{x}' y='{y}' width='1' height='1'/>");
            }
        }
    }
    svg += "</svg>";
    let mut rows = String::new();
    for s in &content.sections {
        rows += &format!("<h3>{}</h3><table><tr><th>起止年月</th><th>月数</th><th>缴费单位</th><th>缴费基数</th><th>单位缴纳</th><th>个人缴纳</th><th>状态</th></tr>", s.name_zh);
        for r in &s.rows {
            rows += &format!(
                "<tr><td>{} — {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.from, r.to, r.months, r.employer, r.base_fen, r.employer_fen, r.personal_fen, r.status_zh
            );
        }
        rows += "</table>";
    }
    format!(
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>@page{{size:A4;margin:18mm}}\
         body{{font-family:'WenQuanYi Micro Hei';font-size:10pt}}table{{border-collapse:collapse;width:100%}}\
         td,th{{font-size:8.5pt;text-align:left}}</style></head><body><h1 style='text-align:center'>{}</h1>\
         <p>出具单位：{}<br>姓名：{} 性别：{} 公民身份号码：{}</p>{rows}<p>特此证明。</p>\
         <div style='position:fixed;right:0;bottom:0'>{svg}</div></body></html>",
        content.title, content.office, content.name, content.gender, content.id_masked
    )
}

fn chromium(html_path: &std::path::Path, pdf_path: &std::path::Path) -> Option<Duration> {
    let start = Instant::now();
    let status = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf_path.display()))
        .arg(format!("file://{}", html_path.display()))
        .output()
        .ok()?;
    status.status.success().then(|| start.elapsed())
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let config = CertificateConfig {
        office_name: "北京市人力资源和社会保障局".into(),
        public_base_url: "https://si.example.gov.cn".into(),
        key_path: dir.path().join("office-key"),
        font_path: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc".into(),
        font_index: 0,
        seal_image: None,
        trusted_keys: Vec::new(),
        valid_without_seal: true,
    };
    let service = CertificateService::from_config(&config).expect("font and key");
    let ms = |d: Duration| d.as_secs_f64() * 1e3;

    let (one_record, one_rows) = record(
        &[Insurance::EnterprisePension, Insurance::Unemployment],
        24,
        false,
    );
    let one = certificate(&service, &one_record, &one_rows, 200);
    let (long_record, long_rows) = record(
        &[Insurance::EnterprisePension, Insurance::Unemployment],
        120,
        true,
    );
    let long = certificate(&service, &long_record, &long_rows, 50);
    let pension = benefit_certificate(&service, 200);

    println!("certificate benchmark (build content + sign + QR + render PDF)");
    println!("{:<44} {:>10} {:>8} {:>6}", "case", "ms/op", "KB", "pages");
    println!(
        "{:<44} {:>10.2} {:>8.1} {:>6}",
        "one page (2 insurances, 2 years)",
        ms(one.per_op),
        one.bytes as f64 / 1024.0,
        one.pages
    );
    println!(
        "{:<44} {:>10.2} {:>8.1} {:>6}",
        "10-year monthly table (240 rows)",
        ms(long.per_op),
        long.bytes as f64 / 1024.0,
        long.pages
    );
    println!(
        "{:<44} {:>10.2} {:>8.1} {:>6}",
        "benefit certificate (pension, 10 years)",
        ms(pension.per_op),
        pension.bytes as f64 / 1024.0,
        pension.pages
    );

    // Headless Chromium printing the equivalent page, same run.
    let content = Content::build(
        "北京市人力资源和社会保障局",
        &one_record,
        &one_rows,
        Selection::default(),
    );
    let url = "https://si.example.gov.cn/verify/20261126-7K3M9Q2X?c=ARShnVEAAAAAawi4PIuLlt_xBwbhw3MPtOgSXb-8z2N-Jd5z4xlXTv9gpwpn-CJX6xX_dPOif4VeGCtLRU68n22fiBN0g9t_5a_WuBuD1BcQqqpX0J3MP6qxWiwD";
    let html_path = dir.path().join("certificate.html");
    std::fs::write(&html_path, html(&content, url)).unwrap();
    let pdf_path = dir.path().join("chromium.pdf");
    let mut times: Vec<Duration> = (0..3)
        .filter_map(|_| chromium(&html_path, &pdf_path))
        .collect();
    times.sort();
    match times.get(times.len() / 2) {
        Some(median) => {
            let size = std::fs::metadata(&pdf_path).map(|m| m.len()).unwrap_or(0);
            println!(
                "{:<44} {:>10.2} {:>8.1} {:>6}",
                "headless Chromium, same page (median of 3)",
                ms(*median),
                size as f64 / 1024.0,
                ""
            );
            println!(
                "ratio Chromium / sskiosk (one page): {:.0}x",
                median.as_secs_f64() / one.per_op.as_secs_f64()
            );
        }
        None => println!("headless Chromium: not measured (install the Debian package chromium)"),
    }

    // Offline verification of a scanned QR payload.
    let issued = service
        .seal_and_render(
            "20261126-7K3M9Q2X",
            chrono::Utc::now().naive_utc(),
            &one_record.person.ssn,
            content,
        )
        .unwrap()
        .1;
    let keys: Vec<PublishedKey> = vec![service.key().published()];
    let n = 2_000;
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(verify_qr_text(&issued.url, &keys).unwrap());
    }
    let per = start.elapsed() / n;
    println!(
        "offline QR verification: {:.1} µs/op",
        per.as_secs_f64() * 1e6
    );
}
