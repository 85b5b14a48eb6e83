//! Member and order tokens on the server: each kind verified as a store's backend signed it, and
//! minted with the same signature for the command line and the demo store.

pub mod member;
pub mod order;
