//! A store's console users and their invitations: invited by an owner or `encore-server users
//! add`, active once they set a password from the one-time link, disabled by an owner.

use super::secrets::{digest, random_hex};
use encore_core::admin::people::{UserLine, UserState};
use encore_core::admin::role::Role;
use sqlx::{SqliteConnection, SqlitePool};

/// How long an invitation link works (ms).
pub const INVITE_MS: i64 = 24 * 60 * 60 * 1000;

/// The console's page that sets a password; the token rides in the fragment, which browsers
/// never send to a server or put in a `Referer`.
pub fn welcome_path(token: &str) -> String {
    format!("/console/#/welcome?token={token}")
}

/// A user as the sign-in needs them.
#[derive(Debug, Clone)]
pub struct Account {
    /// The role.
    pub role: Role,
    /// The Argon2id hash, once a password is set.
    pub password_hash: Option<String>,
}

type LineRow = (String, String, String, Option<i64>);

fn line((email, role, state, last): LineRow) -> Option<UserLine> {
    Some(UserLine {
        email,
        role: Role::parse(&role)?,
        state: UserState::parse(&state).unwrap_or(UserState::Disabled),
        last_sign_in: last.and_then(|l| u64::try_from(l).ok()),
    })
}

/// `store`'s users, by e-mail.
pub async fn list(db: &SqlitePool, store: &str) -> Result<Vec<UserLine>, sqlx::Error> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT email, role, state, last_sign_in FROM users WHERE store = $1 ORDER BY email",
    )
    .bind(store)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().filter_map(line).collect())
}

/// User `email` of `store`, if any.
pub async fn line_of(
    conn: &mut SqliteConnection,
    store: &str,
    email: &str,
) -> Result<Option<UserLine>, sqlx::Error> {
    let row: Option<LineRow> = sqlx::query_as(
        "SELECT email, role, state, last_sign_in FROM users WHERE store = $1 AND email = $2",
    )
    .bind(store)
    .bind(email)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(line))
}

/// The active user `email` of `store`, if any.
pub async fn active(
    db: &SqlitePool,
    store: &str,
    email: &str,
) -> Result<Option<Account>, sqlx::Error> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT role, password_hash FROM users WHERE store = $1 AND email = $2 \
         AND state = 'active'",
    )
    .bind(store)
    .bind(email)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(role, password_hash)| {
        Some(Account {
            role: Role::parse(&role)?,
            password_hash,
        })
    }))
}

/// Invites `email` to `store` as `role` at `now`: a new user, or a fresh link for one not yet
/// active (a disabled user is invited anew). Returns the token (shown once) and its expiry, or
/// `Ok(None)` when the user is active already.
pub async fn invite(
    conn: &mut SqliteConnection,
    store: &str,
    email: &str,
    role: Role,
    now: i64,
) -> Result<Option<(String, i64)>, String> {
    let db = |e: sqlx::Error| format!("database: {e}");
    let state: Option<String> =
        sqlx::query_scalar("SELECT state FROM users WHERE store = $1 AND email = $2")
            .bind(store)
            .bind(email)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?;
    if state.as_deref() == Some("active") {
        return Ok(None);
    }
    sqlx::query(
        "INSERT INTO users (store, email, role, state, created_at) VALUES ($1, $2, $3, 'invited', $4) \
         ON CONFLICT (store, email) DO UPDATE SET role = excluded.role, state = 'invited', \
         password_hash = NULL",
    )
    .bind(store)
    .bind(email)
    .bind(role.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    let token = random_hex(32).map_err(|e| format!("random source: {e}"))?;
    let expires_at = now + INVITE_MS;
    sqlx::query(
        "INSERT INTO invites (token_hash, store, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(digest(&token))
    .bind(store)
    .bind(email)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(Some((token, expires_at)))
}

/// The `(store, email)` an unused, unexpired invitation `token` is for at `now`.
pub async fn invitation(
    db: &SqlitePool,
    token: &str,
    now: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.store, i.email FROM invites i JOIN users u \
         ON u.store = i.store AND u.email = i.email \
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 \
         AND u.state = 'invited'",
    )
    .bind(digest(token))
    .bind(now)
    .fetch_optional(db)
    .await
}

/// Uses invitation `token` at `now` to set `password_hash`: the user becomes active. `None`
/// when the link was used meanwhile (two tabs at once: one wins) or has expired.
pub async fn use_invitation(
    conn: &mut SqliteConnection,
    token: &str,
    password_hash: &str,
    now: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let used: Option<(String, String)> = sqlx::query_as(
        "UPDATE invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND expires_at > $1 RETURNING store, email",
    )
    .bind(now)
    .bind(digest(token))
    .fetch_optional(&mut *conn)
    .await?;
    let Some((store, email)) = used else {
        return Ok(None);
    };
    let changed = sqlx::query(
        "UPDATE users SET password_hash = $1, state = 'active' \
         WHERE store = $2 AND email = $3 AND state = 'invited'",
    )
    .bind(password_hash)
    .bind(&store)
    .bind(&email)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok((changed == 1).then_some((store, email)))
}

/// Disables `email` of `store`; `None` when the store has no such user.
pub async fn disable(
    conn: &mut SqliteConnection,
    store: &str,
    email: &str,
) -> Result<Option<UserLine>, sqlx::Error> {
    sqlx::query(
        "UPDATE users SET state = 'disabled', password_hash = NULL WHERE store = $1 AND email = $2",
    )
    .bind(store)
    .bind(email)
    .execute(&mut *conn)
    .await?;
    line_of(conn, store, email).await
}

/// Notes a sign-in of `email` at `now`.
pub async fn signed_in(
    conn: &mut SqliteConnection,
    store: &str,
    email: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_sign_in = $1 WHERE store = $2 AND email = $3")
        .bind(now)
        .bind(store)
        .bind(email)
        .execute(conn)
        .await?;
    Ok(())
}
