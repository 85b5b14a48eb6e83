//! QR-code surprise promotions, the widget's side (`mode="scan"`): the landing page a printed
//! code opens, with its redemption, reveal ceremony and prize.
//!
//! `state` holds the pure reducer, `api` the network side (queueing, redeeming with retries,
//! the odds), `storage` what this browser remembers per code, `scan_landing` the component
//! that ties them together; `codes`, `record` and `scratch` are pure helpers (where a code
//! comes from, the shape of a code's record, how much of the card is scratched); `reveal`,
//! `prize`, `odds`, `entry` and `scanner` (with `camera`) are the views; `strings` the words.

pub mod api;
pub mod camera;
pub mod codes;
pub mod entry;
pub mod odds;
pub mod prize;
pub mod record;
pub mod reveal;
pub mod scan_landing;
pub mod scanner;
pub mod scratch;
pub mod state;
pub mod storage;
pub mod strings;

pub use scan_landing::ScanLanding;
