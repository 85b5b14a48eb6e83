//! `POST /v1/events`: takes a batch of results, stores each once, and answers per result.

use crate::body::{has_accepted_content_type, read_bounded};
use crate::client_ip::client_ip_behind;
use crate::clock::now_millis;
use crate::error::AppError;
use crate::event_log::{self, Companion, NewEvent, Recorded};
use crate::offers::claiming::{self, ClaimWriter};
use crate::referral::results::{self as referral_results, ReferralWriter};
use crate::reviews::submission::{self, ReviewWriter};
use crate::state::AppState;
use crate::surprise::results::{self as surprise_results, RedemptionWriter};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::ORIGIN;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use encore_core::events::{
    AckStatus, BatchReply, EventAck, EventBatch, EventBody, RejectReason, decode_event,
};
use encore_core::issued_code::IssuedCode;
use serde_json::Value;
use sqlx::SqliteConnection;

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
/// [`crate::write_queue`]). A `review.submitted` is also
/// checked and written as a review in the same transaction as its result (see
/// [`crate::reviews::submission`]); its ack carries the reward it earned, again on a repeat.
/// An `offer.claimed` is checked and written as a claim the same way (see
/// [`crate::offers::claiming`]); its ack carries the code, again on a repeat. A
/// `surprise.redeemed` redeems its code under its id (see [`crate::surprise::results`]); a
/// `referral.landed` is counted for its code and a `referral.ordered` judged and recorded as a
/// referral (see [`crate::referral::results`]).
pub(crate) async fn post_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    body: Body,
) -> Result<Response, AppError> {
    if !has_accepted_content_type(&headers) {
        return Err(AppError::UnsupportedMediaType);
    }
    let bytes = read_bounded(&headers, body, MAX_BODY_BYTES).await?;
    let batch = parse_batch(&bytes)?;
    if batch.events.len() > MAX_EVENTS_PER_BATCH {
        return Err(AppError::TooManyEvents {
            limit: MAX_EVENTS_PER_BATCH,
        });
    }
    // Before the checks: a batch shed now has counted against no rate limit.
    let place = state.write_queue.enter()?;
    // No Origin header means a server-to-server post, which the store's own backend may make.
    let origin = headers
        .get(ORIGIN)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let received_at = now_millis();

    let ip = client_ip_behind(&extensions, &headers, &state.trusted_proxies);
    let mut writers = Writers {
        reviews: ReviewWriter::new(&state.limiter, ip, received_at),
        claims: ClaimWriter::new(received_at),
        redemptions: RedemptionWriter::new(
            state.config.clone(),
            u64::try_from(received_at).unwrap_or(0),
        ),
        referrals: ReferralWriter::new(received_at),
    };
    let mut results = Vec::with_capacity(batch.events.len());
    let mut checked = Vec::new();
    for raw in &batch.events {
        match check(&state, raw, origin.as_deref(), received_at, ip) {
            Ok((event, extra)) => {
                match extra {
                    Extra::Review(review) => writers.reviews.expect(checked.len(), *review),
                    Extra::Claim(claim) => writers.claims.expect(checked.len(), *claim),
                    Extra::Redemption(r) => writers.redemptions.expect(checked.len(), r),
                    Extra::Referral(r) => writers.referrals.expect(checked.len(), r),
                    Extra::Nothing => {}
                }
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
    let outcomes = {
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

    let all_rejected =
        !results.is_empty() && results.iter().all(|r| r.status == AckStatus::Rejected);
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

/// What a result needs written beside its own row, as decided before the transaction.
enum Extra {
    /// Nothing: the result is all there is.
    Nothing,
    /// A review that passed [`submission::check`]. Boxed, as is a claim: they hold a verified
    /// token's claims and an offer, many times the size of the other variants.
    Review(Box<submission::Checked>),
    /// A claim and the verdict of [`claiming::check`].
    Claim(Box<claiming::Checked>),
    /// A redemption and the verdict of the surprise gate.
    Redemption(surprise_results::Checked),
    /// A landing to count, or an attributed order and its verdict so far.
    Referral(referral_results::Checked),
}

/// The companions of one batch; each result goes to the one of its type.
struct Writers<'a> {
    reviews: ReviewWriter<'a>,
    claims: ClaimWriter,
    redemptions: RedemptionWriter,
    referrals: ReferralWriter,
}

impl Writers<'_> {
    /// The reward (review coupon or claimed code) result `index` got.
    fn reward(&self, index: usize) -> Option<&IssuedCode> {
        self.reviews
            .reward(index)
            .or_else(|| self.claims.reward(index))
            .or_else(|| self.redemptions.reward(index))
    }
}

impl Companion for Writers<'_> {
    async fn stored(
        &mut self,
        conn: &mut SqliteConnection,
        index: usize,
        event: &NewEvent,
    ) -> Result<Option<RejectReason>, sqlx::Error> {
        match event.event().body {
            EventBody::ReviewSubmitted(_) => self.reviews.stored(conn, index, event).await,
            EventBody::OfferClaimed(_) => self.claims.stored(conn, index, event).await,
            EventBody::SurpriseRedeemed(_) => self.redemptions.stored(conn, index, event).await,
            EventBody::ReferralLanded(_) | EventBody::ReferralOrdered(_) => {
                self.referrals.stored(conn, index, event).await
            }
            _ => Ok(None),
        }
    }

    async fn repeated(
        &mut self,
        conn: &mut SqliteConnection,
        index: usize,
        event: &NewEvent,
    ) -> Result<(), sqlx::Error> {
        match event.event().body {
            EventBody::ReviewSubmitted(_) => self.reviews.repeated(conn, index, event).await,
            EventBody::OfferClaimed(_) => self.claims.repeated(conn, index, event).await,
            EventBody::SurpriseRedeemed(_) => self.redemptions.repeated(conn, index, event).await,
            EventBody::ReferralLanded(_) | EventBody::ReferralOrdered(_) => {
                self.referrals.repeated(conn, index, event).await
            }
            _ => Ok(()),
        }
    }
}

/// Decides everything about one result that does not need the database; a review also
/// gets the checks of [`submission::check`], a claim those of [`claiming::check`] (applied
/// inside the transaction) and its member token replaced by a hash before it is stored.
fn check(
    state: &AppState,
    raw: &Value,
    origin: Option<&str>,
    received_at: i64,
    ip: Option<std::net::IpAddr>,
) -> Result<(NewEvent, Extra), (String, RejectReason)> {
    let mut event = decode_event(raw)?;
    let id = raw_id(raw);
    let Some(store) = state.config.store(&event.store) else {
        return Err((id, RejectReason::UnknownStore));
    };
    // CORS alone cannot stop this: a text/plain POST is sent without a preflight, and a page
    // of one store must not post results for another.
    if origin.is_some_and(|o| !store.allows_origin(o)) {
        return Err((id, RejectReason::OriginNotAllowed));
    }
    let received_ms = u64::try_from(received_at).unwrap_or(0);
    let extra = match &mut event.body {
        EventBody::ReviewSubmitted(review) => {
            match submission::check(store, review, received_ms / 1000) {
                Ok(checked) => Extra::Review(Box::new(checked)),
                Err(reason) => return Err((id, reason)),
            }
        }
        EventBody::OfferClaimed(claim) => {
            let checked = claiming::check(store, claim, received_ms);
            claiming::redact(claim);
            Extra::Claim(Box::new(checked))
        }
        EventBody::SurpriseRedeemed(result) => {
            let checked = surprise_results::check(store, &state.limiter, result, ip, received_ms);
            surprise_results::redact(result);
            Extra::Redemption(checked)
        }
        EventBody::ReferralLanded(landed) => match referral_results::check_landed(store, landed) {
            Some(checked) => Extra::Referral(checked),
            None => Extra::Nothing,
        },
        EventBody::ReferralOrdered(ordered) => {
            let checked = referral_results::check_ordered(store, ordered, ip, received_ms)
                .map_err(|reason| (id.clone(), reason))?;
            referral_results::redact(ordered);
            Extra::Referral(checked)
        }
        EventBody::Impression(_) | EventBody::ReferralShared(_) => Extra::Nothing,
    };
    let event = NewEvent::new(event, origin.map(str::to_owned), received_at)
        .map_err(|reason| (id, reason))?;
    Ok((event, extra))
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
