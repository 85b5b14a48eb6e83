//! The rating summary of a product's published reviews: the count and the per-star histogram,
//! from which the widget, the JSON-LD and the server derive the same average.

use serde::{Deserialize, Serialize};

/// Count and per-star histogram of a product's published reviews.
///
/// The average is derived, in tenths, with integer math only: no float formatting in the wasm,
/// and the widget, the JSON-LD and the server all print the same digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// How many reviews.
    pub count: u32,
    /// Reviews per star: index 0 is one star, index 4 is five stars.
    pub histogram: [u32; 5],
}

impl Summary {
    /// Tallies `ratings` (values outside 1–5 are ignored).
    pub fn of(ratings: impl IntoIterator<Item = u8>) -> Summary {
        let mut summary = Summary::default();
        for rating in ratings {
            summary.add(rating);
        }
        summary
    }

    /// Counts one more review with `rating` stars (ignored outside 1–5).
    pub fn add(&mut self, rating: u8) {
        if let Some(slot) = usize::from(rating)
            .checked_sub(1)
            .and_then(|i| self.histogram.get_mut(i))
        {
            *slot += 1;
            self.count += 1;
        }
    }

    /// Reviews with `stars` stars.
    pub fn with_stars(&self, stars: u8) -> u32 {
        usize::from(stars)
            .checked_sub(1)
            .and_then(|i| self.histogram.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// The average in tenths of a star, rounded half up (4.55 → 46); `None` without reviews.
    pub fn average_tenths(&self) -> Option<u32> {
        if self.count == 0 {
            return None;
        }
        let sum: u64 = (1u64..=5)
            .zip(self.histogram)
            .map(|(stars, n)| stars * u64::from(n))
            .sum();
        let count = u64::from(self.count);
        u32::try_from((20 * sum + count) / (2 * count)).ok()
    }

    /// The average with one decimal (`"4.6"`); `None` without reviews.
    pub fn average_text(&self) -> Option<String> {
        self.average_tenths()
            .map(|t| format!("{}.{}", t / 10, t % 10))
    }

    /// Share of reviews with `stars` stars, in whole percent (for the histogram bars).
    pub fn percent(&self, stars: u8) -> u32 {
        if self.count == 0 {
            return 0;
        }
        let n = u64::from(self.with_stars(stars));
        u32::try_from((n * 200 + u64::from(self.count)) / (2 * u64::from(self.count)))
            .unwrap_or(100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_round_half_up_to_one_decimal() {
        assert_eq!(Summary::default().average_text(), None);
        assert_eq!(Summary::of([5]).average_text().as_deref(), Some("5.0"));
        assert_eq!(Summary::of([5, 4]).average_text().as_deref(), Some("4.5"));
        // 4.55 exactly → 4.6; 4.549... → 4.5
        let s = Summary::of([[5; 11].as_slice(), &[4; 9]].concat());
        assert_eq!(s.average_text().as_deref(), Some("4.6"));
        assert_eq!(
            Summary::of([5, 5, 4]).average_text().as_deref(),
            Some("4.7")
        );
        assert_eq!(Summary::of([1, 2]).average_text().as_deref(), Some("1.5"));
        assert_eq!(
            Summary::of([1, 1, 2]).average_text().as_deref(),
            Some("1.3")
        );
    }

    #[test]
    fn histogram_counts_each_star_and_ignores_nonsense() {
        let s = Summary::of([5, 5, 4, 1, 0, 6, 3]);
        assert_eq!(s.count, 5);
        assert_eq!(s.histogram, [1, 0, 1, 1, 2]);
        assert_eq!(s.with_stars(5), 2);
        assert_eq!(s.with_stars(0), 0);
        assert_eq!(s.percent(5), 40);
        assert_eq!(s.percent(2), 0);
        assert_eq!(Summary::default().percent(5), 0);
        let big = Summary {
            count: u32::MAX,
            histogram: [0, 0, 0, 0, u32::MAX],
        };
        assert_eq!(big.average_text().as_deref(), Some("5.0"));
        assert_eq!(big.percent(5), 100);
    }
}
