//! Small drawing helpers over printpdf's operations, in millimetres.

use super::font::CertFont;
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PdfFontHandle, Point, Pt, TextItem,
};

pub struct Canvas<'a> {
    pub font: &'a CertFont,
    pub font_id: FontId,
    pub ops: Vec<Op>,
}

impl Canvas<'_> {
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(self.font_id.clone()),
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
    }

    pub fn text_right(&mut self, right: f32, y: f32, size: f32, text: &str) {
        let w = self.font.width_mm(text, size);
        self.text(right - w, y, size, text);
    }

    pub fn text_centre(&mut self, centre: f32, y: f32, size: f32, text: &str) {
        let w = self.font.width_mm(text, size);
        self.text(centre - w / 2.0, y, size, text);
    }

    pub fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness_pt: f32) {
        let point = |x, y| LinePoint {
            p: Point::new(Mm(x), Mm(y)),
            bezier: false,
        };
        self.ops.extend([
            Op::SetOutlineThickness {
                pt: Pt(thickness_pt),
            },
            Op::DrawLine {
                line: Line {
                    points: vec![point(x1, y1), point(x2, y2)],
                    is_closed: false,
                },
            },
        ]);
    }

    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.rule(x, y, x + w, y, 0.5);
        self.rule(x + w, y, x + w, y + h, 0.5);
        self.rule(x + w, y + h, x, y + h, 0.5);
        self.rule(x, y + h, x, y, 0.5);
    }

    pub fn black(&mut self) {
        let black = Color::Greyscale(Greyscale::new(0.0, None));
        self.ops.push(Op::SetFillColor { col: black.clone() });
        self.ops.push(Op::SetOutlineColor { col: black });
    }
}
