//! `POST /v1/events`: takes a batch of results, stores each once, and answers per result.

pub mod client_limits;
mod result_types;

use crate::body::{has_accepted_content_type, read_bounded};
use crate::client_ip::{client_ip_behind, client_key};
use crate::clock::now_millis;
use crate::error::AppError;
use crate::event_log::{self, NewEvent, Recorded};
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::ORIGIN;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use client_limits::{Over, WhenOver};
use encore_core::events::{
    AckStatus, BatchReply, EventAck, EventBatch, RejectReason, decode_event,
};
use result_types::{CheckedBatch, CheckedResult, check_type};
use serde_json::Value;

/// Largest body accepted: the client's own cap (`MAX_BATCH_BYTES`, 60 KiB) plus headroom, so a
/// client at its limit is never refused.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Most results accepted in one batch: twice what clients send, for clients of other versions.
pub const MAX_EVENTS_PER_BATCH: usize = 100;

/// Handles `POST /v1/events`.
///
/// Answers 200 with one [`EventAck`] per result, in order, when any result was stored now or
/// before; 422 with the same body when every result was rejected (retrying cannot help);
/// a JSON error when the request as a whole is unusable; and 503 `overloaded` with
/// `Retry-After`, having stored nothing, when too many batches wait to be written (see
/// [`crate::write_queue`]), or 429 when this client holds its share of that line already.
///
/// A result past its client's limit for its type ([`client_limits`]) is rejected
/// `rate_limited` if it is analytics; a person's action is left out of the answer instead, so
/// that the widget keeps it and sends it again; a batch with nothing but such results is
/// answered 429 with `Retry-After` and stores nothing. A `review.submitted` is also
/// checked and written as a review in the same transaction as its result (see
/// [`crate::reviews::submission`]); its ack carries the reward it earned, again on a repeat.
/// An `offer.claimed` is checked and written as a claim the same way (see
/// [`crate::offers::claiming`]); its ack carries the code, again on a repeat. A
/// `surprise.redeemed` redeems its code under its id (see [`crate::surprise::results`]); a
/// `referral.landed` is counted for its code and a `referral.ordered` judged and recorded as a
/// referral (see [`crate::referral::results`]).
///
/// What each type of result is checked for, and which writer takes it, is one table:
/// [`result_types`].
pub(crate) async fn post_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    body: Body,
) -> Result<Response, AppError> {
    if !has_accepted_content_type(&headers) {
        return Err(AppError::UnsupportedMediaType);
    }
    let ip = client_ip_behind(&extensions, &headers, &state.trusted_proxies);
    let client = ip.map(|ip| client_key(ip).to_string());
    // Before the body is read: a client past its share of the line costs no reading or parsing.
    let admission = state.write_queue.admit(client.as_deref())?;
    let bytes = read_bounded(&headers, body, MAX_BODY_BYTES).await?;
    let batch = parse_batch(&bytes)?;
    if batch.events.len() > MAX_EVENTS_PER_BATCH {
        return Err(AppError::TooManyEvents {
            limit: MAX_EVENTS_PER_BATCH,
        });
    }
    // Before the checks: a batch shed now has counted against no rate limit.
    let place = admission.enter()?;
    // No Origin header means a server-to-server post, which the store's own backend may make.
    let origin = headers
        .get(ORIGIN)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let received_at = now_millis();

    let mut writers = CheckedBatch::new(&state, ip, received_at);
    let mut results = Vec::with_capacity(batch.events.len());
    let mut checked = Vec::new();
    // The shortest wait among the results left unanswered, if any.
    let mut deferred: Option<u64> = None;
    let reviews_per_address = state
        .config
        .stores()
        .iter()
        .map(|s| s.reviews.limits.reviews_per_ip_per_hour)
        .max()
        .unwrap_or(0);
    for raw in &batch.events {
        let sender = Sender {
            origin: origin.as_deref(),
            ip,
            client: client.as_deref(),
            reviews_per_address,
        };
        match check(&state, raw, sender, received_at) {
            Ok((event, by_type)) => {
                if let Some(by_type) = by_type {
                    writers.expect(checked.len(), by_type);
                }
                checked.push((results.len(), event));
                results.push(ack(raw_id(raw), AckStatus::Accepted, None));
            }
            Err(NotNow::Rejected(id, reason)) => {
                tracing::debug!(%id, ?reason, "result rejected");
                results.push(ack(id, AckStatus::Rejected, Some(&reason)));
            }
            Err(NotNow::Deferred(retry_after_secs)) => {
                tracing::debug!(id = %raw_id(raw), retry_after_secs, "result deferred");
                deferred = Some(deferred.map_or(retry_after_secs, |d| d.min(retry_after_secs)));
            }
        }
    }
    if let (true, Some(retry_after_secs)) = (results.is_empty(), deferred) {
        return Err(AppError::RateLimited { retry_after_secs });
    }

    let (positions, events): (Vec<usize>, Vec<NewEvent>) = checked.into_iter().unzip();
    let outcomes = if events.is_empty() {
        // Nothing to write (a flood past its limits, say): no turn at the writer.
        Vec::new()
    } else {
        let _turn = place.turn(&state.batch_writer).await?;
        event_log::record_with(&state.db, &events, &mut writers).await?
    };
    for (index, (position, outcome)) in positions.into_iter().zip(outcomes).enumerate() {
        let result = &mut results[position];
        match outcome {
            Recorded::Accepted => {}
            Recorded::Duplicate => result.status = AckStatus::Duplicate,
            Recorded::Conflict => {
                result.status = AckStatus::Rejected;
                result.reason = Some(RejectReason::IdConflict.code().to_owned());
            }
            Recorded::Refused(reason) => {
                tracing::debug!(id = %result.id, ?reason, "result refused");
                result.status = AckStatus::Rejected;
                result.reason = Some(reason.code().to_owned());
            }
        }
        if result.status != AckStatus::Rejected {
            result.reward = writers.reward(index).cloned();
        }
    }

    // A result left unanswered may still be stored: retrying can help, so no 422.
    let all_rejected = !results.is_empty()
        && deferred.is_none()
        && results.iter().all(|r| r.status == AckStatus::Rejected);
    let status = if all_rejected {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(BatchReply { results })).into_response())
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

/// Where a batch came from.
#[derive(Debug, Clone, Copy)]
struct Sender<'a> {
    /// The page's origin, if the browser sent one.
    origin: Option<&'a str>,
    /// The client's address, when known.
    ip: Option<std::net::IpAddr>,
    /// The key the client's limits are kept under ([`crate::client_ip::client_key`]).
    client: Option<&'a str>,
    /// The most reviews per address an hour any store allows (the floor of the client's
    /// review limit, [`client_limits::for_type`]).
    reviews_per_address: u32,
}

/// Why one result of a batch is not stored now.
#[derive(Debug)]
enum NotNow {
    /// Never: answered `rejected` with the reason.
    Rejected(String, RejectReason),
    /// Not yet: left out of the answer, to be sent again after this many seconds.
    Deferred(u64),
}

impl From<(String, RejectReason)> for NotNow {
    fn from((id, reason): (String, RejectReason)) -> Self {
        NotNow::Rejected(id, reason)
    }
}

/// What happens to the result `raw` past its client's limit.
fn not_now(raw: &Value, over: Over) -> NotNow {
    match over.when_over {
        WhenOver::Refuse => NotNow::Rejected(raw_id(raw), RejectReason::RateLimited),
        WhenOver::Defer => NotNow::Deferred(over.retry_after_secs),
    }
}

/// Decides everything about one result that does not need the database: its shape and the
/// length of its texts, its store and origin, its client's limit for its type
/// ([`client_limits`]), and what its type asks ([`check_type`]).
fn check(
    state: &AppState,
    raw: &Value,
    sender: Sender<'_>,
    received_at: i64,
) -> Result<(NewEvent, Option<CheckedResult>), NotNow> {
    // A client past its limit for the type already is answered before the result is decoded:
    // a flood past its limits costs a lookup per result.
    if let (Some(client), Some(ty)) = (sender.client, raw.get("type").and_then(Value::as_str)) {
        client_limits::check(&state.limiter, client, ty, sender.reviews_per_address)
            .map_err(|over| not_now(raw, over))?;
    }
    let mut event = decode_event(raw)?;
    let id = raw_id(raw);
    let Some(store) = state.config.store(&event.store) else {
        return Err(NotNow::Rejected(id, RejectReason::UnknownStore));
    };
    // CORS alone cannot stop this: a text/plain POST is sent without a preflight, and a page
    // of one store must not post results for another.
    if sender.origin.is_some_and(|o| !store.allows_origin(o)) {
        return Err(NotNow::Rejected(id, RejectReason::OriginNotAllowed));
    }
    // Before the type's checks, which may verify a token: a flood past its limit costs a
    // count, no more.
    if let Some(client) = sender.client {
        client_limits::count(
            &state.limiter,
            client,
            &event.body,
            sender.reviews_per_address,
        )
        .map_err(|over| not_now(raw, over))?;
    }
    let received_ms = u64::try_from(received_at).unwrap_or(0);
    let by_type = check_type(
        store,
        &state.limiter,
        &mut event.body,
        sender.ip,
        received_ms,
    )
    .map_err(|reason| NotNow::Rejected(id.clone(), reason))?;
    let event = NewEvent::new(event, sender.origin.map(str::to_owned), received_at)
        .map_err(|reason| NotNow::Rejected(id, reason))?;
    Ok((event, by_type))
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
        field: reason.and_then(RejectReason::field).map(str::to_owned),
        reward: None,
    }
}
