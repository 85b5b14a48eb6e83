//! Reading request bodies: the content types a JSON body may come as, and a size bound that
//! refuses oversized bodies before they are parsed.

use crate::body_deadline::BodyTimedOut;
use crate::error::AppError;
use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};

/// Whether the body is declared as JSON, in one of the two types a client may send it as.
///
/// Browsers send `text/plain;charset=UTF-8` for a `keepalive` string body, which also spares
/// them a CORS preflight; `application/json` is what other clients naturally send.
pub(crate) fn has_accepted_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence.eq_ignore_ascii_case("text/plain")
}

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
