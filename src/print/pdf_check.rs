//! A look at the document before it goes to a printer: it is a PDF, it has pages, and every
//! page is A4 (the printable area the layout was made for), or an 80 mm receipt (a hall's queue
//! ticket, docs/service-hall.md).

/// A4 in PDF points, with the rounding printpdf and others use.
const A4: (f32, f32) = (595.0, 842.0);
/// An 80 mm receipt roll, in points: any length up to A4's.
const RECEIPT_WIDTH: f32 = 226.8;

/// The number of pages, or why the document must not be sent.
pub fn check_pdf(pdf: &[u8]) -> Result<usize, String> {
    if !pdf.starts_with(b"%PDF-") {
        return Err("not a PDF file".into());
    }
    let marker = b"/MediaBox";
    let mut pages = 0;
    let mut at = 0;
    while let Some(i) = pdf[at..].windows(marker.len()).position(|w| w == marker) {
        let start = at + i + marker.len();
        let numbers: Vec<f32> = String::from_utf8_lossy(&pdf[start..(start + 60).min(pdf.len())])
            .trim_start()
            .trim_start_matches('[')
            .split(|c: char| c.is_whitespace() || c == ']')
            .filter(|s| !s.is_empty())
            .take(4)
            .map_while(|s| s.parse().ok())
            .collect();
        match numbers.as_slice() {
            [x0, y0, x1, y1]
                if ((x1 - x0) - A4.0).abs() < 2.0 && ((y1 - y0) - A4.1).abs() < 2.0 =>
            {
                pages += 1
            }
            [x0, y0, x1, y1]
                if ((x1 - x0) - RECEIPT_WIDTH).abs() < 2.0
                    && (y1 - y0) > 0.0
                    && (y1 - y0) < 842.0 =>
            {
                pages += 1
            }
            other => return Err(format!("a page is not A4 (media box {other:?})")),
        }
        at = start;
    }
    if pages == 0 {
        return Err("the PDF has no pages".into());
    }
    Ok(pages)
}
