//! A small in-memory fixed-window rate limiter with bounded memory, shared by the review,
//! helpful-vote and photo routes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys remembered at once; past this, expired windows are pruned, then the oldest.
pub const DEFAULT_MAX_KEYS: usize = 50_000;

/// Counts requests per key in fixed windows.
#[derive(Debug)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, Window>>,
    max_keys: usize,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    length: Duration,
    count: u32,
}

/// A request over its limit, and how long until it would be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    /// Time until the current window ends.
    pub retry_after: Duration,
}

impl Limited {
    /// Whole seconds to wait (for a `Retry-After` header), at least 1.
    pub fn retry_after_secs(&self) -> u64 {
        let secs = self.retry_after.as_secs();
        let rounded = if self.retry_after.subsec_nanos() > 0 {
            secs + 1
        } else {
            secs
        };
        rounded.max(1)
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::new(DEFAULT_MAX_KEYS)
    }
}

impl RateLimiter {
    /// A limiter that remembers at most `max_keys` keys.
    pub fn new(max_keys: usize) -> Self {
        RateLimiter {
            windows: Mutex::new(HashMap::new()),
            max_keys: max_keys.max(1),
        }
    }

    /// Counts one request for `key`, allowing at most `limit` per `window`.
    pub fn hit(&self, key: &str, limit: u32, window: Duration) -> Result<(), Limited> {
        self.hit_at(key, limit, window, Instant::now())
    }

    /// [`RateLimiter::hit`] at a given time (for tests).
    pub fn hit_at(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now: Instant,
    ) -> Result<(), Limited> {
        // A poisoned lock only means another request panicked mid-count; the counts are
        // still usable.
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !windows.contains_key(key) && windows.len() >= self.max_keys {
            prune(&mut windows, now, self.max_keys);
        }
        let entry = windows.entry(key.to_owned()).or_insert(Window {
            started: now,
            length: window,
            count: 0,
        });
        if now.saturating_duration_since(entry.started) >= entry.length {
            *entry = Window {
                started: now,
                length: window,
                count: 0,
            };
        }
        if entry.count >= limit {
            let ends = entry.started + entry.length;
            return Err(Limited {
                retry_after: ends.saturating_duration_since(now),
            });
        }
        entry.count += 1;
        Ok(())
    }

    /// Whether `key` is already at `limit` in its current window, without counting a request.
    pub fn check(&self, key: &str, limit: u32) -> Result<(), Limited> {
        self.check_at(key, limit, Instant::now())
    }

    /// [`RateLimiter::check`] at a given time (for tests).
    pub fn check_at(&self, key: &str, limit: u32, now: Instant) -> Result<(), Limited> {
        let windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match windows.get(key) {
            Some(w) if now.saturating_duration_since(w.started) < w.length && w.count >= limit => {
                Err(Limited {
                    retry_after: (w.started + w.length).saturating_duration_since(now),
                })
            }
            _ => Ok(()),
        }
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Drops ended windows; if that frees too little, drops the oldest quarter as well.
fn prune(windows: &mut HashMap<String, Window>, now: Instant, max_keys: usize) {
    windows.retain(|_, w| now.saturating_duration_since(w.started) < w.length);
    if windows.len() >= max_keys {
        let mut starts: Vec<Instant> = windows.values().map(|w| w.started).collect();
        starts.sort_unstable();
        let cut = starts[starts.len() / 4];
        windows.retain(|_, w| w.started > cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_ends() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.hit_at("ip", 3, MINUTE, t0), Ok(()));
        }
        let later = t0 + Duration::from_millis(20_500);
        let refused = limiter.hit_at("ip", 3, MINUTE, later);
        assert_eq!(
            refused.map_err(|l| l.retry_after_secs()),
            Err(40),
            "39.5 s left rounds up"
        );
        assert_eq!(limiter.hit_at("other", 3, MINUTE, later), Ok(()));
        assert_eq!(limiter.hit_at("ip", 3, MINUTE, t0 + MINUTE), Ok(()));
    }

    #[test]
    fn memory_stays_bounded() {
        let limiter = RateLimiter::new(100);
        let t0 = Instant::now();
        for i in 0..1000u64 {
            let now = t0 + Duration::from_millis(i);
            assert_eq!(limiter.hit_at(&format!("k{i}"), 1, MINUTE, now), Ok(()));
            assert!(limiter.len() <= 100);
        }
        // Ended windows go first.
        let limiter = RateLimiter::new(2);
        let _ = limiter.hit_at("a", 1, MINUTE, t0);
        let _ = limiter.hit_at("b", 1, MINUTE, t0 + MINUTE);
        let _ = limiter.hit_at("c", 1, MINUTE, t0 + MINUTE);
        assert_eq!(limiter.len(), 2);
        assert!(
            limiter
                .hit_at("b", 1, MINUTE, t0 + MINUTE + Duration::from_secs(1))
                .is_err()
        );
    }
}
