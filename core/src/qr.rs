//! QR codes as vector drawings: the `qrcode` crate's module matrix as one SVG path, one
//! horizontal run of dark modules per subpath. Shared by the widget (prize and referral codes)
//! and the server (printable code sheets), so both draw codes the same way.
//!
//! The mask is chosen here, by the standard's four penalty rules over a flat matrix: the crate's
//! own chooser allocates its way through them and made printing 100,000 labels take minutes.

use qrcode::bits::encode_auto;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::ec::construct_codewords;
use qrcode::{Color, EcLevel};
use std::fmt::Write;

/// Every mask pattern of a (non-micro) QR code.
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

/// The modules of `text` (medium error correction) with the mask of lowest penalty, and the
/// side; `None` when the text is too long.
fn modules(text: &str) -> Option<(Vec<bool>, usize)> {
    let bits = encode_auto(text.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) = construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let width = usize::try_from(version.width()).ok()?;
    MASKS
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
        .map(|(_, dark)| (dark, width))
}

/// The standard's mask penalty (ISO/IEC 18004 §7.8.3): runs of five or more, 2×2 blocks,
/// finder-like 1:1:3:1:1 patterns beside four light modules, and the dark share's distance
/// from half.
fn penalty(dark: &[bool], width: usize) -> u32 {
    let at = |x: usize, y: usize| dark[y * width + x];
    let mut score = 0u32;
    for horizontal in [true, false] {
        let cell = |line: usize, i: usize| if horizontal { at(i, line) } else { at(line, i) };
        for line in 0..width {
            let mut run = 1;
            for i in 1..=width {
                if i < width && cell(line, i) == cell(line, i - 1) {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += 3 + (run - 5);
                    }
                    run = 1;
                }
            }
            // 1:1:3:1:1 dark:light:dark:light:dark with four light modules on one side.
            for i in 0..width.saturating_sub(6) {
                let finder = [true, false, true, true, true, false, true]
                    .iter()
                    .enumerate()
                    .all(|(k, &d)| cell(line, i + k) == d);
                if !finder {
                    continue;
                }
                let light = |from: usize, to: usize| (from..to).all(|k| !cell(line, k));
                let before = i >= 4 && light(i - 4, i);
                let after = i + 11 <= width && light(i + 7, i + 11);
                if before || after {
                    score += 40;
                }
            }
        }
    }
    for y in 0..width - 1 {
        for x in 0..width - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                score += 3;
            }
        }
    }
    let total = (width * width) as u32;
    let darks = dark.iter().filter(|&&d| d).count() as u32;
    let percent = darks * 100 / total.max(1);
    score + 10 * (percent.abs_diff(50) / 5)
}

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
    let (dark, width) = modules(text)?;
    let mut path = String::new();
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] {
                let start = x;
                while x < row.len() && row[x] {
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
    fn the_chosen_mask_scores_no_worse_than_the_crates_choice() {
        // Same version and size as the crate's encoder, and a mask at least as good by the rules.
        for text in [
            "GIFT-7Q2",
            "https://shop.example/scan?c=000G-0000-05J9-Z3ZZ-JBN8-S6G",
        ] {
            let ours = modules(text).expect("encodes");
            let theirs = qrcode::QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
                .expect("encodes");
            assert_eq!(ours.1, theirs.width());
            let theirs: Vec<bool> = theirs
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            let ours_score = penalty(&ours.0, ours.1);
            assert!(ours_score <= penalty(&theirs, ours.1), "{text}");
        }
    }

    #[test]
    fn penalties_count_runs_blocks_and_balance() {
        // An all-light 21×21 square: 21 runs of 21 both ways, 400 blocks, 0% dark.
        let light = vec![false; 21 * 21];
        assert_eq!(penalty(&light, 21), 2 * 21 * (3 + 16) + 400 * 3 + 100);
    }

    #[test]
    fn text_too_long_for_any_version_is_not_drawn() {
        assert!(draw(&"x".repeat(5_000)).is_none());
    }
}
