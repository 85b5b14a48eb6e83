//! Getting results to the store's endpoint without losing any: a durable outbox in
//! IndexedDB, one sender per page, and the `encore:result` DOM event for the store.

pub mod acks;
pub mod follow;
pub mod http;
pub mod idb;
pub mod outbox;
pub mod photos;
pub mod results;
pub mod sender;
pub mod uploads;
