//! The product reviews' side effects: reading a page of reviews, voting a review helpful,
//! and this browser's id and votes in `localStorage`.

use super::state::{MAX_REMEMBERED_VOTES, VoteProblem, forget_vote, remember_vote};
use crate::storage::local_storage;
use crate::transport::http::{HttpError, encode, get_json, post_json};
use crate::transport::results::new_event_id;
use encore_core::config::WidgetConfig;
use encore_core::reviews::listing::ReviewQuery;
use encore_core::reviews::{HelpfulTally, HelpfulVote, ReviewsPage};
use encore_core::url::Endpoint;

/// `localStorage` key of this browser's random id for helpful votes.
pub const BROWSER_KEY: &str = "encore:browser";
/// `localStorage` key of the review ids this browser voted helpful.
pub const HELPFUL_KEY: &str = "encore:helpful";

/// Where served photos live, relative to the endpoint.
const PHOTO_PATH: &str = "/v1/photos/";

/// `GET /v1/products/{product}/reviews` for `query`; photos resolved against the endpoint
/// and any photo not served from the endpoint's photo path dropped.
pub async fn fetch_page(
    config: &WidgetConfig,
    product: &str,
    query: &ReviewQuery,
) -> Result<ReviewsPage, HttpError> {
    let url = format!(
        "{}?store={}&{}",
        config
            .endpoint
            .join(&format!("/v1/products/{}/reviews", encode(product))),
        encode(&config.store),
        query.to_query_string()
    );
    let mut page: ReviewsPage = get_json(&url).await?;
    for review in &mut page.reviews {
        let photos = std::mem::take(&mut review.photos);
        for mut photo in photos {
            if let Some(url) = photo_url(&config.endpoint, &photo.url) {
                photo.url = url;
                review.photos.push(photo);
            }
        }
    }
    Ok(page)
}

/// The absolute address of a photo the endpoint lists as `url`, when it is one of its
/// photos (`/v1/photos/<name>` with a plain file name); `None` for anything else.
pub fn photo_url(endpoint: &Endpoint, url: &str) -> Option<String> {
    let name = url.strip_prefix(PHOTO_PATH)?;
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then(|| endpoint.join(url))
}

/// `POST /v1/reviews/{id}/helpful` as this browser.
pub async fn vote_helpful(
    config: &WidgetConfig,
    review: &str,
) -> Result<HelpfulTally, VoteProblem> {
    let url = config
        .endpoint
        .join(&format!("/v1/reviews/{}/helpful", encode(review)));
    let vote = HelpfulVote {
        store: config.store.clone(),
        browser: browser_id(),
    };
    post_json(&url, &vote).await.map_err(|err| match err {
        HttpError::Status { status: 429, .. } => VoteProblem::RateLimited,
        _ => VoteProblem::Failed,
    })
}

/// This browser's random id, made and kept on first use; a fresh one each time when storage
/// is unavailable (the server then counts by its own limits).
pub fn browser_id() -> String {
    let store = local_storage();
    if let Some(id) = store
        .as_ref()
        .and_then(|s| s.get_item(BROWSER_KEY).ok().flatten())
        .filter(|id| encore_core::event_id::EventId::parse(id).is_ok())
    {
        return id;
    }
    let id = new_event_id().to_string();
    if let Some(s) = store {
        let _ = s.set_item(BROWSER_KEY, &id);
    }
    id
}

/// The review ids this browser voted helpful (empty when storage is unreadable).
pub fn voted_reviews() -> Vec<String> {
    local_storage()
        .and_then(|s| s.get_item(HELPFUL_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str::<Vec<String>>(&text).ok())
        .unwrap_or_default()
}

fn save_votes(voted: &[String]) {
    if let (Some(s), Ok(text)) = (local_storage(), serde_json::to_string(voted)) {
        let _ = s.set_item(HELPFUL_KEY, &text);
    }
}

/// Remembers that this browser voted review `id` helpful.
pub fn remember_helpful(id: &str) {
    let mut voted = voted_reviews();
    remember_vote(&mut voted, id, MAX_REMEMBERED_VOTES);
    save_votes(&voted);
}

/// Forgets a vote that did not count.
pub fn forget_helpful(id: &str) {
    let mut voted = voted_reviews();
    forget_vote(&mut voted, id);
    save_votes(&voted);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_endpoints_own_photos_are_shown() {
        let endpoint = Endpoint::parse("https://api.shop.example/encore", None).expect("valid");
        assert_eq!(
            photo_url(&endpoint, "/v1/photos/abc-1.jpg").as_deref(),
            Some("https://api.shop.example/encore/v1/photos/abc-1.jpg")
        );
        for bad in [
            "https://evil.example/x.jpg",
            "//evil.example/v1/photos/x.jpg",
            "javascript:alert(1)",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "/v1/photos/",
            "/v1/photos/../admin",
            "/v1/photos/a/b.jpg",
            "/v1/photos/x.jpg?y=\"><script>",
            "/v1/photos/x%2F..",
            "v1/photos/x.jpg",
            "/V1/photos/x.jpg",
        ] {
            assert_eq!(photo_url(&endpoint, bad), None, "{bad}");
        }
    }
}
