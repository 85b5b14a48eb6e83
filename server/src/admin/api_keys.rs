//! API keys: `ek_<id>.<secret>`, made by an owner or `encore-server keys add`, kept as the
//! secret's SHA-256, shown once, revocable.

use super::secrets::{digest, random_hex, same};
use encore_core::admin::people::{KeyLine, NewKey};
use encore_core::admin::role::Scope;
use sqlx::{FromRow, SqliteConnection, SqlitePool};

/// What every key starts with, so a leaked one is easy to recognise (and to scan for).
pub const PREFIX: &str = "ek_";

/// A key a request presented, once checked.
#[derive(Debug, Clone)]
pub struct Key {
    /// The key's public id.
    pub id: String,
    /// Its store.
    pub store: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
}

#[derive(FromRow)]
struct Row {
    id: String,
    store: String,
    secret_hash: String,
    scopes: String,
    label: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl Row {
    fn line(self) -> KeyLine {
        KeyLine {
            scopes: Scope::parse_list(&self.scopes).unwrap_or_default(),
            id: self.id,
            label: self.label,
            created_at: u64::try_from(self.created_at).unwrap_or(0),
            revoked_at: self.revoked_at.and_then(|r| u64::try_from(r).ok()),
        }
    }
}

fn scope_list(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Makes a key for `store` with `scopes` and `label` at `now` (ms), on `conn`.
pub async fn add(
    conn: &mut SqliteConnection,
    store: &str,
    scopes: &[Scope],
    label: &str,
    now: i64,
) -> Result<NewKey, String> {
    let id = random_hex(8).map_err(|e| format!("random source: {e}"))?;
    let secret = random_hex(32).map_err(|e| format!("random source: {e}"))?;
    sqlx::query(
        "INSERT INTO api_keys (id, store, secret_hash, scopes, label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(store)
    .bind(digest(&secret))
    .bind(scope_list(scopes))
    .bind(label)
    .bind(now)
    .execute(conn)
    .await
    .map_err(|e| format!("database: {e}"))?;
    Ok(NewKey {
        secret: format!("{PREFIX}{id}.{secret}"),
        key: KeyLine {
            id,
            scopes: scopes.to_vec(),
            label: label.to_owned(),
            created_at: u64::try_from(now).unwrap_or(0),
            revoked_at: None,
        },
    })
}

/// The live key `presented` is (`ek_<id>.<secret>`), if any.
pub async fn find(db: &SqlitePool, presented: &str) -> Result<Option<Key>, sqlx::Error> {
    let Some((id, secret)) = presented
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('.'))
    else {
        return Ok(None);
    };
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, store, secret_hash, scopes, label, created_at, revoked_at FROM api_keys \
         WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row
        .filter(|r| same(&r.secret_hash, &digest(secret)))
        .map(|r| Key {
            scopes: Scope::parse_list(&r.scopes).unwrap_or_default(),
            id: r.id,
            store: r.store,
        }))
}

/// `store`'s keys, newest first, revoked ones included.
pub async fn list(db: &SqlitePool, store: &str) -> Result<Vec<KeyLine>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, store, secret_hash, scopes, label, created_at, revoked_at FROM api_keys \
         WHERE store = $1 ORDER BY created_at DESC, id",
    )
    .bind(store)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Row::line).collect())
}

/// Revokes key `id` of `store` at `now` (a revoked key stays revoked at its first time);
/// `None` when the store has no such key.
pub async fn revoke(
    conn: &mut SqliteConnection,
    store: &str,
    id: &str,
    now: i64,
) -> Result<Option<KeyLine>, sqlx::Error> {
    sqlx::query(
        "UPDATE api_keys SET revoked_at = $1 WHERE store = $2 AND id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(store)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, store, secret_hash, scopes, label, created_at, revoked_at FROM api_keys \
         WHERE store = $1 AND id = $2",
    )
    .bind(store)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(Row::line))
}

/// `scopes` as the audit log and the CLI show them.
pub fn shown(scopes: &[Scope]) -> String {
    scope_list(scopes)
}
