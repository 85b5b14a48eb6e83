//! This browser's device id per store: a random UUID made once and kept, sent with a surprise
//! redemption and a referred order so the store's limits count one device as one.

use crate::storage;
use crate::transport::results::new_event_id;
use encore_core::surprise::redeem::is_device_id;

/// The storage key of this browser's device id for `store`.
pub fn device_key(store: &str) -> String {
    format!("encore:surprise-device:{store}")
}

/// This browser's device id for `store`: a random UUID made once and kept.
pub fn device_id(store: &str) -> String {
    let key = device_key(store);
    if let Some(id) = storage::load(&key).filter(|id| is_device_id(id)) {
        return id;
    }
    let id = new_event_id().to_string();
    storage::keep(&key, &id);
    id
}
