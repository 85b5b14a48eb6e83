//! Uploading the photos of a batch's reviews before the batch itself is posted, so the
//! endpoint never receives a review whose photos it could still get.
//!
//! `POST {endpoint}/v1/photos?store=…&id=…` with the image as the body. The endpoint
//! deduplicates on the upload id, so an upload repeated after a lost answer is harmless.

use super::http::{self, HttpError};
use super::outbox::{self, StoredResult};
use crate::console::warn;
use encore_core::backoff::parse_retry_after;
use serde::de::IgnoredAny;

/// What to do with a photo after an upload attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadOutcome {
    /// The endpoint has it: forget it.
    Uploaded,
    /// The endpoint will never take it (too large, wrong type, unreadable): forget it, and
    /// let the review go without it.
    Refused,
    /// Try again later with the sender's backoff (offline, rate limited, server trouble).
    Retry,
}

/// The outcome for an answer with `status` (`None`: no answer at all).
pub fn outcome(status: Option<u16>) -> UploadOutcome {
    match status {
        Some(200..=299) => UploadOutcome::Uploaded,
        Some(400 | 413 | 415 | 422) => UploadOutcome::Refused,
        _ => UploadOutcome::Retry,
    }
}

/// The upload URL of photo `id` of `store` at `endpoint`.
pub fn upload_url(endpoint: &str, store: &str, id: &str) -> String {
    format!(
        "{endpoint}/v1/photos?store={}&id={}",
        http::encode(store),
        http::encode(id)
    )
}

/// Uploads every photo still waiting for the results of `batch`. `Err` carries the
/// endpoint's `Retry-After` (in ms) when the pass must be retried later.
pub async fn upload_attachments(batch: &[StoredResult], now_ms: u64) -> Result<(), Option<u64>> {
    for id in batch.iter().flat_map(|e| e.attachments.iter()) {
        let photo = match outbox::photo(id).await {
            Ok(Some(photo)) => photo,
            // Uploaded on an earlier pass (or by another tab).
            Ok(None) => continue,
            Err(err) => {
                warn(&format!("cannot read a photo from the outbox: {err}"));
                return Err(None);
            }
        };
        let url = upload_url(&photo.endpoint, &photo.store, &photo.id);
        let answer = http::post_body::<IgnoredAny>(&url, &photo.content_type, &photo.blob).await;
        let (status, retry_after) = match &answer {
            // A 2xx whose body is not JSON is still a success.
            Ok(_) | Err(HttpError::Decode) => (Some(200), None),
            Err(HttpError::Status {
                status,
                retry_after,
            }) => (Some(*status), retry_after.clone()),
            Err(HttpError::Network) => (None, None),
        };
        match outcome(status) {
            UploadOutcome::Retry => {
                return Err(retry_after.and_then(|v| parse_retry_after(&v, now_ms)));
            }
            UploadOutcome::Refused => {
                warn(&format!(
                    "the endpoint refused photo {id} (HTTP {}); the review goes without it",
                    status.unwrap_or_default()
                ));
            }
            UploadOutcome::Uploaded => {}
        }
        if let Err(err) = outbox::remove_photo(id).await {
            warn(&format!("cannot update the outbox: {err}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_permanent_refusals_drop_a_photo() {
        assert_eq!(outcome(Some(201)), UploadOutcome::Uploaded);
        for status in [400, 413, 415, 422] {
            assert_eq!(outcome(Some(status)), UploadOutcome::Refused);
        }
        for status in [None, Some(408), Some(429), Some(500), Some(503)] {
            assert_eq!(outcome(status), UploadOutcome::Retry);
        }
    }
}
