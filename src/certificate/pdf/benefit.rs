//! The table of one benefit kind on a benefit certificate: summary line, then runs of months
//! paid the same amount, continued on the next page under a repeated header like the
//! contribution tables.

use super::body::{cells_at, continue_table, header_row, period_text, rule_above, Pager};
use super::layout::*;
use crate::certificate::benefit::BenefitSection;
use crate::certificate::content::yuan;

pub(super) fn section_block(p: &mut Pager, s: &BenefitSection) {
    // Heading, summary and at least one row stay together.
    if !p.fits(LINE * 3.0 + ROW * 2.0) {
        p.new_page();
    }
    p.line(HEADING_PT, &s.name_zh);
    p.line(
        TABLE_PT,
        &format!(
            "领取期间：{} 至 {}   累计领取 {} 个月   合计 {} 元",
            s.first_month,
            s.last_month,
            s.months_paid,
            yuan(s.total_fen)
        ),
    );
    table_header(p);
    for row in &s.rows {
        continue_table(p, &s.name_zh, table_header);
        let period = period_text(&row.from, &row.to);
        let cells = [
            (COL_B_PERIOD, period, false),
            (COL_B_MONTHS, row.months.to_string(), true),
            (COL_B_MONTHLY, format!("{}/月", yuan(row.monthly_fen)), true),
            (COL_B_TOTAL, yuan(row.total_fen), true),
        ];
        cells_at(p, &cells);
        p.y -= ROW;
    }
    rule_above(p);
    let totals = [
        (COL_B_PERIOD, "合计".to_string(), false),
        (COL_B_MONTHS, s.months_paid.to_string(), true),
        (COL_B_TOTAL, yuan(s.total_fen), true),
    ];
    p.y -= 1.0;
    cells_at(p, &totals);
    p.y -= ROW + SECTION_GAP;
}

fn table_header(p: &mut Pager) {
    let cells = [
        (COL_B_PERIOD, "起止年月".to_string(), false),
        (COL_B_MONTHS, "月数".to_string(), true),
        (COL_B_MONTHLY, "月发放金额".to_string(), true),
        (COL_B_TOTAL, "小计".to_string(), true),
    ];
    header_row(p, &cells);
}
