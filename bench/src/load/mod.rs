//! `server-load`: what the reference server holds, measured from a separate process over
//! loopback (event ingestion, a flood from one address, the reviews page) and in process (forged
//! surprise codes). One
//! module per subcommand, over the shared pieces: the command line, the server process and the
//! HTTP client.

pub mod args;
pub mod burst;
pub mod client;
pub mod events;
pub mod flood;
pub mod forged;
pub mod moderation;
pub mod photo_bomb;
pub mod reviews;
pub mod server;

use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a measurement that could not finish says about why.
pub type Result<T> = std::result::Result<T, String>;

/// A subcommand's report, and why the run counts as failed although it has figures to show.
#[derive(Debug)]
pub struct Outcome {
    /// The JSON object printed on stdout.
    pub report: Value,
    /// Set when a check on the figures failed (the process then exits non-zero).
    pub failed: Option<String>,
}

/// Milliseconds, as the reports give latencies.
pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `value` rounded to three decimals (a microsecond, for milliseconds), or JSON null.
pub fn rounded(value: Option<f64>) -> Value {
    value.map_or(Value::Null, |v| Value::from(crate::stats::round(v, 3)))
}

/// Now, in milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The CPUs this process may use, as the reports state them.
pub fn cpus() -> Option<usize> {
    std::thread::available_parallelism().ok().map(usize::from)
}
