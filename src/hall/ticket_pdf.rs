//! The paper ticket: an 80 mm receipt with the number, the item, people ahead, the estimated
//! wait and a QR code of the ticket's public page, to follow the queue on a phone. Nothing
//! personal is printed: a ticket left on a chair tells nothing about its holder.

use super::ticket::Issued;
use super::HallError;
use crate::certificate::pdf::font::CertFont;
use crate::certificate::qr::QrMatrix;
use printpdf::{
    Color, Greyscale, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rect, TextItem,
};
use std::sync::OnceLock;

const WIDTH: f32 = 80.0;
const HEIGHT: f32 = 120.0;
const QR_SIDE: f32 = 30.0;

/// The font, parsed once per process (the collection is 5 MB; a ticket must come out at once).
fn font(path: &std::path::Path, index: usize) -> Result<&'static CertFont, HallError> {
    static FONT: OnceLock<Result<CertFont, String>> = OnceLock::new();
    FONT.get_or_init(|| CertFont::load(path, index).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| HallError::Pdf(e.clone()))
}

/// Renders `ticket` of `hall`; `url` is the absolute address of its public page.
pub fn render(
    font_path: &std::path::Path,
    font_index: usize,
    hall: &str,
    ticket: &Issued,
    url: &str,
) -> Result<Vec<u8>, HallError> {
    let font = font(font_path, font_index)?;
    let qr = QrMatrix::encode(url).map_err(|e| HallError::Pdf(e.to_string()))?;
    let mut doc = PdfDocument::new(&format!("排队号 {}", ticket.number));
    let font_id = doc.add_font(&font.parsed);
    let mut ops = vec![Op::SetFillColor {
        col: Color::Greyscale(Greyscale::new(0.0, None)),
    }];
    let mut line = |y: f32, size: f32, text: &str| {
        let x = ((WIDTH - font.width_mm(text, size)) / 2.0).max(2.0);
        ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font_id.clone()),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(x), Mm(y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    };
    line(HEIGHT - 10.0, 9.0, &font.fit(hall, 9.0, WIDTH - 4.0));
    line(HEIGHT - 30.0, 40.0, &ticket.number);
    line(
        HEIGHT - 40.0,
        11.0,
        &font.fit(&ticket.item_name, 11.0, WIDTH - 4.0),
    );
    line(
        HEIGHT - 49.0,
        10.0,
        &format!("您前面还有 {} 人", ticket.ahead),
    );
    line(
        HEIGHT - 56.0,
        10.0,
        &format!("预计等候约 {} 分钟", ticket.wait_minutes),
    );
    let when = match &ticket.priority_reason {
        Some(reason) => format!("{reason}　取号时间 {}", ticket.issued_local),
        None => format!("取号时间 {}", ticket.issued_local),
    };
    line(HEIGHT - 63.0, 8.0, &when);
    line(8.0, 7.0, "扫码查看排队进度；过号请到咨询台");
    draw_qr(&mut ops, &qr, (WIDTH - QR_SIDE) / 2.0, 12.0);
    doc.with_pages(vec![PdfPage::new(Mm(WIDTH), Mm(HEIGHT), ops)]);
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    Ok(doc.save(&options, &mut Vec::new()))
}

/// The QR code as filled squares, one per dark module, with its lower left corner at (x, y).
fn draw_qr(ops: &mut Vec<Op>, qr: &QrMatrix, x: f32, y: f32) {
    let side = QR_SIDE / qr.width as f32;
    for row in 0..qr.width {
        for col in (0..qr.width).filter(|c| qr.is_dark(*c, row)) {
            let bottom = y + (qr.width - 1 - row) as f32 * side;
            let mut square = Rect::from_xywh(
                Mm(x + col as f32 * side).into(),
                Mm(bottom).into(),
                Mm(side).into(),
                Mm(side).into(),
            );
            square.mode = Some(PaintMode::Fill);
            ops.push(Op::DrawRectangle { rectangle: square });
        }
    }
}

/// The printer of tickets when a terminal names none: `hall.ticket_printer`, else the office's.
pub fn default_printer(config: &crate::config::Config) -> &str {
    match config.hall.ticket_printer.as_str() {
        "" => &config.print.printer_uri,
        other => other,
    }
}

/// Renders `ticket` and queues it on `printer` through the office's print queue. It carries no
/// ID number, so it never counts against a citizen's monthly certificate limit.
pub fn print(
    conn: &mut crate::db::DbConn,
    config: &crate::config::Config,
    printer: &str,
    hall: &str,
    ticket: &Issued,
    now: chrono::NaiveDateTime,
) -> Result<i64, HallError> {
    let url = format!(
        "{}{}",
        config.certificate.public_base_url.trim_end_matches('/'),
        ticket.queue_path
    );
    let certificate = &config.certificate;
    let pdf = render(
        &certificate.font_path,
        certificate.font_index,
        hall,
        ticket,
        &url,
    )?;
    let name = format!(
        "ticket-{}-{}",
        ticket.issued_local.get(..10).unwrap_or(""),
        ticket.number
    );
    Ok(crate::print::queue::enqueue(
        conn, &name, "", printer, &pdf, 0, now,
    )?)
}
