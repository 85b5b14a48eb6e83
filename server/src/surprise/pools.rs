//! Loading the single-use prize codes of every campaign into `surprise_codes` at startup: new
//! codes are added and codes already there keep whoever claimed them.

use crate::config::ServerConfig;
use crate::config::surprise::PrizeCodes;
use sqlx::SqlitePool;

/// Adds the configured pool codes that are not stored yet; returns how many were added.
pub async fn load_prize_pools(db: &SqlitePool, config: &ServerConfig) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut added = 0;
    for store in config.stores() {
        for campaign in &store.surprise.campaigns {
            for prize in &campaign.prizes {
                let PrizeCodes::Pool(codes) = &prize.codes else {
                    continue;
                };
                for (position, code) in codes.iter().enumerate() {
                    added += sqlx::query(
                        "INSERT INTO surprise_codes (store, campaign, prize, code, position) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    )
                    .bind(&store.id)
                    .bind(i64::from(campaign.id))
                    .bind(&prize.id)
                    .bind(code)
                    .bind(i64::try_from(position).unwrap_or(i64::MAX))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                }
            }
        }
    }
    tx.commit().await?;
    Ok(added)
}
