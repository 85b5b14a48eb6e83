//! The server's clock: one reading of "now" for results, tokens, limits and the command line.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch; 0 for a clock set before it.
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The time as the admin API reads it: the system's, or, in tests, a hand-moved one so that
/// session timeouts, lockouts and invitation expiry can be checked without waiting.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<std::sync::Arc<std::sync::atomic::AtomicI64>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that stands at `start` (ms) until [`Clock::advance`] moves it.
    pub fn manual(start: i64) -> Clock {
        Clock(Some(std::sync::Arc::new(
            std::sync::atomic::AtomicI64::new(start),
        )))
    }

    /// Moves a manual clock `ms` forward; the system clock cannot be moved.
    pub fn advance(&self, ms: i64) {
        if let Some(at) = &self.0 {
            at.fetch_add(ms, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// Milliseconds since the Unix epoch by this clock.
    pub fn now_millis(&self) -> i64 {
        match &self.0 {
            Some(at) => at.load(std::sync::atomic::Ordering::SeqCst),
            None => now_millis(),
        }
    }
}
