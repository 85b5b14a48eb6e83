//! `POST /v1/reviews/{id}/helpful`: one vote per review and browser, limited per client.

use super::Status;
use crate::body::{has_accepted_content_type, read_bounded};
use crate::client_ip::client_key_behind;
use crate::clock::now_millis;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::ORIGIN;
use axum::http::{Extensions, HeaderMap};
use encore_core::event_id::EventId;
use encore_core::reviews::{HelpfulTally, HelpfulVote};
use std::time::Duration;

/// Largest vote body read.
const MAX_VOTE_BYTES: usize = 1024;

/// Whether `browser` is a browser id the server keeps: 8 to 64 of `[A-Za-z0-9-]`.
pub fn is_browser_id(browser: &str) -> bool {
    (8..=64).contains(&browser.len())
        && browser
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Handles `POST /v1/reviews/{id}/helpful` with a JSON [`HelpfulVote`]: 200 with the tally,
/// 404 unless the review is published in that store, 429 (with `Retry-After`) past the
/// per-IP limit.
pub(crate) async fn post_helpful(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    extensions: Extensions,
    body: Body,
) -> Result<Json<HelpfulTally>, AppError> {
    if !has_accepted_content_type(&headers) {
        return Err(AppError::UnsupportedMediaType);
    }
    let bytes = read_bounded(&headers, body, MAX_VOTE_BYTES).await?;
    let vote: HelpfulVote =
        serde_json::from_slice(&bytes).map_err(|e| AppError::InvalidBody(e.to_string()))?;
    if !is_browser_id(&vote.browser) {
        return Err(AppError::InvalidBody(
            "`browser` must be 8 to 64 letters, digits or '-'".into(),
        ));
    }
    let store = state.config.store(&vote.store).ok_or(AppError::NotFound)?;
    if let Some(origin) = headers.get(ORIGIN) {
        if !origin.to_str().is_ok_and(|o| store.allows_origin(o)) {
            return Err(AppError::OriginNotAllowed);
        }
    }
    if let Some(client) = client_key_behind(&extensions, &headers, &state.trusted_proxies) {
        let limit = store.reviews.limits.helpful_per_ip_per_minute;
        state
            .limiter
            .hit(
                &format!("helpful-ip:{}:{client}", store.id),
                limit,
                Duration::from_secs(60),
            )
            .map_err(|limited| AppError::RateLimited {
                retry_after_secs: limited.retry_after_secs(),
            })?;
    }
    // Review ids are result ids; anything else cannot name a review.
    let id = EventId::parse(&id).map_err(|_| AppError::NotFound)?;
    let tally = vote_once(&state, id.as_str(), &vote).await?;
    Ok(Json(tally))
}

async fn vote_once(
    state: &AppState,
    id: &str,
    vote: &HelpfulVote,
) -> Result<HelpfulTally, AppError> {
    // IMMEDIATE: the check and the write must see one state, with no lock upgrade to fail.
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let published: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM reviews WHERE id = $1 AND store = $2 AND status = $3")
            .bind(id)
            .bind(&vote.store)
            .bind(Status::Published.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    if published.is_none() {
        return Err(AppError::NotFound);
    }
    let counted = sqlx::query(
        "INSERT INTO helpful_votes (review_id, browser, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (review_id, browser) DO NOTHING",
    )
    .bind(id)
    .bind(&vote.browser)
    .bind(now_millis())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if counted {
        sqlx::query("UPDATE reviews SET helpful = helpful + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let helpful: i64 = sqlx::query_scalar("SELECT helpful FROM reviews WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(HelpfulTally {
        helpful: u32::try_from(helpful).unwrap_or(0),
        counted,
    })
}

#[cfg(test)]
mod tests {
    use super::is_browser_id;

    #[test]
    fn browser_ids_are_short_plain_tokens() {
        assert!(is_browser_id("abcd-1234"));
        assert!(is_browser_id(&"a".repeat(64)));
        assert!(!is_browser_id("short"));
        assert!(!is_browser_id(&"a".repeat(65)));
        assert!(!is_browser_id("abcd_1234"));
        assert!(!is_browser_id("abcd 1234"));
    }
}
