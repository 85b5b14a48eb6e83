//! Encore's shared types and pure logic, used by the widget (wasm) and the reference server.
//!
//! Nothing here touches the browser or the network: everything that can be decided without
//! them is decided here and tested on the host with plain `cargo test`.

pub mod admin;
pub mod backoff;
pub mod config;
pub mod delivery;
pub mod event_id;
pub mod events;
pub mod issued_code;
pub mod length_caps;
pub mod locale;
pub mod offers;
pub mod outbox;
pub mod qr;
pub mod referral;
pub mod reviews;
pub mod surprise;
pub mod token;
pub mod url;
