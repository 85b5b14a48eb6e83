//! Member-only offers on the reference server: reading member tokens, the offers page, claims
//! (`offer.claimed`) with their limits and code pools, and the demo store's token minting.

pub(crate) mod claiming;
mod ledger;
pub mod membership;
pub mod page;
pub mod pools;
pub(crate) mod routes;

pub use pools::{PoolsLoaded, load_code_pools};

use crate::config::ServerConfig;

/// The ids of the stores that let `GET /demo/member-token` mint member tokens: anyone can then
/// sign in as any member, so the server warns about each at startup.
pub fn demo_minting_stores(config: &ServerConfig) -> Vec<&str> {
    config
        .stores()
        .iter()
        .filter(|s| s.members.mint_demo_tokens)
        .map(|s| s.id.as_str())
        .collect()
}
