//! The CJK font, parsed once at start-up (parsing the 5 MB collection costs ~12 ms; a
//! certificate must not). Only a font that really has the certificate's glyphs is accepted: a
//! Latin-only font would print empty boxes on a document people rely on.

use printpdf::ParsedFont;
use std::path::{Path, PathBuf};

/// Characters every certificate prints; a font lacking one is refused at start-up.
const REQUIRED: &str = "社会保险个人参保缴费证明第页共姓名身份号码0123456789";

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("certificate font {0} is missing: install the Debian package fonts-wqy-microhei, or set certificate.font_path to a TrueType font with Chinese glyphs")]
    Missing(PathBuf),
    #[error("cannot read the certificate font {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("certificate font {0} (face {1}) is not a TrueType/OpenType font: install the Debian package fonts-wqy-microhei, or set certificate.font_path")]
    Unparsable(PathBuf, usize),
    #[error("certificate font {0} has no Chinese glyphs (missing {1:?}): install the Debian package fonts-wqy-microhei, or set certificate.font_path to a CJK font")]
    NoCjk(PathBuf, char),
}

pub struct CertFont {
    pub parsed: ParsedFont,
    pub path: PathBuf,
}

impl CertFont {
    pub fn load(path: &Path, index: usize) -> Result<CertFont, FontError> {
        let bytes = std::fs::read(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => FontError::Missing(path.to_path_buf()),
            _ => FontError::Read {
                path: path.to_path_buf(),
                source,
            },
        })?;
        let parsed = ParsedFont::from_bytes(&bytes, index, &mut Vec::new())
            .ok_or_else(|| FontError::Unparsable(path.to_path_buf(), index))?;
        if let Some(c) = REQUIRED
            .chars()
            .find(|c| parsed.lookup_glyph_index(*c as u32).is_none())
        {
            return Err(FontError::NoCjk(path.to_path_buf(), c));
        }
        Ok(CertFont {
            parsed,
            path: path.to_path_buf(),
        })
    }

    /// Advance width of `text` at `size_pt`, in millimetres (for centring and right alignment).
    pub fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text.chars().map(|c| self.advance(c)).sum();
        self.units_to_mm(units, size_pt)
    }

    /// Advance of one character in font units (half an em when the font lacks it).
    fn advance(&self, c: char) -> u32 {
        match self.parsed.lookup_glyph_index(c as u32) {
            Some(g) => self.parsed.get_horizontal_advance(g) as u32,
            None => self.units_per_em() / 2,
        }
    }

    fn units_per_em(&self) -> u32 {
        self.parsed.font_metrics.units_per_em.max(1) as u32
    }

    fn units_to_mm(&self, units: u32, size_pt: f32) -> f32 {
        units as f32 / self.units_per_em() as f32 * size_pt * 25.4 / 72.0
    }

    /// `text` cut (with an ellipsis) to fit `width_mm`. Widths are summed as it goes (one glyph
    /// lookup per character, not a re-measure of the prefix for each).
    pub fn fit(&self, text: &str, size_pt: f32, width_mm: f32) -> String {
        if self.width_mm(text, size_pt) <= width_mm {
            return text.to_string();
        }
        let ellipsis = self.advance('…');
        let mut units = 0;
        let mut out = String::new();
        for c in text.chars() {
            units += self.advance(c);
            if self.units_to_mm(units + ellipsis, size_pt) > width_mm {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }
}
