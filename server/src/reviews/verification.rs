//! Order tokens: whether a review or review request comes from a buyer the store signed for.

use crate::config::StoreConfig;
use encore_core::token::{self, Expectations, OrderClaims, TokenError};

/// Longest lifetime (`exp - iat`) accepted for an order token: review requests go out after
/// delivery and shoppers answer them weeks later.
pub const ORDER_TOKEN_MAX_LIFETIME_SECS: u64 = 180 * 24 * 60 * 60;

/// The claims of `token` when it is valid for `store` at `now` (seconds since the Unix
/// epoch) and signed with one of the store's keys.
pub fn verify_order(store: &StoreConfig, token: &str, now: u64) -> Result<OrderClaims, TokenError> {
    token::verify::<OrderClaims>(
        token,
        |kid| store.secret(kid),
        Expectations {
            store: &store.id,
            now,
            max_lifetime: ORDER_TOKEN_MAX_LIFETIME_SECS,
        },
    )
}

/// Whether a review of `product` in `order` is by a verified buyer: the token is valid, is
/// for that order, and lists that product.
pub fn is_verified_purchase(
    store: &StoreConfig,
    token: Option<&str>,
    order: Option<&str>,
    product: &str,
    now: u64,
) -> bool {
    let (Some(token), Some(order)) = (token, order) else {
        return false;
    };
    match verify_order(store, token, now) {
        Ok(claims) => claims.order == order && claims.items.iter().any(|i| i.product == product),
        Err(e) => {
            tracing::debug!(store = %store.id, error = %e, "order token not accepted");
            false
        }
    }
}
