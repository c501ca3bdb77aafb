//! The certificate as a PDF (printpdf, no layout engine): A4 pages, the CJK font embedded as a
//! subset, per-insurance tables that continue on the next page under a repeated header, the QR
//! code and a footer with serial and "page x of y" on every page, the seal box on the last.
//!
//! The frozen content and the QR URL are also stored in the document information dictionary
//! (Subject and Keywords), so `sskiosk verify FILE.pdf` can check a file offline.

mod benefit;
mod body;
mod draw;
pub mod font;
pub mod layout;

use super::content::Content;
use super::qr::{QrError, QrMatrix};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::NaiveDateTime;
use draw::Canvas;
use font::CertFont;
use layout::*;
use printpdf::{
    CurTransMat, Mm, Op, PaintMode, PdfDocument, PdfPage, PdfSaveOptions, Pt, RawImage, Rect,
    XObjectTransform,
};

/// Prefix of the Subject entry holding the base64url canonical content.
pub const CONTENT_MARKER: &str = "sskiosk-certificate:";

/// What the renderer needs besides the content.
pub struct Stamp<'a> {
    pub serial: &'a str,
    pub issued_at: NaiveDateTime,
    pub qr_url: &'a str,
    pub canonical_content: &'a [u8],
    /// The verification address and check code, printed as text for verifiers without a
    /// scanner (review C2).
    pub verify_address: &'a str,
    pub check_code: &'a str,
    /// Print the sentence that the certificate needs no stamp (only without a seal image).
    pub valid_without_seal: bool,
}

/// Renders the certificate; the font and the optional seal image were loaded at start-up.
pub fn render(
    font: &CertFont,
    seal: Option<&RawImage>,
    content: &Content,
    stamp: &Stamp,
) -> Result<Vec<u8>, QrError> {
    let qr = QrMatrix::encode(stamp.qr_url)?;
    let mut doc = PdfDocument::new(&content.title);
    let font_id = doc.add_font(&font.parsed);
    let seal_id = seal.map(|image| (doc.add_image(image), image.width as f32));
    let body = body::paginate(font, &font_id, content, stamp, seal.is_some());
    let total = body.pages.len();
    let pages = body
        .pages
        .into_iter()
        .enumerate()
        .map(|(i, ops)| {
            let mut canvas = Canvas {
                font,
                font_id: font_id.clone(),
                ops,
            };
            footer(&mut canvas, stamp, i + 1, total, seal.is_none());
            draw_qr(&mut canvas, &qr);
            if i + 1 == total {
                if let Some((id, width_px)) = &seal_id {
                    // Scale through the DPI: width_px at this DPI is exactly SEAL_SIZE mm.
                    canvas.ops.push(Op::UseXobject {
                        id: id.clone(),
                        transform: XObjectTransform {
                            translate_x: Some(Mm(SEAL_X).into()),
                            translate_y: Some(Mm(body.seal_y).into()),
                            dpi: Some(width_px / (SEAL_SIZE / 25.4)),
                            ..XObjectTransform::default()
                        },
                    });
                }
            }
            PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), canvas.ops)
        })
        .collect();
    doc.with_pages(pages);
    let info = &mut doc.metadata.info;
    info.subject = format!("{CONTENT_MARKER}{}", B64.encode(stamp.canonical_content));
    info.keywords = vec![stamp.qr_url.to_string()];
    info.identifier = stamp.serial.to_string();
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    Ok(doc.save(&options, &mut Vec::new()))
}

fn footer(canvas: &mut Canvas, stamp: &Stamp, page: usize, total: usize, unsealed: bool) {
    let serial = stamp.serial;
    canvas.black();
    canvas.rule(MARGIN_X, FOOTER_Y + 34.0, QR_X - 4.0, FOOTER_Y + 34.0, 0.4);
    if unsealed && stamp.valid_without_seal {
        canvas.text(
            MARGIN_X,
            FOOTER_NOTE_Y + 12.0,
            FOOTER_PT,
            "本证明由电子签名保护，扫码或登录核验网址核验，无需另行盖章。",
        );
    }
    canvas.text(
        MARGIN_X,
        FOOTER_NOTE_Y + 6.0,
        FOOTER_PT,
        &format!(
            "核验网址：{}    查验码：{}",
            stamp.verify_address, stamp.check_code
        ),
    );
    canvas.text(
        MARGIN_X,
        FOOTER_NOTE_Y,
        FOOTER_PT,
        "扫描右侧二维码，或访问核验网址并输入查验码，可核验本证明的真伪及是否已撤销。",
    );
    canvas.text(
        MARGIN_X,
        FOOTER_Y,
        FOOTER_PT,
        &format!("证明编号：{serial}        第 {page} 页 / 共 {total} 页"),
    );
}

fn draw_qr(canvas: &mut Canvas, qr: &QrMatrix) {
    let module = QR_SIZE / (qr.width + 2 * QR_QUIET_MODULES) as f32;
    let origin_x = QR_X + QR_QUIET_MODULES as f32 * module;
    let origin_y = QR_Y + QR_QUIET_MODULES as f32 * module;
    canvas.black();
    // Drawn in module units under a scaling matrix: every coordinate is a small integer, so the
    // page stream holds "12 40 3 1 re f" instead of four shortest-float millimetre conversions
    // per run. That stream was most of what the PDF deflated on each certificate.
    let module_pt = Pt::from(Mm(module)).0;
    let (x0, y0) = (Pt::from(Mm(origin_x)).0, Pt::from(Mm(origin_y)).0);
    canvas.ops.push(Op::SaveGraphicsState);
    canvas.ops.push(Op::SetTransformationMatrix {
        matrix: CurTransMat::Raw([module_pt, 0.0, 0.0, module_pt, x0, y0]),
    });
    for y in 0..qr.width {
        // PDF y grows upwards; matrix row 0 is the top row.
        let row = (qr.width - 1 - y) as f32;
        let mut x = 0;
        while x < qr.width {
            if !qr.is_dark(x, y) {
                x += 1;
                continue;
            }
            // One rectangle per horizontal run keeps the page stream small.
            let start = x;
            while x < qr.width && qr.is_dark(x, y) {
                x += 1;
            }
            let mut rectangle =
                Rect::from_xywh(Pt(start as f32), Pt(row), Pt((x - start) as f32), Pt(1.0));
            rectangle.mode = Some(PaintMode::Fill);
            canvas.ops.push(Op::DrawRectangle { rectangle });
        }
    }
    canvas.ops.push(Op::RestoreGraphicsState);
}
