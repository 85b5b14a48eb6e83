//! When to try sending again: exponential backoff with equal jitter, `Retry-After`, and what
//! each HTTP answer means for the results that were sent.

/// Exponential backoff with "equal jitter": the n-th consecutive failure waits a uniformly
/// random time in `[c/2, c)` where `c = min(cap, base · 2ⁿ⁻¹)`. Half of the wait is random, so
/// many tabs that failed together do not come back together; the other half is guaranteed,
/// so even the unluckiest draws cannot make a tab retry more often than the schedule of
/// shortest waits (full jitter, `[0, c)`, can draw ~0 ms again and again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Ceiling of the first wait, in milliseconds.
    pub base_ms: u64,
    /// Largest ceiling, in milliseconds.
    pub cap_ms: u64,
    /// Longest `Retry-After` honoured, in milliseconds; a server asking for more is capped.
    pub max_retry_after_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base_ms: 1_000,
            cap_ms: 300_000,
            max_retry_after_ms: 3_600_000,
        }
    }
}

impl RetryPolicy {
    /// The ceiling of the wait after `failures` consecutive failures (1 = the first failure).
    pub fn ceiling_ms(&self, failures: u32) -> u64 {
        let exp = failures.saturating_sub(1).min(32);
        self.base_ms.saturating_mul(1u64 << exp).min(self.cap_ms)
    }

    /// The shortest wait after `failures` consecutive failures, whatever the random draw:
    /// half the ceiling, or the server's `Retry-After` (capped) when that is longer. Anything
    /// that cuts a wait short (the browser coming back online) still waits this long.
    pub fn min_delay_ms(&self, failures: u32, retry_after_ms: Option<u64>) -> u64 {
        let half = self.ceiling_ms(failures) / 2;
        match retry_after_ms {
            Some(floor) => half.max(floor.min(self.max_retry_after_ms)),
            None => half,
        }
    }

    /// The wait after `failures` consecutive failures; `unit` is a uniform random number in
    /// `[0, 1)`. A `Retry-After` from the server is a floor, never shortened by jitter.
    pub fn delay_ms(&self, failures: u32, unit: f64, retry_after_ms: Option<u64>) -> u64 {
        let unit = if unit.is_finite() {
            unit.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let ceiling = self.ceiling_ms(failures);
        let half = ceiling / 2;
        let jittered = half + ((ceiling - half) as f64 * unit) as u64;
        jittered.max(self.min_delay_ms(failures, retry_after_ms))
    }
}

/// What an HTTP answer to a batch means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// 2xx: read the per-result answers.
    Delivered,
    /// 408, 429, 5xx, network errors and other statuses: keep the results and retry later.
    Retry,
    /// 413 for a batch of several: send fewer at a time.
    Split,
    /// 400, 413 for a single result, 422: the endpoint will never accept these; count them as
    /// dead letters (422 may carry per-result answers; read them when present).
    DeadLetter,
}

/// Classifies an HTTP status for a batch of `batch_len` results.
pub fn classify(status: u16, batch_len: usize) -> Disposition {
    match status {
        200..=299 => Disposition::Delivered,
        413 if batch_len > 1 => Disposition::Split,
        400 | 413 | 422 => Disposition::DeadLetter,
        _ => Disposition::Retry,
    }
}

/// Parses `Retry-After` (delta-seconds or an HTTP-date) into milliseconds from `now_ms`.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs.saturating_mul(1000));
    }
    let at = parse_http_date(value)?;
    Some(at.saturating_sub(now_ms))
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into milliseconds since the epoch.
fn parse_http_date(s: &str) -> Option<u64> {
    let (_, rest) = s.split_once(", ")?;
    let mut parts = rest.split(' ');
    let day: u32 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days.checked_mul(86_400)? + (h * 3600 + m * 60 + sec) as i64;
    u64::try_from(secs).ok().map(|s| s * 1000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_from_one_second_to_five_minutes() {
        let p = RetryPolicy::default();
        let ceilings: Vec<u64> = (1..=11).map(|n| p.ceiling_ms(n)).collect();
        assert_eq!(
            ceilings,
            [
                1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000,
                300_000
            ]
        );
        assert_eq!(p.ceiling_ms(u32::MAX), 300_000);
        assert_eq!(p.ceiling_ms(0), 1_000);
    }

    #[test]
    fn equal_jitter_spans_half_the_ceiling_to_the_ceiling() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_ms(3, 0.0, None), 2_000);
        assert_eq!(p.delay_ms(3, 0.5, None), 3_000);
        assert!(p.delay_ms(3, 0.999_999, None) < 4_000);
        assert_eq!(p.delay_ms(3, f64::NAN, None), 2_000);
        assert_eq!(p.delay_ms(3, 7.0, None), 4_000);
        assert_eq!(p.delay_ms(3, -1.0, None), 2_000);
        assert_eq!(p.min_delay_ms(3, None), 2_000);
        assert_eq!(p.min_delay_ms(30, None), 150_000);
    }

    #[test]
    fn retry_after_is_a_floor_with_a_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_ms(1, 0.1, Some(30_000)), 30_000);
        assert_eq!(p.delay_ms(20, 0.5, Some(1_000)), 225_000);
        assert_eq!(p.delay_ms(1, 0.0, Some(u64::MAX)), 3_600_000);
        assert_eq!(p.min_delay_ms(1, Some(30_000)), 30_000);
        assert_eq!(p.min_delay_ms(1, Some(u64::MAX)), 3_600_000);
    }

    /// Requests one tab makes in `outage_ms` of failures when every wait is `wait(failures)`:
    /// the first send at 0, then one after each wait that ends inside the outage.
    fn tries_in(outage_ms: u64, wait: impl Fn(u32) -> u64) -> u32 {
        let (mut at, mut tries) = (0u64, 0u32);
        while at < outage_ms && tries < 10_000 {
            tries += 1;
            at += wait(tries);
        }
        tries
    }

    #[test]
    fn a_ten_minute_outage_costs_at_most_fifteen_requests_whatever_the_draws() {
        let p = RetryPolicy::default();
        // The shortest wait any draw (or an early wake-up) can give is `min_delay_ms`.
        let worst = tries_in(600_000, |n| p.min_delay_ms(n, None));
        assert!(worst <= 15, "{worst} requests");
        // And no draw does worse than that schedule: every delay is at least the minimum.
        for unit in [0.0, 1e-12, 0.25, 0.5, 0.999_999, f64::NAN, -3.0] {
            for n in 1..=40 {
                assert!(p.delay_ms(n, unit, None) >= p.min_delay_ms(n, None));
            }
            assert!(tries_in(600_000, |n| p.delay_ms(n, unit, None)) <= worst);
        }
    }

    #[test]
    fn statuses_are_classified() {
        use Disposition::*;
        let cases = [
            (200, 5, Delivered),
            (204, 1, Delivered),
            (400, 5, DeadLetter),
            (413, 5, Split),
            (413, 1, DeadLetter),
            (422, 3, DeadLetter),
            (408, 1, Retry),
            (429, 1, Retry),
            (500, 1, Retry),
            (503, 1, Retry),
            (404, 1, Retry),
            (0, 1, Retry),
        ];
        for (status, len, want) in cases {
            assert_eq!(classify(status, len), want, "{status}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("120", 0), Some(120_000));
        assert_eq!(parse_retry_after(" 0 ", 0), Some(0));
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        let at = 784_111_777_000;
        assert_eq!(parse_retry_after(date, at - 5_000), Some(5_000));
        assert_eq!(parse_retry_after(date, at + 5_000), Some(0));
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0),
            Some(0)
        );
        assert_eq!(
            parse_retry_after("Thu, 29 Feb 2024 00:00:00 GMT", 0),
            Some(1_709_164_800_000)
        );
        for bad in [
            "",
            "-1",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 06 Foo 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, 0), None, "{bad}");
        }
    }
}
