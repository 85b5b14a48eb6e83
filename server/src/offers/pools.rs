//! Loading the single-use code pools of the config into `offer_codes` at startup: new codes are
//! added, codes already there keep whoever claimed them, and unclaimed codes the config no longer
//! lists for that offer are withdrawn, so a store can edit a pool and restart.

use crate::config::ServerConfig;
use crate::config::offers::Codes;
use sqlx::SqlitePool;
use std::collections::HashSet;
use std::fmt;

/// What loading the pools changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolsLoaded {
    /// Codes added now.
    pub added: u64,
    /// Unclaimed codes withdrawn because the config no longer lists them for their offer.
    pub withdrawn: u64,
}

impl fmt::Display for PoolsLoaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} pool code(s) added, {} withdrawn",
            self.added, self.withdrawn
        )
    }
}

/// Brings `offer_codes` in line with every store's pools, in one transaction. Running it again
/// with the same config changes nothing.
pub async fn load_code_pools(
    db: &SqlitePool,
    config: &ServerConfig,
) -> Result<PoolsLoaded, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut loaded = PoolsLoaded::default();
    for store in config.stores() {
        let mut configured = HashSet::new();
        for offer in &store.members.offers {
            if let Codes::Pool(codes) = &offer.codes {
                configured.extend(codes.iter().map(|c| (offer.id.clone(), c.clone())));
            }
        }
        let free: Vec<(String, String)> = sqlx::query_as(
            "SELECT offer, code FROM offer_codes WHERE store = $1 AND claimed_by IS NULL",
        )
        .bind(&store.id)
        .fetch_all(&mut *tx)
        .await?;
        for (offer, code) in free {
            if !configured.contains(&(offer, code.clone())) {
                loaded.withdrawn += sqlx::query(
                    "DELETE FROM offer_codes WHERE store = $1 AND code = $2 AND claimed_by IS NULL",
                )
                .bind(&store.id)
                .bind(&code)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
        }
        for offer in &store.members.offers {
            let Codes::Pool(codes) = &offer.codes else {
                continue;
            };
            for (position, code) in codes.iter().enumerate() {
                let added = sqlx::query(
                    "INSERT INTO offer_codes (store, offer, code, position) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (store, code) DO NOTHING",
                )
                .bind(&store.id)
                .bind(&offer.id)
                .bind(code)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if added == 0 {
                    warn_if_taken_elsewhere(&mut tx, &store.id, &offer.id, code).await?;
                }
                loaded.added += added;
            }
        }
    }
    tx.commit().await?;
    Ok(loaded)
}

/// A code already handed out under another offer stays with that claim; say so, since the
/// store probably meant to add a fresh one.
async fn warn_if_taken_elsewhere(
    conn: &mut sqlx::SqliteConnection,
    store: &str,
    offer: &str,
    code: &str,
) -> Result<(), sqlx::Error> {
    let holder: Option<String> =
        sqlx::query_scalar("SELECT offer FROM offer_codes WHERE store = $1 AND code = $2")
            .bind(store)
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(other) = holder.filter(|o| o != offer) {
        tracing::warn!(
            store,
            offer,
            code,
            claimed_under = %other,
            "pool code was already handed out for another offer; it is not added again"
        );
    }
    Ok(())
}
