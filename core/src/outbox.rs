//! Bookkeeping of the browser's outbox: what may be stored, what is evicted or expires, and
//! which results go in the next batch. The widget stores entries in IndexedDB; the decisions
//! are made here.

use crate::events::{MAX_BATCH_BYTES, MAX_BATCH_EVENTS};

/// Most results kept in one browser.
pub const MAX_ENTRIES: usize = 1_000;
/// Most bytes of result JSON kept in one browser.
pub const MAX_BYTES: usize = 512 * 1024;
/// Age after which a result that could not be delivered is given up.
pub const MAX_AGE_MS: u64 = 7 * 24 * 60 * 60 * 1000;
/// Largest body of a `keepalive` flush when the page is hidden: browsers refuse
/// `keepalive` bodies past 64 KiB in flight.
pub const MAX_KEEPALIVE_BYTES: usize = 60 * 1024;

/// What the bookkeeping needs to know about a stored result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryMeta {
    /// The result's id.
    pub id: String,
    /// Size of the result's JSON, in bytes.
    pub bytes: usize,
    /// When it was queued, in milliseconds since the epoch.
    pub enqueued_at: u64,
    /// Whether a person did this (never evicted; a full outbox is their error to see).
    pub user_action: bool,
}

/// Why a result cannot be queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The outbox is at its caps with results that may not be evicted.
    Full,
    /// This one result is larger than any batch may be.
    TooLarge,
}

/// The decision on queuing a new result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// Store it, after deleting these analytics results (oldest first) to make room.
    Admit {
        /// Ids to delete in the same transaction.
        evict: Vec<String>,
    },
    /// Do not store it.
    Refuse(Refusal),
}

/// Decides whether `new` may join `existing` (oldest first) within the caps.
///
/// Analytics results make room for anything by leaving oldest first; a user action is
/// refused only when user actions alone fill the outbox. An analytics result never evicts a
/// newer one: if it does not fit after evicting older analytics, it is the one dropped.
pub fn admit(existing: &[EntryMeta], new: &EntryMeta) -> Admission {
    if new.bytes + 12 > MAX_BATCH_BYTES {
        return Admission::Refuse(Refusal::TooLarge);
    }
    let mut count = existing.len() + 1;
    let mut bytes = existing.iter().map(|e| e.bytes).sum::<usize>() + new.bytes;
    let mut evict = Vec::new();
    let mut evictable = existing.iter().filter(|e| !e.user_action);
    while count > MAX_ENTRIES || bytes > MAX_BYTES {
        match evictable.next() {
            Some(old) if new.user_action || old.enqueued_at <= new.enqueued_at => {
                count -= 1;
                bytes -= old.bytes;
                evict.push(old.id.clone());
            }
            _ => return Admission::Refuse(Refusal::Full),
        }
    }
    Admission::Admit { evict }
}

/// The ids of results older than [`MAX_AGE_MS`] at `now_ms`.
pub fn expired(existing: &[EntryMeta], now_ms: u64) -> Vec<String> {
    existing
        .iter()
        .filter(|e| now_ms.saturating_sub(e.enqueued_at) > MAX_AGE_MS)
        .map(|e| e.id.clone())
        .collect()
}

/// Size of the JSON batch body `{"events":[a,b,…]}` holding results of these sizes.
pub fn batch_body_bytes(sizes: impl IntoIterator<Item = usize>) -> usize {
    let (n, sum) = sizes
        .into_iter()
        .fold((0usize, 0usize), |(n, s), b| (n + 1, s + b));
    r#"{"events":[]}"#.len() + sum + n.saturating_sub(1)
}

/// How many of the oldest results (sizes given oldest first) go in the next batch: at most
/// `max_events`, and a body of at most `max_bytes`; always at least one when any is waiting.
pub fn batch_len(sizes: &[usize], max_events: usize, max_bytes: usize) -> usize {
    let mut n = 0;
    while n < sizes.len().min(max_events.max(1)) {
        if n > 0 && batch_body_bytes(sizes[..=n].iter().copied()) > max_bytes {
            break;
        }
        n += 1;
    }
    n
}

/// The default batch: [`MAX_BATCH_EVENTS`] results, [`MAX_BATCH_BYTES`] bytes.
pub fn default_batch_len(sizes: &[usize]) -> usize {
    batch_len(sizes, MAX_BATCH_EVENTS, MAX_BATCH_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: usize, bytes: usize, at: u64, user_action: bool) -> EntryMeta {
        EntryMeta {
            id: format!("e{id}"),
            bytes,
            enqueued_at: at,
            user_action,
        }
    }

    #[test]
    fn results_are_admitted_while_there_is_room() {
        let existing: Vec<_> = (0..10).map(|i| entry(i, 100, i as u64, false)).collect();
        assert_eq!(
            admit(&existing, &entry(99, 100, 50, true)),
            Admission::Admit { evict: vec![] }
        );
    }

    #[test]
    fn the_count_cap_evicts_the_oldest_analytics() {
        let mut existing: Vec<_> = (0..MAX_ENTRIES)
            .map(|i| entry(i, 10, i as u64, i % 2 == 0))
            .collect();
        existing.sort_by_key(|e| e.enqueued_at);
        let got = admit(&existing, &entry(5000, 10, 10_000, true));
        assert_eq!(
            got,
            Admission::Admit {
                evict: vec!["e1".into()]
            }
        );
        let got = admit(&existing, &entry(5001, 10, 10_000, false));
        assert_eq!(
            got,
            Admission::Admit {
                evict: vec!["e1".into()]
            }
        );
    }

    #[test]
    fn the_byte_cap_evicts_as_many_as_needed() {
        let existing: Vec<_> = (0..10)
            .map(|i| entry(i, 50 * 1024, i as u64, false))
            .collect();
        let got = admit(&existing, &entry(10, 30 * 1024, 100, true));
        assert_eq!(
            got,
            Admission::Admit {
                evict: vec!["e0".into()]
            }
        );
        let big = entry(11, 58 * 1024, 100, true);
        let full: Vec<_> = (0..10)
            .map(|i| entry(i, 51 * 1024, i as u64, false))
            .collect();
        assert_eq!(
            admit(&full, &big),
            Admission::Admit {
                evict: vec!["e0".into(), "e1".into()]
            }
        );
    }

    #[test]
    fn user_actions_are_never_evicted_and_a_full_outbox_is_refused() {
        let existing: Vec<_> = (0..MAX_ENTRIES)
            .map(|i| entry(i, 10, i as u64, true))
            .collect();
        assert_eq!(
            admit(&existing, &entry(1, 10, 5_000, true)),
            Admission::Refuse(Refusal::Full)
        );
        assert_eq!(
            admit(&existing, &entry(1, 10, 5_000, false)),
            Admission::Refuse(Refusal::Full)
        );
    }

    #[test]
    fn an_old_analytics_result_does_not_push_out_newer_ones() {
        let existing: Vec<_> = (0..MAX_ENTRIES)
            .map(|i| entry(i, 10, 100 + i as u64, false))
            .collect();
        assert_eq!(
            admit(&existing, &entry(1, 10, 5, false)),
            Admission::Refuse(Refusal::Full)
        );
    }

    #[test]
    fn a_result_larger_than_a_batch_is_refused() {
        assert_eq!(
            admit(&[], &entry(1, MAX_BATCH_BYTES, 0, true)),
            Admission::Refuse(Refusal::TooLarge)
        );
    }

    #[test]
    fn results_expire_after_seven_days() {
        let now = 10 * MAX_AGE_MS;
        let existing = [
            entry(1, 1, now - MAX_AGE_MS - 1, true),
            entry(2, 1, now - MAX_AGE_MS, false),
        ];
        assert_eq!(expired(&existing, now), vec!["e1".to_owned()]);
    }

    #[test]
    fn batches_respect_count_and_bytes() {
        assert_eq!(batch_body_bytes([]), 13);
        assert_eq!(batch_body_bytes([10, 10]), 13 + 21);
        assert_eq!(batch_len(&[], 50, 1000), 0);
        assert_eq!(batch_len(&[10; 80], 50, 100_000), 50);
        assert_eq!(batch_len(&[100; 10], 50, 13 + 100 * 3 + 2), 3);
        // A single result larger than max_bytes still goes alone, so nothing is stuck.
        assert_eq!(batch_len(&[5_000, 10], 50, 1_000), 1);
        assert_eq!(default_batch_len(&[1_000; 100]), 50);
        assert_eq!(default_batch_len(&[10_000; 10]), 6);
    }
}
