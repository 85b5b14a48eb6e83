//! Reading request bodies with a size bound, refusing oversized ones before parsing them.

use crate::body_deadline::BodyTimedOut;
use crate::error::AppError;
use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_LENGTH;

/// Reads the body, refusing more than `limit` bytes with a JSON 413: by the declared length
/// when there is one, and by counting when the body is streamed. A body that does not arrive
/// in time (`serve --body-timeout-secs`) gets a 408.
pub(crate) async fn read_bounded(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, AppError> {
    let too_large = AppError::PayloadTooLarge { limit };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(too_large);
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        if caused_by::<http_body_util::LengthLimitError>(&e) {
            too_large
        } else if caused_by::<BodyTimedOut>(&e) {
            AppError::BodyTimedOut
        } else {
            tracing::debug!(error = %e, "request body unreadable");
            AppError::BodyUnreadable
        }
    })
}

fn caused_by<E: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<E>() {
            return true;
        }
        current = e.source();
    }
    false
}
