//! `POST /v1/orders/{order}/review-request` (and its deprecated `GET` form): what a review-request link asks about, whether its
//! reviews will be verified, and which items are already reviewed.

use super::Status;
use super::submission::stored_reward;
use crate::clock::now_millis;
use crate::config::StoreConfig;
use crate::error::AppError;
use crate::state::AppState;
use crate::token_read::TokenRead;
use crate::tokens::order::verify_order;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use encore_core::reviews::{RequestItem, ReviewRequest, ReviewRequestQuery, TokenProblem};
use encore_core::token::{self, OrderClaims, OrderItem, TokenError};
use sqlx::SqlitePool;

/// Handles `POST /v1/orders/{order}/review-request` with a [`ReviewRequestQuery`] body, and
/// the deprecated `GET /v1/orders/{order}/review-request?store=S&token=T`.
pub(crate) async fn review_request_of(
    State(state): State<AppState>,
    Path(order): Path<String>,
    read: TokenRead<ReviewRequestQuery>,
) -> Result<Response, AppError> {
    let store = read.store(&state)?;
    let now = u64::try_from(now_millis() / 1000).unwrap_or(0);
    let request = review_request(&state.db, store, &order, read.token(), now).await?;
    let mut response = Json(request).into_response();
    // The answer follows from a secret-bearing link; no cache should keep it.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(read.answer(response))
}

/// The review request of `order` in `store` as `token` (if any) describes it at `now` (s).
///
/// Only a token that verifies for this order opens the database: what the order holds, which
/// items were reviewed and the rewards they earned belong to its buyer. A token that does not
/// verify gets its own unverified claims back, every item open and without reward, so the
/// answer is the same whether the order exists or not, and a shopper with an expired link can
/// still write unverified reviews.
pub async fn review_request(
    db: &SqlitePool,
    store: &StoreConfig,
    order: &str,
    token: Option<&str>,
    now: u64,
) -> Result<ReviewRequest, sqlx::Error> {
    let (verified, problem, items) = match token {
        None => (false, Some(TokenProblem::Missing), Vec::new()),
        Some(token) => match verify_order(store, token, now) {
            Ok(claims) if claims.order == order => (true, None, claims.items),
            Ok(_) => (false, Some(TokenProblem::Invalid), Vec::new()),
            Err(e) => {
                let problem = match e {
                    TokenError::Expired => TokenProblem::Expired,
                    _ => TokenProblem::Invalid,
                };
                // Still list what the link was for: unverified reviews are welcome.
                let items = token::read_unverified::<OrderClaims>(token)
                    .ok()
                    .filter(|c| c.envelope.store == store.id && c.order == order)
                    .map(|c| c.items)
                    .unwrap_or_default();
                (false, Some(problem), items)
            }
        },
    };
    let mut listed = Vec::with_capacity(items.len());
    for OrderItem { product, name } in items {
        if listed.iter().any(|i: &RequestItem| i.product == product) {
            continue;
        }
        let reviewed = if verified {
            verified_review(db, &store.id, order, &product).await?
        } else {
            None
        };
        let (done, reward) = match reviewed {
            Some(id) => {
                let mut conn = db.acquire().await?;
                (true, stored_reward(&mut conn, &id).await?)
            }
            None => (false, None),
        };
        let name = if name.trim().is_empty() {
            store.product_name(&product).unwrap_or(&product).to_owned()
        } else {
            name
        };
        listed.push(RequestItem {
            product,
            name,
            done,
            reward,
        });
    }
    Ok(ReviewRequest {
        order: order.to_owned(),
        verified,
        problem,
        items: listed,
        form: store.reviews.form.clone(),
    })
}

/// The id of a verified review of `product` from `order` that the store has not rejected. Only
/// verified reviews count: anyone can name an order in an unverified review, and that must not
/// close the real buyer's form.
async fn verified_review(
    db: &SqlitePool,
    store: &str,
    order: &str,
    product: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM reviews WHERE store = $1 AND order_id = $2 AND product = $3 \
         AND status <> $4 AND verified = 1 \
         ORDER BY created_at ASC, id ASC LIMIT 1",
    )
    .bind(store)
    .bind(order)
    .bind(product)
    .bind(Status::Rejected.as_str())
    .fetch_optional(db)
    .await
}
