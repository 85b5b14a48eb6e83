//! `POST /v1/events`: takes a batch of results, stores each once, and answers per result.

use crate::app::AppState;
use crate::error::AppError;
use crate::event_log::{self, NewEvent, Recorded};
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, ORIGIN};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use encore_core::events::{
    AckStatus, BatchReply, EventAck, EventBatch, RejectReason, decode_event,
};
use serde_json::Value;
use std::time::{SystemTime, UNIX_EPOCH};

/// Largest body accepted: the client's own cap (`MAX_BATCH_BYTES`, 60 KiB) plus headroom, so a
/// client at its limit is never refused.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Most results accepted in one batch: twice what clients send, for clients of other versions.
pub const MAX_EVENTS_PER_BATCH: usize = 100;

/// Handles `POST /v1/events`.
///
/// Answers 200 with one [`EventAck`] per result, in order, when any result was stored now or
/// before; 422 with the same body when every result was rejected (retrying cannot help);
/// and a JSON error when the request as a whole is unusable.
pub(crate) async fn post_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    if !has_accepted_content_type(&headers) {
        return Err(AppError::UnsupportedMediaType);
    }
    let bytes = read_bounded(&headers, body).await?;
    let batch = parse_batch(&bytes)?;
    if batch.events.len() > MAX_EVENTS_PER_BATCH {
        return Err(AppError::TooManyEvents {
            limit: MAX_EVENTS_PER_BATCH,
        });
    }
    // No Origin header means a server-to-server post, which the store's own backend may make.
    let origin = headers
        .get(ORIGIN)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let received_at = now_millis();

    let mut results = Vec::with_capacity(batch.events.len());
    let mut checked = Vec::new();
    for raw in &batch.events {
        match check(&state, raw, origin.as_deref(), received_at) {
            Ok(event) => {
                checked.push((results.len(), event));
                results.push(ack(raw_id(raw), AckStatus::Accepted, None));
            }
            Err((id, reason)) => {
                tracing::debug!(%id, ?reason, "result rejected");
                results.push(ack(id, AckStatus::Rejected, Some(&reason)));
            }
        }
    }

    let (positions, events): (Vec<usize>, Vec<NewEvent>) = checked.into_iter().unzip();
    let outcomes = event_log::record(&state.db, &events).await?;
    for (position, outcome) in positions.into_iter().zip(outcomes) {
        let result = &mut results[position];
        match outcome {
            Recorded::Accepted => {}
            Recorded::Duplicate => result.status = AckStatus::Duplicate,
            Recorded::Conflict => {
                result.status = AckStatus::Rejected;
                result.reason = Some(RejectReason::IdConflict.code().to_owned());
            }
        }
    }

    let all_rejected =
        !results.is_empty() && results.iter().all(|r| r.status == AckStatus::Rejected);
    let status = if all_rejected {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(BatchReply { results })).into_response())
}

/// Browsers send `text/plain;charset=UTF-8` for a `keepalive` string body, which also spares
/// them a CORS preflight; `application/json` is what other clients naturally send.
fn has_accepted_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json") || essence.eq_ignore_ascii_case("text/plain")
}

/// Reads the body, refusing more than [`MAX_BODY_BYTES`] before anything is parsed: by the
/// declared length when there is one, and by counting when the body is streamed.
async fn read_bounded(headers: &HeaderMap, body: Body) -> Result<Bytes, AppError> {
    let too_large = AppError::PayloadTooLarge {
        limit: MAX_BODY_BYTES,
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return Err(too_large);
    }
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|e| {
            if is_length_limit(&e) {
                too_large
            } else {
                tracing::debug!(error = %e, "request body unreadable");
                AppError::BodyUnreadable
            }
        })
}

fn is_length_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        current = e.source();
    }
    false
}

fn parse_batch(bytes: &[u8]) -> Result<EventBatch, AppError> {
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => AppError::InvalidBatch(format!(
            "the JSON does not have that shape (line {}, column {})",
            e.line(),
            e.column()
        )),
        _ => AppError::MalformedJson(e.to_string()),
    })
}

/// Decides everything about one result that does not need the database.
fn check(
    state: &AppState,
    raw: &Value,
    origin: Option<&str>,
    received_at: i64,
) -> Result<NewEvent, (String, RejectReason)> {
    let event = decode_event(raw)?;
    let id = raw_id(raw);
    let Some(store) = state.config.store(&event.store) else {
        return Err((id, RejectReason::UnknownStore));
    };
    // CORS alone cannot stop this: a text/plain POST is sent without a preflight, and a page
    // of one store must not post results for another.
    if origin.is_some_and(|o| !store.allows_origin(o)) {
        return Err((id, RejectReason::OriginNotAllowed));
    }
    NewEvent::new(event, origin.map(str::to_owned), received_at).map_err(|reason| (id, reason))
}

/// The id as the client sent it, so the client can match the answer to what it holds.
fn raw_id(raw: &Value) -> String {
    raw.get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn ack(id: String, status: AckStatus, reason: Option<&RejectReason>) -> EventAck {
    EventAck {
        id,
        status,
        reason: reason.map(|r| r.code().to_owned()),
        reward: None,
    }
}

fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
