//! QR codes as vector drawings: the `qrcode` crate's module matrix as one SVG path, one
//! horizontal run of dark modules per subpath. Shared by the widget (prize and referral codes)
//! and the server (printable code sheets), so both draw codes the same way.

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// Modules of light margin around the code, as the standard asks.
pub const QUIET_ZONE: usize = 4;

/// The drawing of one QR code: its side in modules (margin included) and the path of its dark
/// modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrDrawing {
    /// The side of the square, in modules, with the quiet zone.
    pub size: usize,
    /// The SVG path data (`M x y h n v 1 h -n z` per run of dark modules).
    pub path: String,
}

/// Draws `text` (medium error correction), or `None` when it is too long for a QR code.
pub fn draw(text: &str) -> Option<QrDrawing> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Dark {
                let start = x;
                while x < row.len() && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                // Writing to a String cannot fail.
                let _ = write!(
                    path,
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                );
            } else {
                x += 1;
            }
        }
    }
    Some(QrDrawing {
        size: width + 2 * QUIET_ZONE,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_drawn_as_runs_inside_a_quiet_zone() {
        let drawing = draw("GIFT-7Q2").expect("short text encodes");
        // Version 1 is 21 modules wide.
        assert_eq!(drawing.size, 21 + 2 * QUIET_ZONE);
        // The finder pattern's top row: seven dark modules from the corner of the code.
        assert!(drawing.path.starts_with("M4 4h7v1h-7z"), "{}", drawing.path);
        assert!(
            drawing
                .path
                .chars()
                .all(|c| c.is_ascii_digit() || "Mhvz- ".contains(c))
        );
    }

    #[test]
    fn text_too_long_for_any_version_is_not_drawn() {
        assert!(draw(&"x".repeat(5_000)).is_none());
    }
}
