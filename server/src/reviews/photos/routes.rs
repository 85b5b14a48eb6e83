//! `POST /v1/photos?store=S&id=UPLOAD_ID` (upload, idempotent per id) and
//! `GET /v1/photos/{name}` (the JPEG, only while its review is published).

use super::processing::process;
use super::storage::{self, StorageError, StoredPhoto};
use crate::body::read_bounded;
use crate::client_ip::client_key_behind;
use crate::clock::now_millis;
use crate::error::AppError;
use crate::query::{Params, known_store};
use crate::reviews::listing::photo_url;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH, ORIGIN,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use encore_core::event_id::EventId;
use encore_core::reviews::PhotoUploaded;
use encore_core::reviews::photo::{MAX_UPLOAD_BYTES, PhotoError};
use std::time::Duration;

const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-resource-policy");

/// How a browser or CDN may keep a photo. A review can be rejected after it was published,
/// and its photo must then stop being shown: a year of `immutable` let a CDN go on serving it
/// (a new URL would not help, the old one stays cached). Five minutes bounds how long a
/// rejected photo can linger; after that a cache asks again with `If-None-Match` and gets a
/// body-less 304 while the review stays published, a 404 once it is not.
const PHOTO_CACHE_CONTROL: &str = "public, max-age=300, must-revalidate";

/// Handles `POST /v1/photos?store=S&id=UPLOAD_ID` with the image as the raw body.
///
/// 200 with [`PhotoUploaded`] (a repeat of an id answers as the first time, without
/// processing again); 400 for a bad id, 403 for a foreign origin, 404 for an unknown store,
/// 413 over 5 MB, 415 for a body that is not JPEG, PNG or WebP by its bytes, 422 for too many
/// pixels or an unreadable image, 429 past the per-IP limit, 503 with `Retry-After` while
/// the photo decoders are busy for too long.
pub(crate) async fn post_photo(
    State(state): State<AppState>,
    params: Params,
    headers: HeaderMap,
    extensions: Extensions,
    body: Body,
) -> Result<Json<PhotoUploaded>, AppError> {
    let store = known_store(&state, &params)?;
    let upload_id = EventId::parse(params.required("id")?)
        .map_err(|_| AppError::InvalidQuery("`id` must be a UUID".into()))?;
    if let Some(origin) = headers.get(ORIGIN) {
        if !origin.to_str().is_ok_and(|o| store.allows_origin(o)) {
            return Err(AppError::OriginNotAllowed);
        }
    }
    if !is_image_content_type(&headers) {
        return Err(AppError::NotAnImage);
    }
    // No connection is held while the body is read and decoded.
    let first = storage::find(
        &mut *state.db.acquire().await?,
        &store.id,
        upload_id.as_str(),
    )
    .await?;
    if let Some(first) = first {
        return Ok(Json(uploaded(first)));
    }
    if let Some(client) = client_key_behind(&extensions, &headers, &state.trusted_proxies) {
        let limit = store.reviews.limits.photos_per_ip_per_hour;
        state
            .limiter
            .hit(
                &format!("photo-ip:{}:{client}", store.id),
                limit,
                Duration::from_secs(3600),
            )
            .map_err(|limited| AppError::RateLimited {
                retry_after_secs: limited.retry_after_secs(),
            })?;
    }
    let bytes = read_bounded(&headers, body, MAX_UPLOAD_BYTES)
        .await
        .map_err(|e| match e {
            // Same status and code, in words about photos.
            AppError::PayloadTooLarge { .. } => AppError::Photo(PhotoError::TooLarge),
            other => other,
        })?;
    let turn = state.photo_decoders.turn().await?;
    let processed = tokio::task::spawn_blocking(move || {
        // Held until the decode ends, even if the client hangs up meanwhile.
        let _turn = turn;
        process(&bytes)
    })
    .await
    .map_err(|e| AppError::Internal(format!("photo processing stopped: {e}")))?
    .map_err(AppError::Photo)?;
    let mut conn = state.db.acquire().await?;
    let stored = storage::insert(
        &mut conn,
        &store.id,
        upload_id.as_str(),
        &processed,
        now_millis(),
    )
    .await
    .map_err(|e| match e {
        StorageError::Db(e) => AppError::from(e),
        StorageError::Random(e) => AppError::Internal(format!("random source: {e}")),
    })?;
    Ok(Json(uploaded(stored)))
}

/// Handles `GET /v1/photos/{name}`: the JPEG while its review is published, 304 to a cache
/// that holds it already, else 404 (`no-store`, so a photo held for moderation and published
/// later is not hidden by a cached 404).
pub(crate) async fn get_photo(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request_headers: HeaderMap,
) -> Result<Response, AppError> {
    if !storage::is_photo_name(&name) {
        return Ok(not_found());
    }
    let Some(jpeg) = storage::published_jpeg(&state.db, &name).await? else {
        return Ok(not_found());
    };
    // The name is random and its bytes never change, so the name is its validator.
    let etag = format!("\"{}\"", name.trim_end_matches(".jpg"));
    let mut headers = HeaderMap::new();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(PHOTO_CACHE_CONTROL));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, value);
    }
    if holds(&request_headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'"),
    );
    headers.insert(
        CROSS_ORIGIN_RESOURCE_POLICY,
        HeaderValue::from_static("cross-origin"),
    );
    Ok((headers, jpeg).into_response())
}

/// 404 that no cache keeps.
fn not_found() -> Response {
    let mut response = AppError::NotFound.into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether the request's `If-None-Match` names `etag` (or `*`): the cache holds the photo.
fn holds(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|list| list.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// Any `image/*` type: the bytes decide what the photo really is.
fn is_image_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .get(..6)
                .is_some_and(|p| p.eq_ignore_ascii_case("image/"))
        })
}

fn uploaded(photo: StoredPhoto) -> PhotoUploaded {
    PhotoUploaded {
        url: photo_url(&photo.name),
        id: photo.upload_id,
        width: u32::try_from(photo.width).unwrap_or(0),
        height: u32::try_from(photo.height).unwrap_or(0),
    }
}
