//! The store's review of referrals behind `encore-server referrals ...`: list them, and approve
//! or reject the ones the fraud rules held, as library functions the CLI calls and tests use.

use super::status::ReferralStatus;
use crate::table::{plain, render};
use sqlx::{FromRow, SqlitePool};
use std::fmt;

/// Why a review command failed.
#[derive(Debug)]
pub enum ReviewError {
    /// The store has no referral for this order.
    UnknownOrder {
        /// The store.
        store: String,
        /// The order id asked for.
        order: String,
    },
    /// The referral is not waiting for review (it was decided already, or never held).
    NotInReview {
        /// The order id.
        order: String,
        /// Where it stands.
        status: String,
    },
    /// The database failed.
    Db(sqlx::Error),
}

impl fmt::Display for ReviewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReviewError::UnknownOrder { store, order } => {
                write!(f, "store {store:?} has no referral for order {order:?}")
            }
            ReviewError::NotInReview { order, status } => write!(
                f,
                "the referral of order {order:?} is {status}, not waiting for review; only \
                 referrals in review can be approved or rejected"
            ),
            ReviewError::Db(e) => write!(f, "database: {e}"),
        }
    }
}

impl std::error::Error for ReviewError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReviewError::Db(e) => Some(e),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for ReviewError {
    fn from(e: sqlx::Error) -> Self {
        ReviewError::Db(e)
    }
}

/// One referred order as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ReferralLine {
    /// The order id.
    pub order_id: String,
    /// The code it came through.
    pub code: String,
    /// The advocate's key (`member:…`, `email:…`, `order:…`).
    pub advocate: String,
    /// The fraud rules' verdict code (`rewarded`, `review_device`, `self_email`, …).
    pub verdict: String,
    /// Where it stands (`rewarded`, `review`, `no_reward`, `approved`, `rejected`).
    pub status: String,
    /// When it was recorded (ms since the Unix epoch).
    pub created_at: i64,
}

/// The referrals of `store`, newest first, optionally only those with `status`.
pub async fn list(
    db: &SqlitePool,
    store: &str,
    status: Option<ReferralStatus>,
) -> Result<Vec<ReferralLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT order_id, code, advocate, verdict, status, created_at FROM referral_orders \
         WHERE store = $1 AND ($2 IS NULL OR status = $2) \
         ORDER BY created_at DESC, order_id DESC",
    )
    .bind(store)
    .bind(status.map(ReferralStatus::as_str))
    .fetch_all(db)
    .await
}

/// `lines` as a plain-text table, times in UTC.
pub fn table(lines: &[ReferralLine]) -> String {
    const HEADERS: [&str; 6] = ["ORDER", "CODE", "ADVOCATE", "VERDICT", "STATUS", "CREATED"];
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                plain(&l.order_id, 32),
                plain(&l.code, 16),
                plain(&l.advocate, 28),
                plain(&l.verdict, 16),
                plain(&l.status, 9),
                utc_minute(l.created_at),
            ]
        })
        .collect();
    render(&HEADERS, &rows)
}

fn utc_minute(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| ms.to_string())
}

/// Approves the held referral of `order` in `store` at `now` (ms): it counts as a reward.
pub async fn approve(
    db: &SqlitePool,
    store: &str,
    order: &str,
    now: i64,
) -> Result<(), ReviewError> {
    decide(db, store, order, ReferralStatus::Approved, now).await
}

/// Rejects the held referral of `order` in `store` at `now` (ms): it earns nothing.
pub async fn reject(
    db: &SqlitePool,
    store: &str,
    order: &str,
    now: i64,
) -> Result<(), ReviewError> {
    decide(db, store, order, ReferralStatus::Rejected, now).await
}

async fn decide(
    db: &SqlitePool,
    store: &str,
    order: &str,
    to: ReferralStatus,
    now: i64,
) -> Result<(), ReviewError> {
    let order = order.trim();
    let changed = sqlx::query(
        "UPDATE referral_orders SET status = $1, decided_at = $2 \
         WHERE store = $3 AND order_id = $4 AND status = $5",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(store)
    .bind(order)
    .bind(ReferralStatus::Review.as_str())
    .execute(db)
    .await?
    .rows_affected();
    if changed == 1 {
        return Ok(());
    }
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM referral_orders WHERE store = $1 AND order_id = $2")
            .bind(store)
            .bind(order)
            .fetch_optional(db)
            .await?;
    Err(match status {
        None => ReviewError::UnknownOrder {
            store: store.to_owned(),
            order: order.to_owned(),
        },
        Some(status) => ReviewError::NotInReview {
            order: order.to_owned(),
            status,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_shows_one_line_per_referral_in_utc() {
        let line = ReferralLine {
            order_id: "1001".into(),
            code: "AB12CD34".into(),
            advocate: "member:m-1".into(),
            verdict: "review_device".into(),
            status: "review".into(),
            created_at: 1_795_305_600_000,
        };
        let text = table(&[line]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("ORDER"));
        assert!(lines[1].contains("review_device") && lines[1].ends_with("2026-11-22 00:00 UTC"));
        assert_eq!(lines[0].find("STATUS"), lines[1].find("review "));
    }
}
