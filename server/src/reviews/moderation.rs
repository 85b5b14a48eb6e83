//! The store's moderation: list, approve, reject, reply, hide or restore a photo, in bulk or
//! one by one. The one code path behind both `encore-server reviews ...` and the admin API;
//! every change is audited in its own transaction.

use super::Status;
use crate::admin::audit::{self, Actor, Change};
use crate::table::{plain, render};
use encore_core::admin::audit::AuditAction;
use encore_core::admin::queue::{BulkAction, BulkResult};
use encore_core::event_id::EventId;
use sqlx::{FromRow, SqliteConnection, SqlitePool};
use std::fmt;

/// Why a moderation command failed.
#[derive(Debug)]
pub enum ModerationError {
    /// No review has this id (in the moderator's store).
    UnknownReview(String),
    /// The review has no photo of this name.
    UnknownPhoto(String),
    /// The database failed.
    Db(sqlx::Error),
}

impl fmt::Display for ModerationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModerationError::UnknownReview(id) => write!(f, "no review has the id {id:?}"),
            ModerationError::UnknownPhoto(name) => write!(f, "the review has no photo {name:?}"),
            ModerationError::Db(e) => write!(f, "database: {e}"),
        }
    }
}

impl std::error::Error for ModerationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ModerationError::Db(e) => Some(e),
            ModerationError::UnknownReview(_) | ModerationError::UnknownPhoto(_) => None,
        }
    }
}

impl From<sqlx::Error> for ModerationError {
    fn from(e: sqlx::Error) -> Self {
        ModerationError::Db(e)
    }
}

/// One review as the moderation list shows it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ReviewLine {
    /// The review's id.
    pub id: String,
    /// `published`, `held` or `rejected`.
    pub status: String,
    /// The store.
    pub store: String,
    /// The product.
    pub product: String,
    /// Stars.
    pub rating: i64,
    /// Whether the buyer was verified.
    pub verified: bool,
    /// The reviewer's name.
    pub name: String,
    /// The headline.
    pub title: String,
}

/// Reviews, newest first, optionally of one store and one status.
pub async fn list(
    db: &SqlitePool,
    store: Option<&str>,
    status: Option<Status>,
) -> Result<Vec<ReviewLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, store, product, rating, verified, name, title FROM reviews \
         WHERE ($1 IS NULL OR store = $1) AND ($2 IS NULL OR status = $2) \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(store)
    .bind(status.map(Status::as_str))
    .fetch_all(db)
    .await
}

/// `lines` as a plain-text table; control characters in review text are dropped so a review
/// cannot move the cursor or recolour the moderator's terminal.
pub fn table(lines: &[ReviewLine]) -> String {
    const HEADERS: [&str; 8] = [
        "ID", "STATUS", "STORE", "PRODUCT", "RATING", "VERIFIED", "NAME", "TITLE",
    ];
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                plain(&l.id, 36),
                plain(&l.status, 9),
                plain(&l.store, 24),
                plain(&l.product, 32),
                l.rating.to_string(),
                if l.verified { "yes" } else { "no" }.to_owned(),
                plain(&l.name, 24),
                plain(&l.title, 48),
            ]
        })
        .collect();
    render(&HEADERS, &rows)
}

/// Who moderates: the console or a key (one store), or the command line (any store).
#[derive(Debug, Clone)]
pub struct Moderator {
    /// The only store whose reviews may be touched; `None` for the command line.
    pub store: Option<String>,
    /// Who, as the audit log records them.
    pub actor: Actor,
    /// When (ms).
    pub now: i64,
}

impl Moderator {
    /// The command line at `now` (ms): any store, audited as `cli`.
    pub fn cli(now: i64) -> Moderator {
        Moderator {
            store: None,
            actor: Actor::cli(),
            now,
        }
    }
}

/// A review's state before a change, as moderation reads it.
struct Current {
    store: String,
    status: String,
    reply: Option<String>,
}

async fn current(
    conn: &mut SqliteConnection,
    who: &Moderator,
    id: &str,
) -> Result<Current, ModerationError> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT store, status, reply FROM reviews WHERE id = $1 AND ($2 IS NULL OR store = $2)",
    )
    .bind(id)
    .bind(who.store.as_deref())
    .fetch_optional(&mut *conn)
    .await?;
    let (store, status, reply) =
        row.ok_or_else(|| ModerationError::UnknownReview(id.to_owned()))?;
    Ok(Current {
        store,
        status,
        reply,
    })
}

/// Publishes review `id`; audited.
pub async fn approve(db: &SqlitePool, who: &Moderator, id: &str) -> Result<(), ModerationError> {
    let mut tx = db.begin().await?;
    set_status(&mut tx, who, id, Status::Published, "").await?;
    tx.commit().await?;
    Ok(())
}

/// Rejects review `id` for `reason` (may be empty): it is never shown, nor are its photos;
/// audited with the reason.
pub async fn reject(
    db: &SqlitePool,
    who: &Moderator,
    id: &str,
    reason: &str,
) -> Result<(), ModerationError> {
    let mut tx = db.begin().await?;
    set_status(&mut tx, who, id, Status::Rejected, reason).await?;
    tx.commit().await?;
    Ok(())
}

async fn set_status(
    conn: &mut SqliteConnection,
    who: &Moderator,
    id: &str,
    status: Status,
    reason: &str,
) -> Result<(), ModerationError> {
    let id = review_id(id)?;
    let before = current(conn, who, &id).await?;
    let reason = reason.trim();
    let kept_reason = (status == Status::Rejected && !reason.is_empty()).then_some(reason);
    sqlx::query("UPDATE reviews SET status = $1, reject_reason = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(kept_reason)
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    let (action, after) = match status {
        Status::Rejected => (AuditAction::ReviewRejected, reason.to_owned()),
        _ => (AuditAction::ReviewApproved, status.as_str().to_owned()),
    };
    audit::append(
        conn,
        &who.actor,
        who.now,
        Change {
            store: &before.store,
            action,
            target: &id,
            before: before.status,
            after,
        },
    )
    .await?;
    Ok(())
}

/// Sets the store's public reply under review `id`; an empty (or blank) `text` removes it.
/// Audited with the reply before and after.
pub async fn reply(
    db: &SqlitePool,
    who: &Moderator,
    id: &str,
    text: &str,
) -> Result<(), ModerationError> {
    let id = review_id(id)?;
    let text = text.trim();
    let (body, at) = if text.is_empty() {
        (None, None)
    } else {
        (Some(text), Some(who.now))
    };
    let mut tx = db.begin().await?;
    let before = current(&mut tx, who, &id).await?;
    sqlx::query("UPDATE reviews SET reply = $1, reply_at = $2 WHERE id = $3")
        .bind(body)
        .bind(at)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    audit::append(
        &mut tx,
        &who.actor,
        who.now,
        Change {
            store: &before.store,
            action: AuditAction::ReplySet,
            target: &id,
            before: before.reply.unwrap_or_default(),
            after: text.to_owned(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Hides photo `name` of review `id` from the storefront (or shows it again); audited.
pub async fn set_photo_hidden(
    db: &SqlitePool,
    who: &Moderator,
    id: &str,
    name: &str,
    hidden: bool,
) -> Result<(), ModerationError> {
    let id = review_id(id)?;
    let mut tx = db.begin().await?;
    let before = current(&mut tx, who, &id).await?;
    let changed =
        sqlx::query("UPDATE review_photos SET hidden = $1 WHERE review_id = $2 AND name = $3")
            .bind(hidden)
            .bind(&id)
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if changed == 0 {
        return Err(ModerationError::UnknownPhoto(name.to_owned()));
    }
    let action = if hidden {
        AuditAction::PhotoHidden
    } else {
        AuditAction::PhotoRestored
    };
    audit::append(
        &mut tx,
        &who.actor,
        who.now,
        Change {
            store: &before.store,
            action,
            target: &format!("{id}/{name}"),
            before: String::new(),
            after: String::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Approves or rejects every review of `ids` in one transaction (each audited); ids the
/// moderator cannot see are listed, not changed.
pub async fn bulk(
    db: &SqlitePool,
    who: &Moderator,
    action: BulkAction,
    ids: &[String],
    reason: &str,
) -> Result<BulkResult, ModerationError> {
    let status = match action {
        BulkAction::Approve => Status::Published,
        BulkAction::Reject => Status::Rejected,
    };
    let mut result = BulkResult {
        changed: 0,
        unknown: Vec::new(),
    };
    let mut tx = db.begin().await?;
    for id in ids {
        match set_status(&mut tx, who, id, status, reason).await {
            Ok(()) => result.changed += 1,
            Err(ModerationError::UnknownReview(_)) => result.unknown.push(id.clone()),
            Err(e) => return Err(e),
        }
    }
    tx.commit().await?;
    Ok(result)
}

/// Review ids are result ids (UUIDs, stored in lowercase).
fn review_id(id: &str) -> Result<String, ModerationError> {
    EventId::parse(id.trim())
        .map(|id| id.as_str().to_owned())
        .map_err(|_| ModerationError::UnknownReview(id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_strip_control_characters() {
        let line = ReviewLine {
            id: "00000000-0000-4000-8000-000000000001".into(),
            status: "held".into(),
            store: "demo".into(),
            product: "tea".into(),
            rating: 5,
            verified: true,
            name: "Mei\u{1b}[31m".into(),
            title: "Great\r\nTea\u{7}".into(),
        };
        let text = table(&[line]);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("ID"));
        assert_eq!(lines[0].find("STATUS"), lines[1].find("held"));
        assert!(lines[1].contains("Mei [31m") && lines[1].contains("Great  Tea"));
    }

    #[test]
    fn long_text_is_cut() {
        assert_eq!(plain(&"x".repeat(10), 5), "xxxx…");
        assert_eq!(plain(" ok ", 5), "ok");
    }
}
