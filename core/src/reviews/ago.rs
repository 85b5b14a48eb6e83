//! "3 days ago": how long ago a review was written, in the unit a person would use.

const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// An elapsed time, rounded down to its largest sensible unit; the widget words it per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ago {
    /// Under a minute (or a time in the future, from a skewed clock).
    JustNow,
    /// Minutes, 1–59.
    Minutes(u32),
    /// Hours, 1–23.
    Hours(u32),
    /// Days, 1–6.
    Days(u32),
    /// Weeks, 1–4.
    Weeks(u32),
    /// Months of 30 days, 1–11.
    Months(u32),
    /// Years of 365 days, 1 or more.
    Years(u32),
}

impl Ago {
    /// The time from `then` to `now`, both in milliseconds since the Unix epoch.
    pub fn between(then: u64, now: u64) -> Ago {
        let elapsed = now.saturating_sub(then);
        let n = |unit: u64| u32::try_from(elapsed / unit).unwrap_or(u32::MAX);
        match elapsed {
            e if e < MINUTE => Ago::JustNow,
            e if e < HOUR => Ago::Minutes(n(MINUTE)),
            e if e < DAY => Ago::Hours(n(HOUR)),
            e if e < 7 * DAY => Ago::Days(n(DAY)),
            e if e < 30 * DAY => Ago::Weeks(n(7 * DAY)),
            e if e < 365 * DAY => Ago::Months(n(30 * DAY)),
            _ => Ago::Years(n(365 * DAY)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_largest_whole_unit() {
        let now = 1_800_000_000_000;
        let ago = |ms: u64| Ago::between(now - ms, now);
        assert_eq!(ago(0), Ago::JustNow);
        assert_eq!(Ago::between(now + 5_000, now), Ago::JustNow);
        assert_eq!(ago(59_999), Ago::JustNow);
        assert_eq!(ago(MINUTE), Ago::Minutes(1));
        assert_eq!(ago(HOUR - 1), Ago::Minutes(59));
        assert_eq!(ago(HOUR), Ago::Hours(1));
        assert_eq!(ago(DAY * 3 + HOUR), Ago::Days(3));
        assert_eq!(ago(DAY * 7), Ago::Weeks(1));
        assert_eq!(ago(DAY * 29), Ago::Weeks(4));
        assert_eq!(ago(DAY * 30), Ago::Months(1));
        assert_eq!(ago(DAY * 364), Ago::Months(12));
        assert_eq!(ago(DAY * 365 * 2), Ago::Years(2));
    }
}
