//! Hashes the order tokens that servers before migration 0007 stored in clear in
//! `review.submitted` bodies, once, when the database is opened: the rows migration 0007 listed
//! get the body the server stores today, and its hash.

use super::submission::redact;
use crate::event_log::{NewEvent, is_redacted};
use encore_core::events::{Event, EventBody};
use sqlx::SqlitePool;

/// Hashes the order token of every result listed in `review_tokens_in_clear`, each with its
/// body's hash in one transaction that also strikes it from the list, so a crash halfway loses
/// nothing and a second start has nothing left to do. Answers how many bodies changed. A body
/// that cannot be read is logged and left listed, to be looked at, never dropped.
pub async fn hash_clear_tokens(db: &SqlitePool) -> Result<u64, sqlx::Error> {
    let listed: Vec<String> = sqlx::query_scalar("SELECT event_id FROM review_tokens_in_clear")
        .fetch_all(db)
        .await?;
    let mut hashed = 0;
    for id in listed {
        let mut tx = db.begin().await?;
        let body: Option<String> = sqlx::query_scalar("SELECT body FROM events WHERE id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
        match body.as_deref().map(rewritten).transpose() {
            Ok(Some(Some(event))) => {
                sqlx::query("UPDATE events SET body = $1, body_sha256 = $2 WHERE id = $3")
                    .bind(event.body())
                    .bind(event.body_sha256())
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                hashed += 1;
            }
            // Gone since, or no token in clear: it only leaves the list.
            Ok(None | Some(None)) => {}
            Err(problem) => {
                tracing::warn!(
                    %id, %problem,
                    "a stored review result could not be read to hash its order token"
                );
                continue;
            }
        }
        sqlx::query("DELETE FROM review_tokens_in_clear WHERE event_id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    if hashed > 0 {
        tracing::info!(
            hashed,
            "order tokens stored in clear replaced by their hash"
        );
    }
    Ok(hashed)
}

/// The result stored as `body` as it is stored today, when that differs: `None` when it holds
/// no order token in clear.
fn rewritten(body: &str) -> Result<Option<NewEvent>, String> {
    let mut event: Event = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let EventBody::ReviewSubmitted(review) = &mut event.body else {
        return Ok(None);
    };
    if review.order_token.as_deref().is_none_or(is_redacted) {
        return Ok(None);
    }
    redact(review);
    // Re-serialised as a batch's result is, so its hash is the one a retry of it gets.
    NewEvent::new(event, None, 0)
        .map(Some)
        .map_err(|reason| reason.code().to_owned())
}
