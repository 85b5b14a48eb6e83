//! The line of result batches waiting for SQLite's single writer, kept short: a batch that
//! finds it full, or waits in it too long, is shed with 503 and `Retry-After` before it has
//! stored anything, so the client's retry is safe.
//!
//! Without a bound a burst made every batch wait longer than the one before, until clients
//! timed out (and retried into the same line) instead of being told to come back.
//!
//! Each client holds only a few places: one address flooding the line is told 429 with
//! `Retry-After` once it holds its share, and the rest of the line stays free for every other
//! shopper (a flood of 64 batches from one address used to shed everyone else with 503). A
//! client's share is taken before its batch is read ([`WriteQueue::admit`]), so that the flood's
//! extra batches cost no reading or parsing; the place in line only once it is parsed
//! ([`Admission::enter`]), so that a slow body holds no place another client needs.

use crate::error::AppError;
use std::collections::HashMap;
use std::sync::PoisonError;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard, Semaphore, SemaphorePermit};
use tokio::time::Instant;

/// Seconds a shed client is asked to wait: the line drains in milliseconds, and the widget adds
/// jitter on top, so clients shed together do not come back together.
pub const RETRY_AFTER_SECS: u64 = 1;

/// How long the line may get (`serve --max-waiting-batches`, `--max-write-wait-ms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueLimits {
    /// Most batches in line at once (being checked or waiting for the writer; not the one
    /// writing). At least 1.
    pub max_waiting: usize,
    /// Longest a batch waits for its turn to write.
    pub max_wait: Duration,
    /// Most places one client holds at once. At least 1.
    pub per_client: usize,
}

impl QueueLimits {
    /// 64 batches: a batch commits in a few milliseconds, so the last in a full line waits well
    /// under a second, far inside any client's timeout.
    pub const DEFAULT_MAX_WAITING: usize = 64;
    /// 2 s: only a writer stalled far beyond the usual (a slow disk, a long checkpoint) makes a
    /// batch wait this long; it is better told to retry than left hanging.
    pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(2);
    /// 4 batches: a page sends one batch at a time, so this leaves room for a few shoppers
    /// behind one address posting at the same instant, and keeps a flood from one address to
    /// a sliver of the line.
    pub const DEFAULT_PER_CLIENT: usize = 4;
}

impl Default for QueueLimits {
    fn default() -> Self {
        QueueLimits {
            max_waiting: Self::DEFAULT_MAX_WAITING,
            max_wait: Self::DEFAULT_MAX_WAIT,
            per_client: Self::DEFAULT_PER_CLIENT,
        }
    }
}

/// The places in line for the writer.
#[derive(Debug)]
pub struct WriteQueue {
    limits: QueueLimits,
    places: Semaphore,
    /// Places held per client key; a key leaves the map with its last place, so the map is
    /// never larger than the line.
    by_client: std::sync::Mutex<HashMap<String, usize>>,
}

impl WriteQueue {
    /// A line of at most `limits.max_waiting` batches (1 if asked for none, so that a batch can
    /// be written at all).
    pub fn new(limits: QueueLimits) -> Self {
        let limits = QueueLimits {
            max_waiting: limits.max_waiting.clamp(1, Semaphore::MAX_PERMITS),
            max_wait: limits.max_wait,
            per_client: limits.per_client.max(1),
        };
        WriteQueue {
            places: Semaphore::new(limits.max_waiting),
            limits,
            by_client: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The limits this line keeps.
    pub fn limits(&self) -> QueueLimits {
        self.limits
    }

    /// Batches in line now.
    pub fn waiting(&self) -> usize {
        self.limits
            .max_waiting
            .saturating_sub(self.places.available_permits())
    }

    /// One of the few places `client` (a key naming it; `None` when the client is unknown, as
    /// for a request without a peer address, which has no share to keep) may hold: 429 at once
    /// when it holds its share already.
    pub fn admit(&self, client: Option<&str>) -> Result<Admission<'_>, AppError> {
        Ok(Admission {
            queue: self,
            share: client.map(|key| self.share(key)).transpose()?,
        })
    }

    /// One more place for `key`, within its share.
    fn share(&self, key: &str) -> Result<Share<'_>, AppError> {
        // A poisoned lock only means a request panicked mid-count; the counts still hold.
        let mut by_client = self
            .by_client
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let held = by_client.entry(key.to_owned()).or_insert(0);
        if *held >= self.limits.per_client {
            return Err(AppError::RateLimited {
                retry_after_secs: RETRY_AFTER_SECS,
            });
        }
        *held += 1;
        Ok(Share {
            queue: self,
            key: key.to_owned(),
        })
    }
}

/// A batch within its client's share, not yet in line.
#[derive(Debug)]
pub struct Admission<'a> {
    queue: &'a WriteQueue,
    share: Option<Share<'a>>,
}

impl<'a> Admission<'a> {
    /// A place in line, or 503 at once when the line is full.
    pub fn enter(self) -> Result<Place<'a>, AppError> {
        let permit = self.queue.places.try_acquire().map_err(|_| overloaded())?;
        Ok(Place {
            _permit: permit,
            _share: self.share,
            deadline: Instant::now() + self.queue.limits.max_wait,
        })
    }
}

/// A batch's place in line; given up when it gets its turn or is dropped.
#[derive(Debug)]
pub struct Place<'a> {
    _permit: SemaphorePermit<'a>,
    _share: Option<Share<'a>>,
    deadline: Instant,
}

/// One of a client's places; given back when dropped.
#[derive(Debug)]
struct Share<'a> {
    queue: &'a WriteQueue,
    key: String,
}

impl Drop for Share<'_> {
    fn drop(&mut self) {
        let mut by_client = self
            .queue
            .by_client
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(held) = by_client.get_mut(&self.key) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                by_client.remove(&self.key);
            }
        }
    }
}

impl Place<'_> {
    /// Waits for the turn to write on `writer`, or answers 503 once the batch has waited
    /// [`QueueLimits::max_wait`] since it entered the line.
    pub async fn turn(self, writer: &Mutex<()>) -> Result<MutexGuard<'_, ()>, AppError> {
        tokio::time::timeout_at(self.deadline, writer.lock())
            .await
            .map_err(|_| overloaded())
    }
}

fn overloaded() -> AppError {
    AppError::Overloaded {
        retry_after_secs: RETRY_AFTER_SECS,
    }
}
