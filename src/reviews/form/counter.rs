//! The review text's character counter: what it shows on every keystroke, and the few
//! moments it is worth announcing to a screen reader (crossing a threshold, not every key).

use super::strings::{FormStrings, fill};

/// How close to the maximum the counter starts showing what is left.
const NEAR_MAX: usize = 100;

/// A counter message worth announcing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterNote {
    /// This many more characters are needed.
    Needed(usize),
    /// The minimum is reached.
    Enough,
    /// This many characters are left before the maximum.
    Left(usize),
    /// This many characters are over the maximum.
    Over(usize),
}

/// The band a count falls in; a note is announced only when the band changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Band {
    /// Below the minimum, by tens of characters needed (1–10 → 0, 11–20 → 1, ...).
    Needed(usize),
    Enough,
    /// Near the maximum, by quarters of [`NEAR_MAX`].
    Left(usize),
    Over,
}

fn band(count: usize, min: usize, max: usize) -> Band {
    if count < min {
        Band::Needed((min - count - 1) / 10)
    } else if count > max {
        Band::Over
    } else if max - count < NEAR_MAX {
        Band::Left((max - count) / 25)
    } else {
        Band::Enough
    }
}

/// What the counter shows for `count` characters under `min`/`max`.
pub fn shown(count: usize, min: usize, max: usize) -> CounterNote {
    if count < min {
        CounterNote::Needed(min - count)
    } else if count > max {
        CounterNote::Over(count - max)
    } else if max - count < NEAR_MAX {
        CounterNote::Left(max - count)
    } else {
        CounterNote::Enough
    }
}

/// The note to announce when the count goes from `before` to `after`, if any.
pub fn announce(before: usize, after: usize, min: usize, max: usize) -> Option<CounterNote> {
    (band(before, min, max) != band(after, min, max)).then(|| shown(after, min, max))
}

impl CounterNote {
    /// The note in words. `count` is the whole count, shown while no threshold is near.
    pub fn text(self, s: &FormStrings, count: usize) -> String {
        match self {
            CounterNote::Needed(n) => fill(s.counter_needed, &[("n", &n.to_string())]),
            CounterNote::Enough if count == 0 => s.counter_enough.to_owned(),
            CounterNote::Enough => fill(s.counter_count, &[("n", &count.to_string())]),
            CounterNote::Left(n) => fill(s.counter_left, &[("n", &n.to_string())]),
            CounterNote::Over(n) => fill(s.counter_over, &[("n", &n.to_string())]),
        }
    }

    /// The words announced: like [`CounterNote::text`], but "minimum reached" rather than a count.
    pub fn spoken(self, s: &FormStrings) -> String {
        match self {
            CounterNote::Enough => s.counter_enough.to_owned(),
            other => other.text(s, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reviews::form::strings::{EN, ZH_CN};

    #[test]
    fn typing_announces_only_at_thresholds() {
        let notes: Vec<(usize, CounterNote)> = (0..25)
            .filter_map(|n| announce(n, n + 1, 20, 5000).map(|note| (n + 1, note)))
            .collect();
        assert_eq!(
            notes,
            vec![(10, CounterNote::Needed(10)), (20, CounterNote::Enough),]
        );
        assert_eq!(announce(4899, 4901, 20, 5000), Some(CounterNote::Left(99)));
        assert_eq!(announce(4901, 4902, 20, 5000), None);
        assert_eq!(announce(5000, 5001, 20, 5000), Some(CounterNote::Over(1)));
        assert_eq!(announce(30, 5, 20, 5000), Some(CounterNote::Needed(15)));
    }

    #[test]
    fn the_counter_reads_in_both_languages() {
        assert_eq!(shown(8, 20, 5000).text(&EN, 8), "12 more characters needed");
        assert_eq!(shown(8, 20, 5000).text(&ZH_CN, 8), "还需 12 个字");
        assert_eq!(shown(48, 20, 5000).text(&EN, 48), "48 characters");
        assert_eq!(shown(48, 20, 5000).spoken(&EN), "Minimum length reached");
        assert_eq!(shown(4990, 20, 5000).text(&EN, 4990), "10 characters left");
    }
}
