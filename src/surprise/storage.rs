//! What this browser remembers per code, kept in `localStorage` (in memory when storage is
//! refused): the record made on first use, saved as the attempt goes, marked once the prize
//! was revealed.

use super::record::{CodeRecord, record_key};
use crate::storage::{keep, load};
use crate::transport::results;

/// This browser's record of `code` (canonical) for `store`, made and kept on first use.
pub fn record(store_id: &str, code: &str) -> CodeRecord {
    let key = record_key(store_id, code);
    if let Some(record) = load(&key).as_deref().and_then(CodeRecord::parse) {
        return record;
    }
    let record = CodeRecord::new(results::new_event_id());
    keep(&key, &record.to_json());
    record
}

/// Keeps `record` for `code`.
pub fn save(store_id: &str, code: &str, record: &CodeRecord) {
    keep(&record_key(store_id, code), &record.to_json());
}

/// Remembers that the prize of `code` was revealed.
pub fn mark_revealed(store_id: &str, code: &str) {
    let mut record = record(store_id, code);
    if !record.revealed {
        record.revealed = true;
        save(store_id, code, &record);
    }
}

/// Whether this browser revealed the prize of `code` before (without making a record).
pub fn was_revealed(store_id: &str, code: &str) -> bool {
    load(&record_key(store_id, code))
        .as_deref()
        .and_then(CodeRecord::parse)
        .is_some_and(|r| r.revealed)
}
