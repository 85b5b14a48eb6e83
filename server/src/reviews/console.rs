//! The review queue's admin routes (`/v1/admin/reviews...`, `/v1/admin/photos/{name}`): thin
//! handlers over [`super::queue`] (reads) and [`super::moderation`] (changes, the same code the
//! command line runs).

use super::moderation::{self, ModerationError, Moderator};
use super::photos::storage::is_photo_name;
use super::queue;
use crate::admin::auth::Caller;
use crate::admin::json;
use crate::config::StoreConfig;
use crate::error::AppError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use encore_core::admin::queue::{
    BulkRequest, BulkResult, MAX_BULK, MAX_REASON_CHARS, MAX_REPLY_CHARS, QueueFilter, QueueItem,
    QueuePage, RejectRequest, ReplyRequest,
};
use encore_core::admin::role::Action;

/// The queue's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/admin/reviews", get(get_queue))
        .route("/v1/admin/reviews/bulk", post(post_bulk))
        .route("/v1/admin/reviews/{id}/approve", post(post_approve))
        .route("/v1/admin/reviews/{id}/reject", post(post_reject))
        .route("/v1/admin/reviews/{id}/reply", put(put_reply))
        .route("/v1/admin/reviews/{id}/photos/{name}/hide", post(post_hide))
        .route(
            "/v1/admin/reviews/{id}/photos/{name}/restore",
            post(post_restore),
        )
        .route("/v1/admin/photos/{name}", get(get_photo))
}

fn store<'a>(state: &'a AppState, caller: &Caller) -> Result<&'a StoreConfig, AppError> {
    state.config.store(&caller.store).ok_or(AppError::NotFound)
}

fn moderator(state: &AppState, caller: &Caller) -> Moderator {
    Moderator {
        store: Some(caller.store.clone()),
        actor: caller.actor.clone(),
        now: state.clock.now_millis(),
    }
}

impl From<ModerationError> for AppError {
    fn from(e: ModerationError) -> Self {
        match e {
            ModerationError::UnknownReview(_) | ModerationError::UnknownPhoto(_) => {
                AppError::NotFound
            }
            ModerationError::Db(e) => e.into(),
        }
    }
}

/// The review after a change.
async fn answer(state: &AppState, caller: &Caller, id: &str) -> Result<Json<QueueItem>, AppError> {
    queue::item(&state.db, store(state, caller)?, id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

fn checked_text(field: &str, text: &str, max: usize) -> Result<(), AppError> {
    if text.chars().count() > max {
        return Err(AppError::Invalid(format!(
            "{field}: at most {max} characters"
        )));
    }
    Ok(())
}

/// `GET /v1/admin/reviews?<QueueFilter>` → `QueuePage`.
pub async fn get_queue(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<QueuePage>, AppError> {
    caller.require(Action::ReadReviews)?;
    let filter = QueueFilter::from_query(query.as_deref().unwrap_or(""))
        .map_err(|e| AppError::Invalid(e.0))?;
    Ok(Json(
        queue::page(&state.db, store(&state, &caller)?, &filter).await?,
    ))
}

/// `POST /v1/admin/reviews/{id}/approve` → `QueueItem`.
pub async fn post_approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<QueueItem>, AppError> {
    caller.require(Action::ModerateReviews)?;
    moderation::approve(&state.db, &moderator(&state, &caller), &id).await?;
    answer(&state, &caller, &id).await
}

/// `POST /v1/admin/reviews/{id}/reject` with `RejectRequest` → `QueueItem`.
pub async fn post_reject(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<QueueItem>, AppError> {
    caller.require(Action::ModerateReviews)?;
    let request: RejectRequest = json::read(&headers, body).await?;
    checked_text("reason", &request.reason, MAX_REASON_CHARS)?;
    moderation::reject(&state.db, &moderator(&state, &caller), &id, &request.reason).await?;
    answer(&state, &caller, &id).await
}

/// `PUT /v1/admin/reviews/{id}/reply` with `ReplyRequest` → `QueueItem`; an empty body removes
/// the reply.
pub async fn put_reply(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<QueueItem>, AppError> {
    caller.require(Action::ModerateReviews)?;
    let request: ReplyRequest = json::read(&headers, body).await?;
    checked_text("body", &request.body, MAX_REPLY_CHARS)?;
    moderation::reply(&state.db, &moderator(&state, &caller), &id, &request.body).await?;
    answer(&state, &caller, &id).await
}

async fn photo_visibility(
    state: AppState,
    caller: Caller,
    id: String,
    name: String,
    hidden: bool,
) -> Result<Json<QueueItem>, AppError> {
    caller.require(Action::ModerateReviews)?;
    moderation::set_photo_hidden(&state.db, &moderator(&state, &caller), &id, &name, hidden)
        .await?;
    answer(&state, &caller, &id).await
}

/// `POST /v1/admin/reviews/{id}/photos/{name}/hide` → `QueueItem`.
pub async fn post_hide(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, name)): Path<(String, String)>,
) -> Result<Json<QueueItem>, AppError> {
    photo_visibility(state, caller, id, name, true).await
}

/// `POST /v1/admin/reviews/{id}/photos/{name}/restore` → `QueueItem`.
pub async fn post_restore(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, name)): Path<(String, String)>,
) -> Result<Json<QueueItem>, AppError> {
    photo_visibility(state, caller, id, name, false).await
}

/// `POST /v1/admin/reviews/bulk` with `BulkRequest` (at most 200 ids) → `BulkResult`.
pub async fn post_bulk(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BulkResult>, AppError> {
    caller.require(Action::ModerateReviews)?;
    let request: BulkRequest = json::read(&headers, body).await?;
    if request.ids.is_empty() || request.ids.len() > MAX_BULK {
        return Err(AppError::Invalid(format!(
            "ids: 1 to {MAX_BULK} review ids"
        )));
    }
    checked_text("reason", &request.reason, MAX_REASON_CHARS)?;
    let who = moderator(&state, &caller);
    Ok(Json(
        moderation::bulk(
            &state.db,
            &who,
            request.action,
            &request.ids,
            &request.reason,
        )
        .await?,
    ))
}

/// `GET /v1/admin/photos/{name}`: the JPEG for a moderator, hidden or not; never cached.
pub async fn get_photo(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    caller.require(Action::ReadReviews)?;
    if !is_photo_name(&name) {
        return Err(AppError::NotFound);
    }
    let jpeg = queue::moderator_jpeg(&state.db, &caller.store, &name)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut response = jpeg.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}
