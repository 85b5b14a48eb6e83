//! Each store's auto-publish rules, kept in the database so the console can change them: the
//! TOML's `[store.reviews.auto_publish]` seeds them on the first start; after that the
//! database's copy rules, and new reviews are decided with it.

use crate::config::{ServerConfig, StoreConfig};
use encore_core::admin::rules::ModerationRules;
use sqlx::{SqliteConnection, SqlitePool};

/// Stores the TOML's rules for every store that has none yet (`serve` runs this at start).
pub async fn seed(db: &SqlitePool, config: &ServerConfig, now: i64) -> Result<(), sqlx::Error> {
    for store in config.stores() {
        let rules = ModerationRules::from(store.reviews.auto_publish);
        sqlx::query(
            "INSERT INTO moderation_rules (store, rules, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (store) DO NOTHING",
        )
        .bind(&store.id)
        .bind(to_json(&rules))
        .bind(now)
        .execute(db)
        .await?;
    }
    Ok(())
}

/// `rules` as stored and audited.
pub fn to_json(rules: &ModerationRules) -> String {
    serde_json::to_string(rules).unwrap_or_default()
}

/// `store`'s rules: the database's copy, or the TOML's while there is none.
pub async fn current(
    conn: &mut SqliteConnection,
    store: &StoreConfig,
) -> Result<ModerationRules, sqlx::Error> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT rules FROM moderation_rules WHERE store = $1")
            .bind(&store.id)
            .fetch_optional(conn)
            .await?;
    Ok(stored
        .and_then(|json| {
            serde_json::from_str(&json)
                .map_err(
                    |e| tracing::warn!(store = %store.id, error = %e, "stored rules unreadable"),
                )
                .ok()
        })
        .unwrap_or_else(|| store.reviews.auto_publish.into()))
}

/// Saves `rules` for `store` at `now`, on `conn`.
pub async fn save(
    conn: &mut SqliteConnection,
    store: &str,
    rules: &ModerationRules,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO moderation_rules (store, rules, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (store) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at",
    )
    .bind(store)
    .bind(to_json(rules))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
