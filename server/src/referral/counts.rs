//! How an advocate's link has done: landings through it, orders it brought, and of those the
//! rewarded and the pending ones.

use super::status::ReferralStatus;
use encore_core::referral::page::ReferralCounts;
use sqlx::SqliteConnection;

/// The counts of advocate `advocate` (their key) whose code is `code`, in `store`.
pub async fn counts(
    conn: &mut SqliteConnection,
    store: &str,
    advocate: &str,
    code: &str,
) -> Result<ReferralCounts, sqlx::Error> {
    let landings: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM referral_landings WHERE store = $1 AND code = $2")
            .bind(store)
            .bind(code)
            .fetch_one(&mut *conn)
            .await?;
    let (orders, rewards, pending): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), \
         COALESCE(SUM(CASE WHEN status IN ($3, $4) THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN status = $5 THEN 1 ELSE 0 END), 0) \
         FROM referral_orders WHERE store = $1 AND advocate = $2",
    )
    .bind(store)
    .bind(advocate)
    .bind(ReferralStatus::Rewarded.as_str())
    .bind(ReferralStatus::Approved.as_str())
    .bind(ReferralStatus::Review.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(ReferralCounts {
        landings: count(landings),
        orders: count(orders),
        rewards: count(rewards),
        pending: count(pending),
    })
}
