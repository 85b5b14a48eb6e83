//! Procedural tea-coloured pictures for the demo reviews: a soft gradient, a cup of tea seen
//! from above and scattered petals, different for every seed.

use image::{DynamicImage, Rgb, RgbImage};

/// Width of a demo photo.
pub const DEMO_WIDTH: u32 = 800;
/// Height of a demo photo.
pub const DEMO_HEIGHT: u32 = 600;

/// Background pairs (top, bottom) and tea liquor colours.
const BACKGROUNDS: [([u8; 3], [u8; 3]); 4] = [
    ([244, 236, 220], [214, 196, 160]),
    ([232, 240, 226], [176, 196, 150]),
    ([250, 232, 214], [204, 160, 120]),
    ([236, 232, 240], [190, 178, 160]),
];
const LIQUORS: [[u8; 3]; 4] = [
    [222, 196, 110],
    [196, 150, 60],
    [170, 110, 40],
    [205, 180, 95],
];
const PETALS: [[u8; 3]; 3] = [[252, 250, 240], [246, 214, 120], [120, 150, 90]];

/// A small deterministic generator (an LCG), so a seed always draws the same picture.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        u32::try_from(self.0 >> 33).unwrap_or(0)
    }

    fn below(&mut self, n: u32) -> u32 {
        self.next() % n.max(1)
    }
}

/// The demo picture for `seed`.
pub fn tea_photo(seed: u32) -> DynamicImage {
    let mut dice = Dice(u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xC0FFEE);
    let (top, bottom) = BACKGROUNDS[usize::try_from(dice.below(4)).unwrap_or(0)];
    let liquor = LIQUORS[usize::try_from(dice.below(4)).unwrap_or(0)];
    let (w, h) = (DEMO_WIDTH, DEMO_HEIGHT);
    let cx = f64::from(w / 2 + dice.below(200)) - 100.0;
    let cy = f64::from(h / 2 + dice.below(120)) - 60.0;
    let cup = f64::from(150 + dice.below(70));
    let petals: Vec<(f64, f64, f64, [u8; 3])> = (0..(6 + dice.below(10)))
        .map(|_| {
            let colour = PETALS[usize::try_from(dice.below(3)).unwrap_or(0)];
            (
                f64::from(dice.below(w)),
                f64::from(dice.below(h)),
                f64::from(6 + dice.below(18)),
                colour,
            )
        })
        .collect();
    let image = RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (f64::from(x), f64::from(y));
        let t = fy / f64::from(h);
        let mut colour = mix(top, bottom, t);
        let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
        if d < cup * 1.18 {
            // The porcelain rim, then the tea, darker towards its middle.
            colour = mix(
                [250, 250, 246],
                [226, 224, 216],
                (d / (cup * 1.18)).min(1.0),
            );
        }
        if d < cup {
            let shade = 1.0 - (d / cup);
            colour = mix(liquor, darker(liquor), shade * 0.6);
            // A soft highlight where the light falls.
            let hx = cx - cup * 0.35;
            let hy = cy - cup * 0.35;
            let hd = ((fx - hx).powi(2) + (fy - hy).powi(2)).sqrt();
            if hd < cup * 0.25 {
                colour = mix([255, 250, 230], colour, hd / (cup * 0.25));
            }
        }
        for &(px, py, r, petal) in &petals {
            let pd = ((fx - px).powi(2) + ((fy - py) * 1.6).powi(2)).sqrt();
            if pd < r {
                colour = mix(petal, colour, (pd / r).powi(3));
            }
        }
        Rgb(colour)
    });
    DynamicImage::ImageRgb8(image)
}

fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    let t = t.clamp(0.0, 1.0);
    let channel = |i: usize| {
        let v = f64::from(a[i]) * (1.0 - t) + f64::from(b[i]) * t;
        // Clamped to 0..=255 first, so the cast cannot truncate.
        v.round().clamp(0.0, 255.0) as u8
    };
    [channel(0), channel(1), channel(2)]
}

fn darker(c: [u8; 3]) -> [u8; 3] {
    c.map(|v| v / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_differ_by_seed_and_repeat_by_seed() {
        let a = tea_photo(1).to_rgb8();
        let b = tea_photo(2).to_rgb8();
        assert_eq!(a.dimensions(), (DEMO_WIDTH, DEMO_HEIGHT));
        assert_ne!(a, b);
        assert_eq!(a, tea_photo(1).to_rgb8());
    }
}
