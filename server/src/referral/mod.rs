//! Referral on the reference server: advocates and their stable codes, the advocate's panel and
//! the friend's welcome, landings and referred orders judged inside the batch transaction, the
//! store's review of held referrals, and the demo store's order tokens.

pub mod advocate;
pub mod counts;
pub(crate) mod demo;
pub mod results;
pub mod review;
pub(crate) mod routes;
mod status;

pub use routes::WELCOME_PER_IP_PER_MINUTE;
pub use status::ReferralStatus;

use crate::config::ServerConfig;

/// The ids of the stores that let `GET /demo/order-token` mint order tokens: anyone can then
/// claim any order, so the server warns about each at startup.
pub fn demo_order_token_stores(config: &ServerConfig) -> Vec<&str> {
    config
        .stores()
        .iter()
        .filter(|s| s.mint_demo_order_tokens)
        .map(|s| s.id.as_str())
        .collect()
}
