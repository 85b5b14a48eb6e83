//! Admin request bodies: JSON, at most 64 KiB, refused with the admin API's own codes.

use crate::body::read_bounded;
use crate::error::AppError;
use axum::body::Body;
use axum::http::HeaderMap;
use serde::de::DeserializeOwned;

/// The most bytes an admin request body may have.
pub const MAX_ADMIN_BODY: usize = 64 * 1024;

/// The body as a `T`: `413 too_large` over [`MAX_ADMIN_BODY`], `400 invalid` when it is not
/// JSON of that shape. The message names the problem, never the value (it may be a password).
pub(crate) async fn read<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
) -> Result<T, AppError> {
    let bytes = read_bounded(headers, body, MAX_ADMIN_BODY)
        .await
        .map_err(|e| match e {
            AppError::PayloadTooLarge { limit } => AppError::TooLarge { limit },
            other => other,
        })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        // serde's message may quote a value; its category and position never do.
        AppError::Invalid(format!(
            "body: not the expected JSON ({:?} at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })
}
