//! What every request handler reaches: the database, the stores' config, the rate limits and
//! the line of batches waiting to be written.

use crate::clock::Clock;
use crate::config::ServerConfig;
use crate::ip_range::IpRange;
use crate::rate_limit::RateLimiter;
use crate::reviews::photos::decode_slots::DecodeSlots;
use crate::write_queue::{QueueLimits, WriteQueue};
use sqlx::SqlitePool;
use std::sync::Arc;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database results are stored in.
    pub db: SqlitePool,
    /// The stores this server answers for.
    pub config: Arc<ServerConfig>,
    /// Request counts per client and product, for the review, vote and photo limits.
    pub limiter: Arc<RateLimiter>,
    /// Proxies whose `X-Forwarded-For` is believed (`serve --trusted-proxy`, addresses or
    /// CIDR ranges); empty: none.
    pub trusted_proxies: Arc<Vec<IpRange>>,
    /// Batches of results take turns to write, first come first served. SQLite lets one
    /// writer in at a time anyway, and its busy handler retries by sleeping, so under load some
    /// batches starved for a second while others went through (p99 135 ms at 4 connections
    /// against 13 ms at 1, `cargo xtask bench`).
    pub batch_writer: Arc<tokio::sync::Mutex<()>>,
    /// The line for [`AppState::batch_writer`], bounded so that a burst is shed with 503 and
    /// `Retry-After` instead of making every batch wait ever longer.
    pub write_queue: Arc<WriteQueue>,
    /// Turns at the photo decoder: a few photos decode at once, so their memory is bounded.
    pub photo_decoders: Arc<DecodeSlots>,
    /// The clock the admin API's sessions, lockouts and invitations read.
    pub clock: Clock,
}

impl AppState {
    /// The state over `db` for `config`, with fresh rate limits.
    pub fn new(db: SqlitePool, config: ServerConfig) -> Self {
        AppState {
            db,
            config: Arc::new(config),
            limiter: Arc::new(RateLimiter::default()),
            trusted_proxies: Arc::new(Vec::new()),
            batch_writer: Arc::new(tokio::sync::Mutex::new(())),
            write_queue: Arc::new(WriteQueue::new(QueueLimits::default())),
            photo_decoders: Arc::new(DecodeSlots::default()),
            clock: Clock::system(),
        }
    }

    /// This state, keeping the line for the writer within `limits`.
    pub fn with_queue_limits(mut self, limits: QueueLimits) -> Self {
        self.write_queue = Arc::new(WriteQueue::new(limits));
        self
    }

    /// This state, reading the time from `clock` (tests move a manual one).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// This state, believing `X-Forwarded-For` from `proxies` only.
    pub fn with_trusted_proxies(mut self, proxies: Vec<IpRange>) -> Self {
        self.trusted_proxies = Arc::new(proxies);
        self
    }
}
