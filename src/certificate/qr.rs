//! The QR code of the verification URL, as a module matrix the PDF draws as vector squares (sharp
//! at any printer resolution).

use qrcode::{Color, EcLevel, QrCode, Version};

/// Largest version allowed: at 33 mm wide a version-10 code (57 modules + 8 quiet) keeps each
/// module above 0.5 mm, which phone cameras read from paper.
pub const MAX_VERSION: i16 = 10;

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
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
            .map_err(|_| QrError::TooLong(url.len()))?;
        match code.version() {
            Version::Normal(v) if v <= MAX_VERSION => {}
            _ => return Err(QrError::TooLong(url.len())),
        }
        Ok(QrMatrix {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }
}
