//! The store console's contract: the types the admin API (`/v1/admin/...` on the reference
//! server, documented in `docs/admin-api.md`) sends and receives, and the pure rules behind them
//! (what each role may do, how a queue filter travels in a URL). The server and the console
//! both use these, so the two cannot drift.

pub mod audit;
pub mod people;
pub mod query_string;
pub mod queue;
pub mod role;
pub mod rules;
pub mod session;
