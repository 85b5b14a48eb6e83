//! How much of the scratch card has been scratched: a coarse grid over the card, each cell
//! scratched once a stroke passes over its centre. The card opens at [`REVEAL_AT`].

/// The fraction of cells scratched at which the card opens by itself.
pub const REVEAL_AT: f64 = 0.5;

/// A coarse grid of the card's surface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScratchGrid {
    cols: usize,
    rows: usize,
    cells: Vec<bool>,
}

impl ScratchGrid {
    /// A clean grid of `cols` × `rows` cells (at least one of each).
    pub fn new(cols: usize, rows: usize) -> Self {
        let (cols, rows) = (cols.max(1), rows.max(1));
        ScratchGrid {
            cols,
            rows,
            cells: vec![false; cols * rows],
        }
    }

    /// Scratches a disc of radius `r` around (`x`, `y`) on a card `width` × `height` (any
    /// unit, the same for all). Points outside the card scratch what they overlap.
    pub fn scratch(&mut self, x: f64, y: f64, r: f64, width: f64, height: f64) {
        if !(width > 0.0 && height > 0.0 && x.is_finite() && y.is_finite() && r.is_finite()) {
            return;
        }
        let (cw, ch) = (width / self.cols as f64, height / self.rows as f64);
        for row in 0..self.rows {
            for col in 0..self.cols {
                let cx = (col as f64 + 0.5) * cw;
                let cy = (row as f64 + 0.5) * ch;
                if (cx - x).powi(2) + (cy - y).powi(2) <= r * r {
                    self.cells[row * self.cols + col] = true;
                }
            }
        }
    }

    /// Scratches along the stroke from `from` to `to`, in steps of half the radius.
    pub fn stroke(&mut self, from: (f64, f64), to: (f64, f64), r: f64, width: f64, height: f64) {
        let length = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
        if !length.is_finite() || r <= 0.0 {
            return;
        }
        let steps = ((length / (r / 2.0)).ceil() as usize).clamp(1, 1_000);
        for i in 0..=steps {
            let t = i as f64 / steps as f64;
            let x = from.0 + (to.0 - from.0) * t;
            let y = from.1 + (to.1 - from.1) * t;
            self.scratch(x, y, r, width, height);
        }
    }

    /// The fraction of the card scratched, 0 to 1.
    pub fn fraction(&self) -> f64 {
        let done = self.cells.iter().filter(|c| **c).count();
        done as f64 / self.cells.len() as f64
    }

    /// Whether enough is scratched to open the card.
    pub fn is_open(&self) -> bool {
        self.fraction() >= REVEAL_AT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_card_is_closed_and_one_touch_is_not_enough() {
        let mut grid = ScratchGrid::new(10, 5);
        assert_eq!(grid.fraction(), 0.0);
        grid.scratch(150.0, 75.0, 20.0, 300.0, 150.0);
        assert!(
            grid.fraction() > 0.0 && !grid.is_open(),
            "{}",
            grid.fraction()
        );
    }

    #[test]
    fn strokes_over_half_the_card_open_it() {
        let mut grid = ScratchGrid::new(10, 5);
        // Three strokes across the top three rows of five.
        for y in [15.0, 45.0, 75.0] {
            grid.stroke((0.0, y), (300.0, y), 16.0, 300.0, 150.0);
        }
        assert!((grid.fraction() - 0.6).abs() < 1e-9, "{}", grid.fraction());
        assert!(grid.is_open());
    }

    #[test]
    fn the_same_place_counts_once_and_nonsense_is_ignored() {
        let mut grid = ScratchGrid::new(4, 4);
        for _ in 0..100 {
            grid.scratch(10.0, 10.0, 5.0, 80.0, 80.0);
        }
        assert_eq!(grid.fraction(), 1.0 / 16.0);
        grid.scratch(f64::NAN, 10.0, 5.0, 80.0, 80.0);
        grid.scratch(10.0, 10.0, 5.0, 0.0, 80.0);
        grid.stroke((0.0, 0.0), (f64::INFINITY, 0.0), 5.0, 80.0, 80.0);
        assert_eq!(grid.fraction(), 1.0 / 16.0);
        let mut all = ScratchGrid::new(0, 0);
        all.scratch(0.5, 0.5, 1.0, 1.0, 1.0);
        assert!(all.is_open());
    }
}
