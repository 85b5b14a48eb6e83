//! Console sessions: made at sign-in, found by the cookie's id (kept as its SHA-256), ended by
//! sign-out, 30 minutes without a request, 12 hours after sign-in, or the user's disabling.

use super::secrets::{digest, random_hex};
use encore_core::admin::role::Role;
use sqlx::{SqliteConnection, SqlitePool};

/// A session ends after this long without a request (ms).
pub const IDLE_MS: i64 = 30 * 60 * 1000;
/// A session ends this long after sign-in whatever happens (ms).
pub const ABSOLUTE_MS: i64 = 12 * 60 * 60 * 1000;

/// A new session, as the browser is given it once.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The cookie's value (256 random bits); the database keeps only its digest.
    pub id: String,
    /// The token a changing request must echo in `X-CSRF-Token`.
    pub csrf_token: String,
    /// When it ends at the latest (ms).
    pub expires_at: i64,
}

/// A live session as a request finds it.
#[derive(Debug, Clone)]
pub struct Session {
    /// The digest of its id.
    pub id_hash: String,
    /// The store.
    pub store: String,
    /// The user's e-mail.
    pub email: String,
    /// The user's role, read from the user on every request (a change applies at once).
    pub role: Role,
    /// Its CSRF token.
    pub csrf_token: String,
    /// When it ends unless used again before (ms): the idle or the absolute end.
    pub expires_at: i64,
}

/// Starts a session for `email` of `store` at `now` (ms), on `conn`.
pub async fn create(
    conn: &mut SqliteConnection,
    store: &str,
    email: &str,
    now: i64,
) -> Result<NewSession, String> {
    let id = random_hex(32).map_err(|e| format!("random source: {e}"))?;
    let csrf_token = random_hex(32).map_err(|e| format!("random source: {e}"))?;
    let expires_at = now + ABSOLUTE_MS;
    sqlx::query(
        "INSERT INTO sessions (id_hash, store, email, csrf_token, created_at, last_seen, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(digest(&id))
    .bind(store)
    .bind(email)
    .bind(&csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map_err(|e| format!("database: {e}"))?;
    Ok(NewSession {
        id,
        csrf_token,
        expires_at: (now + IDLE_MS).min(expires_at),
    })
}

/// The live session whose cookie value is `id` at `now`, its idle timeout restarted; `None`
/// when it is unknown, timed out, or its user is no longer active (a timed-out row is deleted).
pub async fn find(db: &SqlitePool, id: &str, now: i64) -> Result<Option<Session>, sqlx::Error> {
    let id_hash = digest(id);
    let row: Option<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT s.store, s.email, u.role, s.csrf_token, s.last_seen, s.expires_at \
         FROM sessions s JOIN users u ON u.store = s.store AND u.email = s.email \
         WHERE s.id_hash = $1 AND u.state = 'active'",
    )
    .bind(&id_hash)
    .fetch_optional(db)
    .await?;
    let Some((store, email, role, csrf_token, last_seen, expires_at)) = row else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&role) else {
        return Ok(None);
    };
    if now >= last_seen + IDLE_MS || now >= expires_at {
        end(db, &id_hash).await?;
        return Ok(None);
    }
    sqlx::query("UPDATE sessions SET last_seen = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(&id_hash)
        .execute(db)
        .await?;
    Ok(Some(Session {
        id_hash,
        store,
        email,
        role,
        csrf_token,
        expires_at: (now + IDLE_MS).min(expires_at),
    }))
}

/// Ends the session with digest `id_hash`.
pub async fn end(db: &SqlitePool, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends the session with digest `id_hash`, on `conn` (sign-out's transaction).
pub async fn end_on(conn: &mut SqliteConnection, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of `email` in `store` (disabled, or a new password set).
pub async fn end_all_of(
    conn: &mut SqliteConnection,
    store: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE store = $1 AND email = $2")
        .bind(store)
        .bind(email)
        .execute(conn)
        .await?;
    Ok(())
}
