//! The demo-only `GET /demo/order-token`: the demo store "places" an order and signs its order
//! token with the buyer facts a real backend would sign (name, e-mail, orders placed before), so
//! the referral flow can be tried end to end without a shop behind it.

use crate::clock::now_millis;
use crate::error::AppError;
use crate::query::Params;
use crate::state::AppState;
use crate::tokens::order::{self as order_token, OrderTokenRequest};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use encore_core::referral::email::fingerprint;
use encore_core::token::{Buyer, Contact, OrderItem};
use serde_json::json;
use sqlx::SqlitePool;

/// Days a demo order token lives.
const TTL_DAYS: u64 = 30;
/// Longest demo order id.
const MAX_ORDER_LEN: usize = 32;
/// Most products in one demo order: the token must stay short enough to be read back.
const MAX_ITEMS: usize = 10;

/// Handles `GET /demo/order-token?store=S&order=ID&items=P,P&email=E&name=N&buyer=M`: records
/// order `ID` on first sight and answers `{"order", "token"}` with a 30-day order token naming
/// the products, the buyer's contact and `orders_before` (demo orders of the same e-mail recorded
/// before this one; left out without an e-mail). 404 unless the store has `[store.demo]
/// mint_order_tokens = true`; 400 for a malformed order id, an unknown product or a bad e-mail,
/// and for an order id already recorded with another e-mail.
pub(crate) async fn get_demo_order_token(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, AppError> {
    let store = params
        .get("store")
        .and_then(|id| state.config.store(id))
        .filter(|store| store.mint_demo_order_tokens)
        .ok_or(AppError::NotFound)?;
    let order = params.required("order")?;
    if !is_demo_order_id(order) {
        return Err(AppError::InvalidQuery(format!(
            "`order` must be 1 to {MAX_ORDER_LEN} letters, digits or '-'"
        )));
    }
    let items = params
        .required("items")?
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| {
            store
                .product_name(id)
                .map(|name| OrderItem {
                    product: id.to_owned(),
                    name: name.to_owned(),
                })
                .ok_or_else(|| {
                    AppError::InvalidQuery(format!(
                        "`items` names {id:?}, which is not one of the store's products"
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(AppError::InvalidQuery(format!(
            "`items` must list 1 to {MAX_ITEMS} product ids, separated by commas"
        )));
    }
    let email = params.get("email");
    let email_fp = email
        .map(|e| {
            fingerprint(e)
                .ok_or_else(|| AppError::InvalidQuery("`email` must be an e-mail address".into()))
        })
        .transpose()?;
    let mut buyer = Buyer {
        contact: Contact {
            name: params.get("name").map(str::to_owned),
            email: email.map(str::to_owned),
        },
        member: params.get("buyer").map(str::to_owned),
        orders_before: None,
    };
    // Before recording: a refused request must not count as an order placed.
    order_token::check_buyer(&buyer).map_err(|e| AppError::InvalidQuery(e.to_string()))?;
    let now = now_millis();
    buyer.orders_before = record(&state.db, &store.id, order, email_fp.as_deref(), now).await?;
    let request = OrderTokenRequest {
        store: store.id.clone(),
        order: order.to_owned(),
        items,
        buyer,
        ttl_days: TTL_DAYS,
        key: None,
        now: u64::try_from(now / 1000).unwrap_or(0),
    };
    let token = order_token::mint(&state.config, request)
        .map_err(|e| AppError::InvalidQuery(e.to_string()))?;
    let mut response = Json(json!({ "order": order, "token": token })).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Whether `order` is a demo order id: 1 to 32 of `[A-Za-z0-9-]`.
fn is_demo_order_id(order: &str) -> bool {
    (1..=MAX_ORDER_LEN).contains(&order.len())
        && order
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Records `order` of `store` on first sight, and counts the demo orders of the same e-mail
/// recorded before it (`None` without an e-mail: the history is unknown). A second call for the
/// same order answers the same count.
async fn record(
    db: &SqlitePool,
    store: &str,
    order: &str,
    email_fp: Option<&str>,
    now: i64,
) -> Result<Option<u32>, AppError> {
    // IMMEDIATE: the insert and the count must see one state, with no lock upgrade to fail.
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(
        "INSERT INTO demo_orders (store, order_id, email_fp, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (store, order_id) DO NOTHING",
    )
    .bind(store)
    .bind(order)
    .bind(email_fp)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let (seq, stored_fp): (i64, Option<String>) =
        sqlx::query_as("SELECT seq, email_fp FROM demo_orders WHERE store = $1 AND order_id = $2")
            .bind(store)
            .bind(order)
            .fetch_one(&mut *tx)
            .await?;
    if stored_fp.as_deref() != email_fp {
        return Err(AppError::InvalidQuery(format!(
            "order {order:?} was placed with another e-mail address; use a new order id"
        )));
    }
    let before = match email_fp {
        Some(fp) => {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM demo_orders WHERE store = $1 AND email_fp = $2 AND seq < $3",
            )
            .bind(store)
            .bind(fp)
            .bind(seq)
            .fetch_one(&mut *tx)
            .await?;
            Some(u32::try_from(n).unwrap_or(u32::MAX))
        }
        None => None,
    };
    tx.commit().await?;
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::is_demo_order_id;

    #[test]
    fn demo_order_ids_are_short_and_plain() {
        assert!(is_demo_order_id("A-1001"));
        assert!(is_demo_order_id(&"9".repeat(32)));
        for bad in ["", "a b", "1001/2", "<b>", &"9".repeat(33)] {
            assert!(!is_demo_order_id(bad), "{bad:?}");
        }
    }
}
