//! Every measure of the certificate page, in one place (millimetres unless the name says pt).
//! A4 portrait; the origin is the bottom-left corner, as in PDF.

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN_X: f32 = 18.0;
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// Baseline of the first line of a page.
pub const TOP: f32 = PAGE_H - 22.0;
/// Nothing of the body goes below this line: the footer and the QR code live underneath.
pub const BODY_BOTTOM: f32 = 52.0;

pub const TITLE_PT: f32 = 18.0;
pub const HEADING_PT: f32 = 11.5;
pub const BODY_PT: f32 = 10.0;
pub const TABLE_PT: f32 = 8.5;
pub const FOOTER_PT: f32 = 8.0;

pub const TITLE_GAP: f32 = 11.0;
pub const LINE: f32 = 6.0;
pub const ROW: f32 = 5.2;
pub const SECTION_GAP: f32 = 4.0;
pub const RULE_PT: f32 = 0.6;

/// QR code: 33 mm square at the bottom right. With a version-10 code (57 + 8 quiet modules)
/// a module is 0.51 mm, over the 0.5 mm that scans reliably from paper.
pub const QR_SIZE: f32 = 33.0;
pub const QR_X: f32 = PAGE_W - MARGIN_X - QR_SIZE;
pub const QR_Y: f32 = 12.0;
pub const QR_QUIET_MODULES: usize = 4;

pub const FOOTER_Y: f32 = 14.0;
pub const FOOTER_NOTE_Y: f32 = 20.0;

/// Closing block of the last page: statement, office, date and the seal box.
pub const CLOSING_H: f32 = 44.0;
pub const SEAL_SIZE: f32 = 38.0;
pub const SEAL_X: f32 = PAGE_W - MARGIN_X - QR_SIZE - 8.0 - SEAL_SIZE;

/// Table columns: (left edge, right edge) from the left margin; amounts are right-aligned.
pub const COL_PERIOD: (f32, f32) = (0.0, 34.0);
pub const COL_MONTHS: (f32, f32) = (34.0, 44.0);
pub const COL_EMPLOYER: (f32, f32) = (46.0, 104.0);
pub const COL_BASE: (f32, f32) = (104.0, 126.0);
pub const COL_EMPLOYER_AMOUNT: (f32, f32) = (126.0, 146.0);
pub const COL_PERSONAL_AMOUNT: (f32, f32) = (146.0, 162.0);
pub const COL_STATUS: (f32, f32) = (164.0, CONTENT_W);

/// Benefit table columns (待遇领取证明), as above.
pub const COL_B_PERIOD: (f32, f32) = (0.0, 34.0);
pub const COL_B_MONTHS: (f32, f32) = (34.0, 48.0);
pub const COL_B_MONTHLY: (f32, f32) = (52.0, 84.0);
pub const COL_B_TOTAL: (f32, f32) = (88.0, 124.0);
