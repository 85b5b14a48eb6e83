//! Turns at the photo decoder. Decoding is where a photo costs memory (its full-size pixels),
//! so only [`DecodeSlots::DEFAULT_DECODERS`] photos decode at once and a short line of others
//! waits, each with its uploaded bytes; past that, or after waiting too long, an upload is
//! answered 503 with `Retry-After` (the widget's upload line retries it then). The memory all
//! uploads can take together is therefore bounded by these numbers, however many arrive.
//!
//! Before, every upload decoded at once in its own blocking thread: twenty parallel uploads of
//! one 155 KB PNG bomb could ask for gigabytes.

use crate::error::AppError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Seconds a shed upload is asked to wait: a decode takes a few tenths of a second at most, so
/// the line has moved on by then.
pub const RETRY_AFTER_SECS: u64 = 2;

/// The decoders and their line.
#[derive(Debug)]
pub struct DecodeSlots {
    /// Photos decoding now.
    decoders: Arc<Semaphore>,
    /// Photos decoding or waiting to (each holding its upload, up to 5 MB).
    places: Arc<Semaphore>,
    max_wait: Duration,
}

impl DecodeSlots {
    /// Two decodes at once: the largest accepted photo decodes, shrinks and re-encodes in
    /// 0.1–0.5 s (release build, idle to busy machine), so two keep up with far more photos
    /// than shoppers upload, on any machine, and the memory bound (about 45 MB a decode) does
    /// not grow with the number of CPUs.
    pub const DEFAULT_DECODERS: usize = 2;
    /// Sixteen photos decoding or waiting: a full line clears in a few seconds at most.
    pub const DEFAULT_LINE: usize = 16;
    /// 5 s: far above the wait of a full line; longer only when something is wrong, and then
    /// the shopper's upload is better retried later than left hanging.
    pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(5);

    /// `decoders` at once (at least 1) and a line of `line` (at least `decoders`), each upload
    /// waiting at most `max_wait` for its turn.
    pub fn new(decoders: usize, line: usize, max_wait: Duration) -> Self {
        let decoders = decoders.clamp(1, Semaphore::MAX_PERMITS);
        DecodeSlots {
            decoders: Arc::new(Semaphore::new(decoders)),
            places: Arc::new(Semaphore::new(line.clamp(decoders, Semaphore::MAX_PERMITS))),
            max_wait,
        }
    }

    /// A turn to decode: at once when a decoder is free, after waiting in line otherwise; 503
    /// at once when the line is full, or once the upload has waited `max_wait`. The turn is
    /// owned, so that it can go along with the decode into its blocking thread: a client that
    /// hangs up does not free a decoder that is still working.
    pub async fn turn(&self) -> Result<DecodeTurn, AppError> {
        let place = Arc::clone(&self.places)
            .try_acquire_owned()
            .map_err(|_| overloaded())?;
        let decoder =
            tokio::time::timeout(self.max_wait, Arc::clone(&self.decoders).acquire_owned())
                .await
                .map_err(|_| overloaded())?
                .map_err(|_| overloaded())?;
        Ok(DecodeTurn {
            _decoder: decoder,
            _place: place,
        })
    }
}

impl Default for DecodeSlots {
    fn default() -> Self {
        DecodeSlots::new(
            Self::DEFAULT_DECODERS,
            Self::DEFAULT_LINE,
            Self::DEFAULT_MAX_WAIT,
        )
    }
}

/// A photo's turn at a decoder, given back when dropped.
#[derive(Debug)]
pub struct DecodeTurn {
    _decoder: OwnedSemaphorePermit,
    _place: OwnedSemaphorePermit,
}

fn overloaded() -> AppError {
    AppError::Overloaded {
        retry_after_secs: RETRY_AFTER_SECS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_overloaded(result: &Result<DecodeTurn, AppError>) -> bool {
        matches!(
            result,
            Err(AppError::Overloaded {
                retry_after_secs: RETRY_AFTER_SECS
            })
        )
    }

    #[tokio::test]
    async fn decodes_are_bounded_and_a_long_wait_is_shed() {
        let slots = DecodeSlots::new(2, 3, Duration::from_millis(50));
        let first = slots.turn().await.expect("a free decoder");
        let _second = slots.turn().await.expect("a free decoder");
        // Both decoders busy: the third waits, then is told to come back.
        assert!(is_overloaded(&slots.turn().await));
        // A turn given back is taken by the next in line.
        let waiting = slots.turn();
        drop(first);
        assert!(waiting.await.is_ok());
    }

    #[tokio::test]
    async fn a_full_line_is_shed_at_once() {
        let slots = DecodeSlots::new(1, 2, Duration::from_secs(3600));
        let _decoding = slots.turn().await.expect("a free decoder");
        let waiting = slots.turn();
        tokio::pin!(waiting);
        // Polled once, it takes its place in line and waits.
        assert!(futures_util::poll!(waiting.as_mut()).is_pending());
        let shed = tokio::time::timeout(Duration::from_secs(5), slots.turn())
            .await
            .expect("answered at once, not after the wait");
        assert!(is_overloaded(&shed));
    }
}
