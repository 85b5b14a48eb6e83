//! Result batches: any bytes parsed as a batch, then result by result; a decoded result
//! encodes and decodes to itself.

#![no_main]

use encore_core::events::{EventBatch, decode_event};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raws: Vec<serde_json::Value> = match serde_json::from_slice::<EventBatch>(data) {
        Ok(batch) => batch.events,
        Err(_) => serde_json::from_slice(data).into_iter().collect(),
    };
    for raw in &raws {
        if let Ok(event) = decode_event(raw) {
            let wire = serde_json::to_value(&event).expect("an event serialises");
            assert_eq!(decode_event(&wire), Ok(event));
        }
    }
});
