//! The `review_photos` table: one stored JPEG per (store, upload id) under a random name.

use super::processing::Processed;
use crate::reviews::Status;
use sqlx::{FromRow, SqliteConnection, SqlitePool};

/// A stored photo as its uploader is told about it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredPhoto {
    /// The client's upload id.
    pub upload_id: String,
    /// The server-made file name (`<32 hex digits>.jpg`).
    pub name: String,
    /// Width in pixels.
    pub width: i64,
    /// Height in pixels.
    pub height: i64,
}

/// Why a photo could not be stored.
#[derive(Debug)]
pub enum StorageError {
    /// The system's random source failed.
    Random(getrandom::Error),
    /// The database failed.
    Db(sqlx::Error),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Random(e) => write!(f, "no random bytes for a photo name: {e}"),
            StorageError::Db(e) => write!(f, "database: {e}"),
        }
    }
}

impl std::error::Error for StorageError {}

impl From<sqlx::Error> for StorageError {
    fn from(e: sqlx::Error) -> Self {
        StorageError::Db(e)
    }
}

/// A fresh file name: 128 random bits in hex, and `.jpg`.
pub fn new_name() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{}.jpg", hex::encode(bytes)))
}

/// Whether `name` has the shape of a name made by [`new_name`].
pub fn is_photo_name(name: &str) -> bool {
    name.strip_suffix(".jpg").is_some_and(|stem| {
        stem.len() == 32
            && stem
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The photo uploaded for `store` under `upload_id`, if any.
pub async fn find(
    conn: &mut SqliteConnection,
    store: &str,
    upload_id: &str,
) -> Result<Option<StoredPhoto>, sqlx::Error> {
    sqlx::query_as(
        "SELECT upload_id, name, width, height FROM review_photos \
         WHERE store = $1 AND upload_id = $2",
    )
    .bind(store)
    .bind(upload_id)
    .fetch_optional(conn)
    .await
}

/// Stores `photo` for `store` under `upload_id` at `now` (ms); when that upload id is taken
/// already, keeps the first photo and returns it.
pub async fn insert(
    conn: &mut SqliteConnection,
    store: &str,
    upload_id: &str,
    photo: &Processed,
    now: i64,
) -> Result<StoredPhoto, StorageError> {
    let name = new_name().map_err(StorageError::Random)?;
    sqlx::query(
        "INSERT INTO review_photos (upload_id, store, name, width, height, bytes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (store, upload_id) DO NOTHING",
    )
    .bind(upload_id)
    .bind(store)
    .bind(&name)
    .bind(i64::from(photo.width))
    .bind(i64::from(photo.height))
    .bind(&photo.jpeg)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    find(conn, store, upload_id)
        .await?
        .ok_or(StorageError::Db(sqlx::Error::RowNotFound))
}

/// The JPEG named `name`, only when its review is published and a moderator has not hidden it.
pub async fn published_jpeg(db: &SqlitePool, name: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT p.bytes FROM review_photos p JOIN reviews r ON r.id = p.review_id \
         WHERE p.name = $1 AND r.status = $2 AND p.hidden = 0",
    )
    .bind(name)
    .bind(Status::Published.as_str())
    .fetch_optional(db)
    .await
}

/// Photos deleted per statement, so that a large sweep holds the writer only briefly at a time.
const DELETE_CHUNK: i64 = 500;

/// Deletes the photos on no review uploaded before `cutoff` (ms), in every store; how many.
pub async fn delete_unattached_before(db: &SqlitePool, cutoff: i64) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    loop {
        let done = sqlx::query(
            "DELETE FROM review_photos WHERE (store, upload_id) IN \
             (SELECT store, upload_id FROM review_photos \
              WHERE review_id IS NULL AND created_at < $1 LIMIT $2)",
        )
        .bind(cutoff)
        .bind(DELETE_CHUNK)
        .execute(db)
        .await?;
        deleted += done.rows_affected();
        if done.rows_affected() < u64::try_from(DELETE_CHUNK).unwrap_or(0) {
            return Ok(deleted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_random_hex_jpgs() {
        let a = new_name().expect("random");
        let b = new_name().expect("random");
        assert!(is_photo_name(&a) && is_photo_name(&b));
        assert_ne!(a, b);
        assert!(!is_photo_name("../etc/passwd"));
        assert!(!is_photo_name(&a.to_uppercase()));
        assert!(!is_photo_name(&a.replace(".jpg", ".svg")));
    }
}
