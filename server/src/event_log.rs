//! The `events` table: each result stored once under its id, with a hash to tell a retry
//! (same content) from a clash (same id, other content).

use encore_core::events::{Event, RejectReason};
use encore_core::issued_code::IssuedCode;
use sha2::{Digest, Sha256};
use sqlx::{SqliteConnection, SqlitePool};
use std::future::Future;

/// What a bearer token inside a result is stored as: its SHA-256, so the events table holds no
/// credential while a retry (the same token) still stores the same body and reads as a
/// duplicate.
pub fn redacted(token: &str) -> String {
    format!(
        "{REDACTED_PREFIX}{}",
        hex::encode(Sha256::digest(token.as_bytes()))
    )
}

/// Whether `token` has the form [`redacted`] gives: a token already replaced by its hash. No
/// signed token has it (a `:` is no base64url).
pub fn is_redacted(token: &str) -> bool {
    token.strip_prefix(REDACTED_PREFIX).is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

const REDACTED_PREFIX: &str = "sha256:";

/// A checked result in the exact form it is stored in.
#[derive(Debug, Clone)]
pub struct NewEvent {
    event: Event,
    origin: Option<String>,
    occurred_at: i64,
    received_at: i64,
    body: String,
    body_sha256: String,
}

impl NewEvent {
    /// Prepares `event`, posted from a page at `origin` (if any) and received at `received_at`
    /// (milliseconds since the Unix epoch), for storing.
    ///
    /// The stored body is the typed event re-serialised, not the bytes sent: two sends of one
    /// result that differ only in key order or unknown extra fields count as the same.
    pub fn new(
        event: Event,
        origin: Option<String>,
        received_at: i64,
    ) -> Result<Self, RejectReason> {
        let occurred_at = i64::try_from(event.occurred_at)
            .map_err(|_| RejectReason::Invalid("occurred_at is out of range".into()))?;
        let body = serde_json::to_string(&event)
            .map_err(|e| RejectReason::Invalid(format!("cannot be stored: {e}")))?;
        let body_sha256 = hex::encode(Sha256::digest(body.as_bytes()));
        Ok(NewEvent {
            event,
            origin,
            occurred_at,
            received_at,
            body,
            body_sha256,
        })
    }

    /// The decoded result.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The canonical JSON that is stored.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The SHA-256 of [`NewEvent::body`], in lowercase hex.
    pub fn body_sha256(&self) -> &str {
        &self.body_sha256
    }
}

/// What storing one result did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// Stored now.
    Accepted,
    /// Already stored with the same content; nothing written.
    Duplicate,
    /// Already stored with different content; nothing written.
    Conflict,
    /// New, but refused by the [`Companion`]; nothing written.
    Refused(RejectReason),
}

/// Rows that belong with a result (a review with its `review.submitted`), written in the same
/// transaction so that both commit or neither does.
pub trait Companion {
    /// Called inside the transaction right after result `index` of the batch was stored for
    /// the first time. `Ok(Some(reason))` refuses it: the result's row is removed before the
    /// commit, and the companion must not have written anything for it.
    fn stored(
        &mut self,
        conn: &mut SqliteConnection,
        index: usize,
        event: &NewEvent,
    ) -> impl Future<Output = Result<Option<RejectReason>, sqlx::Error>> + Send;

    /// Called inside the transaction when result `index` repeats one stored before.
    fn repeated(
        &mut self,
        conn: &mut SqliteConnection,
        index: usize,
        event: &NewEvent,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

/// What writing the rows that belong with a result came to: `Ok` with the code the result
/// earned, if any, or `Err` with why it is refused (its row is then removed before the commit,
/// and nothing may have been written for it).
pub type Written = Result<Option<IssuedCode>, RejectReason>;

/// The writer of one type of result inside the batch transaction (a review with its
/// `review.submitted`, a claim with its `offer.claimed`), given what the checks before the
/// transaction decided about each result. The batch's [`Companion`] hands every result to the
/// writer that checked it, so a writer only ever sees results of its own type.
pub(crate) trait ResultWriter {
    /// What the checks before the transaction decided about one result of this type.
    type Checked;

    /// Writes what belongs with `event`, stored now for the first time.
    fn stored(
        &self,
        conn: &mut SqliteConnection,
        checked: &Self::Checked,
        event: &NewEvent,
    ) -> impl Future<Output = Result<Written, sqlx::Error>> + Send;

    /// The code `event`, a repeat of a result stored before, earned the first time.
    fn repeated(
        &self,
        conn: &mut SqliteConnection,
        checked: &Self::Checked,
        event: &NewEvent,
    ) -> impl Future<Output = Result<Option<IssuedCode>, sqlx::Error>> + Send;
}

/// The companion of results that need nothing besides their own row.
#[derive(Debug, Clone, Copy, Default)]
pub struct Alone;

impl Companion for Alone {
    async fn stored(
        &mut self,
        _: &mut SqliteConnection,
        _: usize,
        _: &NewEvent,
    ) -> Result<Option<RejectReason>, sqlx::Error> {
        Ok(None)
    }

    async fn repeated(
        &mut self,
        _: &mut SqliteConnection,
        _: usize,
        _: &NewEvent,
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }
}

/// Stores `events` in order in one transaction, committed before this returns `Ok`,
/// and says for each what happened. A repeat of an id within `events` is judged against
/// its first occurrence, exactly as a later retry would be.
pub async fn record(pool: &SqlitePool, events: &[NewEvent]) -> Result<Vec<Recorded>, sqlx::Error> {
    record_with(pool, events, &mut Alone).await
}

/// [`record`], with `companion` writing (or refusing) what belongs with each result in the
/// same transaction.
pub async fn record_with(
    pool: &SqlitePool,
    events: &[NewEvent],
    companion: &mut impl Companion,
) -> Result<Vec<Recorded>, sqlx::Error> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = pool.begin().await?;
    let mut outcomes = Vec::with_capacity(events.len());
    for (index, e) in events.iter().enumerate() {
        let inserted = sqlx::query(
            "INSERT INTO events \
             (id, store, type, occurred_at, received_at, origin, body_sha256, body) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(e.event.id.as_str())
        .bind(&e.event.store)
        .bind(e.event.body.type_name())
        .bind(e.occurred_at)
        .bind(e.received_at)
        .bind(e.origin.as_deref())
        .bind(&e.body_sha256)
        .bind(&e.body)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let outcome = if inserted == 1 {
            match companion.stored(&mut tx, index, e).await? {
                None => Recorded::Accepted,
                Some(reason) => {
                    sqlx::query("DELETE FROM events WHERE id = $1")
                        .bind(e.event.id.as_str())
                        .execute(&mut *tx)
                        .await?;
                    Recorded::Refused(reason)
                }
            }
        } else {
            let stored: String = sqlx::query_scalar("SELECT body_sha256 FROM events WHERE id = $1")
                .bind(e.event.id.as_str())
                .fetch_one(&mut *tx)
                .await?;
            if stored == e.body_sha256 {
                companion.repeated(&mut tx, index, e).await?;
                Recorded::Duplicate
            } else {
                Recorded::Conflict
            }
        };
        outcomes.push(outcome);
    }
    tx.commit().await?;
    Ok(outcomes)
}
