//! What this browser remembers per code (in `localStorage`): the redemption id it used, so a
//! reload or retry sends the same one and hears the same answer; whether the result was
//! queued; and whether the prize was revealed already (a revisit skips the ceremony).

use encore_core::event_id::EventId;
use serde::{Deserialize, Serialize};

/// The browser's memory of one code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRecord {
    /// This browser's redemption id for the code.
    pub redemption: EventId,
    /// Whether the `surprise.redeemed` result was queued in the outbox.
    #[serde(default)]
    pub queued: bool,
    /// Whether the shopper has seen the prize.
    #[serde(default)]
    pub revealed: bool,
}

impl CodeRecord {
    /// A record for a first attempt.
    pub fn new(redemption: EventId) -> Self {
        CodeRecord {
            redemption,
            queued: false,
            revealed: false,
        }
    }

    /// Reads a stored record; anything malformed (tampered with, from another version) is
    /// `None`, and the code starts afresh.
    pub fn parse(text: &str) -> Option<CodeRecord> {
        if text.len() > 512 {
            return None;
        }
        serde_json::from_str(text).ok()
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The storage key of a code's record for `store` (`code` canonical).
pub fn record_key(store: &str, code: &str) -> String {
    format!("encore:surprise:{store}:{code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn a_record_round_trips() {
        let id = EventId::parse(ID).expect("a uuid");
        let mut record = CodeRecord::new(id);
        record.revealed = true;
        assert_eq!(CodeRecord::parse(&record.to_json()), Some(record));
        let old = CodeRecord::parse(&format!(r#"{{"redemption":"{ID}"}}"#)).expect("defaults");
        assert!(!old.queued && !old.revealed);
    }

    #[test]
    fn malformed_records_are_dropped() {
        for bad in [
            "",
            "null",
            "{}",
            r#"{"redemption":"not-a-uuid"}"#,
            r#"{"redemption":42}"#,
            r#"{"redemption":"0f8fad5b-d9cb-469f-a165-70867728950e","revealed":"yes"}"#,
        ] {
            assert_eq!(CodeRecord::parse(bad), None, "{bad}");
        }
        let long = format!(r#"{{"redemption":"{ID}","x":"{}"}}"#, "a".repeat(600));
        assert_eq!(CodeRecord::parse(&long), None);
        assert_ne!(record_key("a", "B"), crate::device::device_key("a"));
    }
}
