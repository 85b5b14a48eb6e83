//! Verified purchases: whether a review comes from a buyer the store signed an order token for.

use crate::config::StoreConfig;
use crate::tokens::order::verify_order;

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
