//! The body of the pages: header block, one section per insurance (or per benefit kind, see
//! [`super::benefit`]) with its table, the closing
//! block with the seal box. Rows flow onto new pages; a table continued on a new page gets its
//! heading (marked 续) and column header again.

use super::draw::Canvas;
use super::font::CertFont;
use super::layout::*;
use super::Stamp;
use crate::certificate::content::{yuan, Content, Section, GAP_STATUS_ZH};
use crate::certificate::kind::CertificateKind;
use printpdf::{FontId, Op};

pub struct Body {
    pub pages: Vec<Vec<Op>>,
    /// Bottom edge of the seal box on the last page.
    pub seal_y: f32,
}

pub(super) struct Pager<'a> {
    pub(super) canvas: Canvas<'a>,
    done: Vec<Vec<Op>>,
    pub(super) y: f32,
    content: &'a Content,
    serial: &'a str,
}

impl Pager<'_> {
    pub(super) fn fits(&self, height: f32) -> bool {
        self.y - height >= BODY_BOTTOM
    }

    pub(super) fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.canvas.ops));
        self.canvas.black();
        self.y = TOP;
        let line = format!(
            "{}（续）  姓名：{}  证明编号：{}",
            self.content.title, self.content.name, self.serial
        );
        self.canvas.text(MARGIN_X, self.y, BODY_PT, &line);
        self.y -= LINE + 2.0;
    }

    pub(super) fn line(&mut self, size: f32, text: &str) {
        self.canvas.text(MARGIN_X, self.y, size, text);
        self.y -= LINE;
    }
}

/// Lays out the body; `sealed` says a seal image will cover the seal box (no placeholder).
pub fn paginate(
    font: &CertFont,
    font_id: &FontId,
    content: &Content,
    stamp: &Stamp,
    sealed: bool,
) -> Body {
    let mut p = Pager {
        canvas: Canvas {
            font,
            font_id: font_id.clone(),
            ops: Vec::new(),
        },
        done: Vec::new(),
        y: TOP,
        content,
        serial: stamp.serial,
    };
    p.canvas.black();
    header(&mut p, stamp);
    if content.sections.is_empty() && content.benefits.is_empty() {
        p.line(BODY_PT, "所选期间内无参保缴费记录。");
    }
    for section in &content.sections {
        section_block(&mut p, section);
    }
    for section in &content.benefits {
        super::benefit::section_block(&mut p, section);
    }
    if !p.fits(CLOSING_H) {
        p.new_page();
    }
    p.y -= SECTION_GAP;
    p.line(BODY_PT, "特此证明。");
    let seal_y = p.y - SEAL_SIZE + LINE;
    if !sealed {
        p.canvas.frame(SEAL_X, seal_y, SEAL_SIZE, SEAL_SIZE);
        let centre = SEAL_X + SEAL_SIZE / 2.0;
        p.canvas
            .text_centre(centre, seal_y + SEAL_SIZE / 2.0, FOOTER_PT, "（盖章处）");
    }
    p.canvas.text(MARGIN_X, p.y, BODY_PT, &content.office);
    p.y -= LINE;
    let issued = bureau_local(stamp.issued_at);
    p.canvas.text(
        MARGIN_X,
        p.y,
        BODY_PT,
        &issued.format("%Y年%m月%d日").to_string(),
    );
    let Pager {
        canvas, mut done, ..
    } = p;
    done.push(canvas.ops);
    Body {
        pages: done,
        seal_y,
    }
}

fn header(p: &mut Pager, stamp: &Stamp) {
    let c = p.content;
    p.canvas
        .text_centre(MARGIN_X + CONTENT_W / 2.0, p.y, TITLE_PT, &c.title);
    p.y -= TITLE_GAP;
    p.line(BODY_PT, &format!("出具单位：{}", c.office));
    p.line(
        BODY_PT,
        &format!(
            "姓名：{}    性别：{}    公民身份号码：{}",
            c.name, c.gender, c.id_masked
        ),
    );
    let period = match (&c.selection.from, &c.selection.to) {
        (None, None) if c.kind == CertificateKind::Benefit => "全部领取期间".to_string(),
        (None, None) => "全部参保期间".to_string(),
        (from, to) => format!(
            "{} 至 {}",
            from.as_deref().unwrap_or("最早"),
            to.as_deref().unwrap_or("最近")
        ),
    };
    p.line(BODY_PT, &format!("证明期间：{period}"));
    p.line(
        BODY_PT,
        &format!(
            "打印时间：{}    证明编号：{}",
            bureau_local(stamp.issued_at).format("%Y-%m-%d %H:%M"),
            stamp.serial
        ),
    );
    p.y -= SECTION_GAP;
}

fn section_block(p: &mut Pager, s: &Section) {
    // Heading, summary, the column header and at least 3 rows stay together (no orphan row
    // at the foot of a page, review C5).
    if !p.fits(LINE * 3.0 + ROW * (1.0 + s.rows.len().min(3) as f32)) {
        p.new_page();
    }
    p.line(HEADING_PT, &s.name_zh);
    let span = match (&s.first_month, &s.last_month) {
        (Some(a), Some(b)) => format!("{a} 至 {b}"),
        _ => "—".into(),
    };
    let arrears = if s.arrears_months > 0 {
        format!("   欠缴 {} 个月", s.arrears_months)
    } else {
        String::new()
    };
    p.line(
        TABLE_PT,
        &format!(
            "参保状态：{}   参保单位：{}   缴费期间：{}   累计缴费 {} 个月   断缴 {} 个月{arrears}",
            s.status_zh,
            p.canvas.font.fit(&s.employer, TABLE_PT, 60.0),
            span,
            s.months_paid,
            s.gap_months
        ),
    );
    table_header(p);
    for row in &s.rows {
        continue_table(p, &s.name_zh, table_header);
        let period = period_text(&row.from, &row.to);
        let employer = p
            .canvas
            .font
            .fit(&row.employer, TABLE_PT, COL_EMPLOYER.1 - COL_EMPLOYER.0);
        // A gap row has no amounts; an arrears row's amounts are owed, not paid: bracketed, so
        // they never read as paid money.
        let (gap, owed) = (row.status_zh == GAP_STATUS_ZH, row.status_zh == "欠缴");
        let amount = |fen: i64| match (gap, owed) {
            (true, _) => "—".to_string(),
            (_, true) => format!("（{}）", yuan(fen)),
            _ => yuan(fen),
        };
        let cells = [
            (COL_PERIOD, period, false),
            (COL_MONTHS, row.months.to_string(), true),
            (COL_EMPLOYER, employer, false),
            (
                COL_BASE,
                if gap {
                    "—".into()
                } else {
                    yuan(row.base_fen)
                },
                true,
            ),
            (COL_EMPLOYER_AMOUNT, amount(row.employer_fen), true),
            (COL_PERSONAL_AMOUNT, amount(row.personal_fen), true),
            (
                COL_STATUS,
                if owed {
                    "欠缴（未缴纳）".into()
                } else {
                    row.status_zh.clone()
                },
                false,
            ),
        ];
        cells_at(p, &cells);
        p.y -= ROW;
    }
    rule_above(p);
    let totals = [
        (COL_PERIOD, "合计（实缴及补缴）".to_string(), false),
        (COL_EMPLOYER_AMOUNT, yuan(s.total_employer_fen), true),
        (COL_PERSONAL_AMOUNT, yuan(s.total_personal_fen), true),
    ];
    p.y -= 1.0;
    cells_at(p, &totals);
    if s.arrears_months > 0 {
        p.y -= ROW;
        let owed = [
            (
                COL_PERIOD,
                "欠缴（单位未缴纳，不计入上列合计）".to_string(),
                false,
            ),
            (COL_EMPLOYER_AMOUNT, yuan(s.arrears_employer_fen), true),
            (COL_PERSONAL_AMOUNT, yuan(s.arrears_personal_fen), true),
        ];
        cells_at(p, &owed);
    }
    p.y -= ROW + SECTION_GAP;
}

/// A rule across the table just above the current line (under the last row).
/// Before a table row: when the page is full, goes on on a new page under the section's name
/// marked 续 and the table's header again.
pub(super) fn continue_table(p: &mut Pager, name_zh: &str, table_header: fn(&mut Pager)) {
    if !p.fits(ROW * 2.0) {
        p.new_page();
        p.line(HEADING_PT, &format!("{name_zh}（续）"));
        table_header(p);
    }
}

/// A folded run of months as printed: one month, or `from — to`.
pub(super) fn period_text(from: &str, to: &str) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from} — {to}")
    }
}

pub(super) fn rule_above(p: &mut Pager) {
    let y = p.y + ROW - 1.5;
    p.canvas.rule(MARGIN_X, y, MARGIN_X + CONTENT_W, y, RULE_PT);
}

/// A table's column header between two rules.
pub(super) fn header_row(p: &mut Pager, cells: &[((f32, f32), String, bool)]) {
    let top = p.y + ROW - 1.0;
    p.canvas
        .rule(MARGIN_X, top, MARGIN_X + CONTENT_W, top, RULE_PT);
    cells_at(p, cells);
    let under = p.y - 1.5;
    p.canvas
        .rule(MARGIN_X, under, MARGIN_X + CONTENT_W, under, RULE_PT);
    p.y -= ROW + 0.5;
}

fn table_header(p: &mut Pager) {
    let cells = [
        (COL_PERIOD, "起止年月".to_string(), false),
        (COL_MONTHS, "月数".to_string(), true),
        (COL_EMPLOYER, "缴费单位".to_string(), false),
        (COL_BASE, "缴费基数".to_string(), true),
        (COL_EMPLOYER_AMOUNT, "单位缴纳".to_string(), true),
        (COL_PERSONAL_AMOUNT, "个人缴纳".to_string(), true),
        (COL_STATUS, "状态".to_string(), false),
    ];
    header_row(p, &cells);
}

pub(super) fn cells_at(p: &mut Pager, cells: &[((f32, f32), String, bool)]) {
    for ((left, right), text, right_aligned) in cells {
        if *right_aligned {
            p.canvas.text_right(MARGIN_X + right, p.y, TABLE_PT, text);
        } else {
            p.canvas.text(MARGIN_X + left, p.y, TABLE_PT, text);
        }
    }
}

/// Certificates show the bureau's time (Beijing by default), whatever the server's zone.
pub fn bureau_local(utc: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    crate::domain::bureau_time::local(utc).naive_local()
}
