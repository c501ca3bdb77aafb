//! The QR code of the verification URL, as a module matrix the PDF draws as vector squares (sharp
//! at any printer resolution).
//!
//! The code is built with the qrcode crate's own steps (segments, error correction, canvas) but
//! the mask is chosen here: the crate scores the eight masks with a boxed closure per module
//! window, which was an eighth of a certificate's time. [`penalty`] computes the same ISO 18004
//! score (N1–N4, as the crate does) on a flat matrix, so the same, best, mask is chosen.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, Color, EcLevel, Version};

/// Largest version allowed: at 33 mm wide a version-10 code (57 modules + 8 quiet) keeps each
/// module above 0.5 mm, which phone cameras read from paper.
pub const MAX_VERSION: i16 = 10;

/// Error correction M recovers 15 % of the code: a smudge or a fold on paper.
const EC_LEVEL: EcLevel = EcLevel::M;

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("the verification URL ({0} characters) does not fit a version-10 QR code at error correction M; shorten certificate.public_base_url")]
    TooLong(usize),
}

/// A square matrix of dark (`true`) modules, without the quiet zone.
pub struct QrMatrix {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrMatrix {
    pub fn encode(url: &str) -> Result<QrMatrix, QrError> {
        let too_long = |_| QrError::TooLong(url.len());
        let bits = bits::encode_auto(url.as_bytes(), EC_LEVEL).map_err(too_long)?;
        let version = bits.version();
        match version {
            Version::Normal(v) if v <= MAX_VERSION => {}
            _ => return Err(QrError::TooLong(url.len())),
        }
        let (data, ec) =
            ec::construct_codewords(&bits.into_bytes(), version, EC_LEVEL).map_err(too_long)?;
        let mut canvas = Canvas::new(version, EC_LEVEL);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        let width = version.width() as usize;
        // The first mask with the lowest penalty, as the crate's `apply_best_mask` picks.
        let dark = MASKS
            .iter()
            .map(|&mask| {
                let mut masked = canvas.clone();
                masked.apply_mask(mask);
                let dark: Vec<bool> = masked
                    .into_colors()
                    .into_iter()
                    .map(|c| c == Color::Dark)
                    .collect();
                (penalty(&dark, width), dark)
            })
            .min_by_key(|(score, _)| *score)
            .map(|(_, dark)| dark)
            .expect("eight masks");
        Ok(QrMatrix { width, dark })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }
}

/// The mask penalty of a masked matrix (row-major, `width` square): runs of five or more
/// (N1), 2×2 blocks (N2), finder-like 1:1:3:1:1 patterns without a light margin (N3) and the
/// dark/light balance (N4). Differs from the crate's sum by a constant (it subtracts the three
/// real finder patterns), which does not change which mask is lowest.
pub fn penalty(dark: &[bool], width: usize) -> u32 {
    // Columns are scored as the rows of the transposed matrix: every line is a contiguous slice.
    let transposed: Vec<bool> = (0..dark.len())
        .map(|k| dark[(k % width) * width + k / width])
        .collect();
    let mut score = 0u32;
    for grid in [dark, transposed.as_slice()] {
        for line in grid.chunks_exact(width) {
            score += runs_and_finders(line);
        }
    }
    // N2: each 2×2 block of one colour scores 3.
    for (upper, lower) in dark
        .chunks_exact(width)
        .zip(dark.chunks_exact(width).skip(1))
    {
        for x in 0..width - 1 {
            let c = upper[x];
            if upper[x + 1] == c && lower[x] == c && lower[x + 1] == c {
                score += 3;
            }
        }
    }
    // N4: distance of the dark share from 50 %, as the crate computes it.
    let ratio = dark.iter().filter(|d| **d).count() * 200 / dark.len();
    score + ratio.abs_diff(100) as u32
}

/// N1 and N3 of one row or column.
fn runs_and_finders(line: &[bool]) -> u32 {
    let mut score = 0;
    // N1: a run of n ≥ 5 scores n − 2.
    for run in line.chunk_by(|a, b| a == b) {
        if run.len() >= 5 {
            score += run.len() as u32 - 2;
        }
    }
    // N3: dark-light-dark×3-light-dark with four light modules (or the edge) on either side.
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    for (j, window) in line.windows(7).enumerate() {
        if window != PATTERN {
            continue;
        }
        let before = &line[j.saturating_sub(4)..j];
        let after = &line[(j + 7).min(line.len())..(j + 11).min(line.len())];
        if !before.contains(&true) || !after.contains(&true) {
            score += 40;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_mask_is_the_one_the_qrcode_crate_chooses() {
        let base = "https://si.example.gov.cn/verify/20261126-7K3M9Q2X?c=";
        for i in 0..40 {
            let url = format!(
                "{base}{}",
                "AbCdEfGhIj0123456789-_".repeat(1 + i % 5) + &i.to_string()
            );
            let ours = QrMatrix::encode(&url).unwrap();
            let theirs =
                qrcode::QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
            let expected: Vec<bool> = theirs
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            assert_eq!(ours.width, theirs.width());
            assert!(ours.dark == expected, "mask differs for {url}");
        }
    }
}
