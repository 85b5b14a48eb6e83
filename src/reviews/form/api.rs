//! The review form's side effects: loading a review request, queueing a review with its
//! photos, and remembering in this browser which items of an order were reviewed.

use crate::small_map::SmallMap;
use crate::storage::local_storage;
use crate::transport::http::{self, HttpError};
use crate::transport::outbox::EnqueueError;
use crate::transport::photos::PendingPhoto;
use crate::transport::results;
use encore_core::config::WidgetConfig;
use encore_core::events::EventBody;
use encore_core::reviews::{ReviewRequest, ReviewRequestQuery, ReviewSubmitted};
use web_sys::HtmlElement;

/// `POST {endpoint}/v1/orders/{order}/review-request` with the store and the order token in
/// the body, never the URL: the token lives for months and carries the buyer's details.
pub async fn load_request(
    config: &WidgetConfig,
    order: &str,
    token: Option<&str>,
) -> Result<ReviewRequest, HttpError> {
    let url = format!(
        "{}/v1/orders/{}/review-request",
        config.endpoint.as_str(),
        http::encode(order),
    );
    let query = ReviewRequestQuery {
        store: config.store.clone(),
        token: token.map(str::to_owned),
    };
    http::read_json(&url, &query).await
}

/// Queues `review` with its photos; resolves with the result id once both are stored.
pub async fn submit(
    host: &HtmlElement,
    config: &WidgetConfig,
    review: ReviewSubmitted,
    photos: Vec<PendingPhoto>,
) -> Result<String, EnqueueError> {
    let body = EventBody::ReviewSubmitted(review);
    let event = results::emit_with_photos(host, config, body, photos).await?;
    Ok(event.id.to_string())
}

/// The localStorage key remembering an order's reviews in this browser.
pub fn memory_key(store: &str, order: &str) -> String {
    format!("encore:reviewed:{store}:{order}")
}

/// What this browser remembers of an order's reviews: each product reviewed here, with the
/// result id of its review (stored in localStorage as a JSON object).
pub type ReviewedHere = SmallMap<String, String>;

/// Products of `order` reviewed in this browser, with their result ids.
pub fn reviewed_here(store: &str, order: &str) -> ReviewedHere {
    // Blocked storage (some private modes) throws: then nothing is remembered.
    local_storage()
        .and_then(|s| s.get_item(&memory_key(store, order)).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Remembers that `product` of `order` was reviewed here as result `id`.
pub fn remember_reviewed(store: &str, order: &str, product: &str, id: &str) {
    let mut known = reviewed_here(store, order);
    known.insert(product.to_owned(), id.to_owned());
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(&known)) {
        let _ = storage.set_item(&memory_key(store, order), &text);
    }
}
