//! `encore-server`: the reference endpoint of Encore's v1 contract (axum + SQLite), built as a
//! library so that tests and tools get exactly the router the binary serves.

pub mod admin;
pub mod app;
mod body;
mod body_deadline;
mod client_ip;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod event_log;
mod events;
mod health;
pub mod ip_range;
pub mod listener;
pub mod offers;
mod query;
pub mod rate_limit;
pub mod redact;
pub mod referral;
pub mod reviews;
pub mod state;
pub mod surprise;
mod table;
mod token_read;
pub mod tokens;
pub mod write_queue;

pub use app::{AppOptions, app, app_with};
pub use config::{ConfigError, ServerConfig};
pub use events::{MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH, client_limits};
pub use state::AppState;
