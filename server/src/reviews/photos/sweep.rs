//! Photos uploaded but never put on a review. The widget uploads a review's photos just before
//! it sends the review, so an upload whose review never comes (the shopper left, or a client
//! that only uploads) would stay forever, bytes and all: `serve` deletes those older than
//! [`ORPHAN_AFTER`] every [`SWEEP_EVERY`] ([`spawn`]).

use super::storage;
use crate::clock::now_millis;
use sqlx::SqlitePool;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// How long an upload waits for its review. The review follows within seconds when the network
/// holds; a day also covers an endpoint that is down for hours meanwhile. A page opened later
/// uploads its photos again (the same upload id is stored afresh), so only a page left open
/// through a day of failures loses them.
pub const ORPHAN_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// How often `serve` sweeps.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

/// Deletes the photos on no review uploaded more than [`ORPHAN_AFTER`] before `now_ms` (ms
/// since the Unix epoch), in every store; how many went.
pub async fn sweep_orphans(db: &SqlitePool, now_ms: i64) -> Result<u64, sqlx::Error> {
    let age = i64::try_from(ORPHAN_AFTER.as_millis()).unwrap_or(i64::MAX);
    storage::delete_unattached_before(db, now_ms.saturating_sub(age)).await
}

/// Sweeps now and then every [`SWEEP_EVERY`] until the task is aborted; a failed sweep is
/// logged and tried again at the next.
pub fn spawn(db: SqlitePool) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        every.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match sweep_orphans(&db, now_millis()).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "orphaned review photos deleted"),
                Err(e) => tracing::warn!(error = %e, "the sweep of orphaned photos failed"),
            }
        }
    })
}
