//! `review.submitted`: the checks made before the batch transaction (form, spam signals, order
//! token) and the rows written inside it (limits, one review per order item, photos, status
//! and reward), so the review commits with its result or not at all.

use super::Status;
use super::verification::is_verified_purchase;
use crate::client_ip::client_key;
use crate::config::StoreConfig;
use crate::event_log::{NewEvent, ResultWriter, Written};
use crate::rate_limit::RateLimiter;
use encore_core::admin::rules::NewReview;
use encore_core::event_id::EventId;
use encore_core::events::{EventBody, RejectReason};
use encore_core::issued_code::IssuedCode;
use encore_core::reviews::moderation::{Decision, spam_signal};
use encore_core::reviews::{MAX_PHOTOS, ReviewSubmitted, draft};
use sqlx::SqliteConnection;
use std::net::IpAddr;
use std::time::Duration;

const HOUR: Duration = Duration::from_secs(60 * 60);

/// A review that passed every check that needs neither the database nor the rate limits.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    store: StoreConfig,
    verified: bool,
}

/// Checks `review` for `store` at `now_secs`: the form (`invalid`), the spam signals
/// (`not_accepted`, cause logged only) and whether the order token makes it verified.
pub(crate) fn check(
    store: &StoreConfig,
    review: &ReviewSubmitted,
    now_secs: u64,
) -> Result<Checked, RejectReason> {
    let problems = draft::problems(review, &store.reviews.form);
    if !problems.is_empty() {
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(RejectReason::Invalid(text.join("; ")));
    }
    if let Some(signal) = spam_signal(review) {
        tracing::debug!(store = %store.id, ?signal, "review refused as spam");
        return Err(RejectReason::NotAccepted);
    }
    let verified = is_verified_purchase(
        store,
        review.order_token.as_deref(),
        review.order.as_deref(),
        &review.product,
        now_secs,
    );
    Ok(Checked {
        store: store.clone(),
        verified,
    })
}

/// Replaces the order token by its SHA-256 before the result is stored, as every token in a
/// stored result is: an order token is a bearer credential for up to 180 days and may carry the
/// buyer's e-mail, and nothing needs it after [`check`], while a retry (the same token) still
/// hashes the same and reads as a duplicate.
pub(crate) fn redact(review: &mut ReviewSubmitted) {
    if let Some(token) = review.order_token.as_mut() {
        *token = crate::event_log::redacted(token);
    }
}

/// Writes the reviews of one batch inside its transaction, with the rewards they earn.
pub(crate) struct ReviewWriter<'a> {
    limiter: &'a RateLimiter,
    ip: Option<IpAddr>,
    received_at: i64,
}

impl<'a> ReviewWriter<'a> {
    /// A writer for a batch from `ip` received at `received_at` (ms), limited by `limiter`.
    pub(crate) fn new(limiter: &'a RateLimiter, ip: Option<IpAddr>, received_at: i64) -> Self {
        ReviewWriter {
            limiter,
            ip,
            received_at,
        }
    }

    /// Whether an unverified review is past the hourly limit of its address (an IPv6 /64)
    /// or its product; counts it when not.
    fn over_limit(&self, store: &StoreConfig, product: &str) -> bool {
        let limits = &store.reviews.limits;
        if let Some(ip) = self.ip {
            let key = format!("review-ip:{}:{}", store.id, client_key(ip));
            if let Err(limited) = self.limiter.hit(&key, limits.reviews_per_ip_per_hour, HOUR) {
                tracing::debug!(%ip, ?limited, "review refused: per-IP limit");
                return true;
            }
        }
        let key = format!("review-product:{}:{product}", store.id);
        if let Err(limited) = self
            .limiter
            .hit(&key, limits.reviews_per_product_per_hour, HOUR)
        {
            tracing::debug!(store = %store.id, product, ?limited, "review refused: per-product limit");
            return true;
        }
        false
    }
}

impl ResultWriter for ReviewWriter<'_> {
    type Checked = Checked;

    /// The review and its photos, published or held, with the reward it earned; refused when
    /// its order item was reviewed already or a limit is reached.
    async fn stored(
        &self,
        conn: &mut SqliteConnection,
        checked: &Checked,
        event: &NewEvent,
    ) -> Result<Written, sqlx::Error> {
        // Only `review.submitted` results reach this writer; the review is read from the result.
        let EventBody::ReviewSubmitted(review) = &event.event().body else {
            return Ok(Ok(None));
        };
        let store = &checked.store;
        let verified = checked.verified;
        if verified && already_reviewed(conn, &store.id, review).await? {
            return Ok(Err(RejectReason::AlreadyReviewed));
        }
        // A verified review needs an order item the store signed, and each item gets one
        // review (above), so the orders bound it already: the hourly limits are for anonymous
        // text, and junk from others must never turn a buyer away.
        if !verified && self.over_limit(store, &review.product) {
            return Ok(Err(RejectReason::NotAccepted));
        }
        let id = event.event().id.as_str();
        let photos = unlinked_photos(conn, &store.id, &review.photos).await?;
        let settings = &store.reviews;
        // The rules the console edits (seeded from the TOML); a change applies from the next
        // review on.
        let rules = crate::admin::rules::current(conn, store).await?;
        let (decision, signals) = rules.decide(&NewReview {
            verified,
            rating: review.rating,
            photos: photos.len(),
            fill_ms: review.fill_ms,
            text: [&review.title, &review.body],
        });
        let status = match decision {
            Decision::Publish => Status::Published,
            Decision::Hold => Status::Held,
        };
        let signals: Vec<&str> = signals.iter().map(|s| s.as_str()).collect();
        let reward = settings
            .reward
            .as_ref()
            .and_then(|rule| rule.reward_for(verified, photos.len()));
        let answers = serde_json::to_string(&review.answers).unwrap_or_else(|_| "[]".into());
        sqlx::query(
            "INSERT INTO reviews (id, store, product, order_id, rating, title, body, name, \
             answers, locale, verified, incentivized, status, reward_code, reward_description, \
             created_at, ip, signals) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18)",
        )
        .bind(id)
        .bind(&store.id)
        .bind(&review.product)
        .bind(review.order.as_deref())
        .bind(i64::from(review.rating))
        .bind(review.title.trim())
        .bind(review.body.trim())
        .bind(review.name.trim())
        .bind(answers)
        .bind(&review.locale)
        .bind(verified)
        .bind(reward.is_some())
        .bind(status.as_str())
        .bind(reward.as_ref().map(|r| r.code.as_str()))
        .bind(reward.as_ref().and_then(|r| r.description.as_deref()))
        .bind(self.received_at)
        .bind(self.ip.map(|ip| ip.to_string()))
        .bind(signals.join(","))
        .execute(&mut *conn)
        .await?;
        for (position, upload) in photos.iter().enumerate() {
            sqlx::query(
                "UPDATE review_photos SET review_id = $1, position = $2 \
                 WHERE store = $3 AND upload_id = $4 AND review_id IS NULL",
            )
            .bind(id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(&store.id)
            .bind(upload)
            .execute(&mut *conn)
            .await?;
        }
        Ok(Ok(reward))
    }

    /// The reward stored on the review.
    async fn repeated(
        &self,
        conn: &mut SqliteConnection,
        _: &Checked,
        event: &NewEvent,
    ) -> Result<Option<IssuedCode>, sqlx::Error> {
        stored_reward(conn, event.event().id.as_str()).await
    }
}

async fn already_reviewed(
    conn: &mut SqliteConnection,
    store: &str,
    review: &ReviewSubmitted,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM reviews WHERE store = $1 AND order_id = $2 AND product = $3 \
         AND verified = 1",
    )
    .bind(store)
    .bind(review.order.as_deref())
    .bind(&review.product)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// The upload ids among `wanted` that were uploaded for `store` and are not yet on a review,
/// in the order sent; the others are logged and skipped so a lost photo never loses a review.
async fn unlinked_photos(
    conn: &mut SqliteConnection,
    store: &str,
    wanted: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    let mut found: Vec<String> = Vec::new();
    for raw in wanted.iter().take(MAX_PHOTOS) {
        let Ok(upload) = EventId::parse(raw) else {
            tracing::info!(store, upload = %raw, "review names a photo id that is not a UUID");
            continue;
        };
        let upload = upload.as_str().to_owned();
        if found.contains(&upload) {
            continue;
        }
        let free: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM review_photos WHERE store = $1 AND upload_id = $2 \
             AND review_id IS NULL",
        )
        .bind(store)
        .bind(&upload)
        .fetch_optional(&mut *conn)
        .await?;
        if free.is_some() {
            found.push(upload);
        } else {
            tracing::info!(store, %upload, "review names a photo that is missing or taken");
        }
    }
    Ok(found)
}

/// The reward stored on review `id`, if any.
pub(crate) async fn stored_reward(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<IssuedCode>, sqlx::Error> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT reward_code, reward_description FROM reviews WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.and_then(|(code, description)| code.map(|code| IssuedCode { code, description })))
}
