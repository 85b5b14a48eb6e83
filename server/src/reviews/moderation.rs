//! The store's moderation tools behind `encore-server reviews ...`: list, approve, reject and
//! reply, as library functions the CLI calls and tests exercise.

use super::Status;
use crate::table::{plain, render};
use encore_core::event_id::EventId;
use sqlx::{FromRow, SqlitePool};
use std::fmt;

/// Why a moderation command failed.
#[derive(Debug)]
pub enum ModerationError {
    /// No review has this id.
    UnknownReview(String),
    /// The database failed.
    Db(sqlx::Error),
}

impl fmt::Display for ModerationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModerationError::UnknownReview(id) => write!(f, "no review has the id {id:?}"),
            ModerationError::Db(e) => write!(f, "database: {e}"),
        }
    }
}

impl std::error::Error for ModerationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ModerationError::Db(e) => Some(e),
            ModerationError::UnknownReview(_) => None,
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

/// Publishes review `id`.
pub async fn approve(db: &SqlitePool, id: &str) -> Result<(), ModerationError> {
    set_status(db, id, Status::Published).await
}

/// Rejects review `id`: it is never shown, nor are its photos.
pub async fn reject(db: &SqlitePool, id: &str) -> Result<(), ModerationError> {
    set_status(db, id, Status::Rejected).await
}

async fn set_status(db: &SqlitePool, id: &str, status: Status) -> Result<(), ModerationError> {
    let id = review_id(id)?;
    let changed = sqlx::query("UPDATE reviews SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(&id)
        .execute(db)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(ModerationError::UnknownReview(id));
    }
    Ok(())
}

/// Sets the store's public reply under review `id` at `now` (ms); an empty (or blank) `text`
/// removes the reply.
pub async fn reply(db: &SqlitePool, id: &str, text: &str, now: i64) -> Result<(), ModerationError> {
    let id = review_id(id)?;
    let text = text.trim();
    let (body, at) = if text.is_empty() {
        (None, None)
    } else {
        (Some(text), Some(now))
    };
    let changed = sqlx::query("UPDATE reviews SET reply = $1, reply_at = $2 WHERE id = $3")
        .bind(body)
        .bind(at)
        .bind(&id)
        .execute(db)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(ModerationError::UnknownReview(id));
    }
    Ok(())
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
