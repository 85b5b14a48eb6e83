//! The line of result batches waiting for SQLite's single writer, kept short: a batch that
//! finds it full, or waits in it too long, is shed with 503 and `Retry-After` before it has
//! stored anything, so the client's retry is safe.
//!
//! Without a bound a burst made every batch wait longer than the one before, until clients
//! timed out (and retried into the same line) instead of being told to come back.

use crate::error::AppError;
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
}

impl QueueLimits {
    /// 64 batches: a batch commits in a few milliseconds, so the last in a full line waits well
    /// under a second, far inside any client's timeout.
    pub const DEFAULT_MAX_WAITING: usize = 64;
    /// 2 s: only a writer stalled far beyond the usual (a slow disk, a long checkpoint) makes a
    /// batch wait this long; it is better told to retry than left hanging.
    pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(2);
}

impl Default for QueueLimits {
    fn default() -> Self {
        QueueLimits {
            max_waiting: Self::DEFAULT_MAX_WAITING,
            max_wait: Self::DEFAULT_MAX_WAIT,
        }
    }
}

/// The places in line for the writer.
#[derive(Debug)]
pub struct WriteQueue {
    limits: QueueLimits,
    places: Semaphore,
}

impl WriteQueue {
    /// A line of at most `limits.max_waiting` batches (1 if asked for none, so that a batch can
    /// be written at all).
    pub fn new(limits: QueueLimits) -> Self {
        let limits = QueueLimits {
            max_waiting: limits.max_waiting.clamp(1, Semaphore::MAX_PERMITS),
            ..limits
        };
        WriteQueue {
            places: Semaphore::new(limits.max_waiting),
            limits,
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

    /// A place in line, or 503 at once when the line is full.
    pub fn enter(&self) -> Result<Place<'_>, AppError> {
        let permit = self.places.try_acquire().map_err(|_| overloaded())?;
        Ok(Place {
            _permit: permit,
            deadline: Instant::now() + self.limits.max_wait,
        })
    }
}

/// A batch's place in line; given up when it gets its turn or is dropped.
#[derive(Debug)]
pub struct Place<'a> {
    _permit: SemaphorePermit<'a>,
    deadline: Instant,
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
