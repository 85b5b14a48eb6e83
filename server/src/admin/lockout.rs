//! Failed sign-ins, counted in the database (several servers may share it) per account and
//! per client address: each failure of an account is answered more slowly than the one before
//! ([`delay_after`]), 5 within 15 minutes lock it for 15 minutes after the last one; 20 from
//! one address lock the address the same way.

use sqlx::SqlitePool;
use std::time::Duration;

/// The window failures are counted in, and how long a lock lasts (ms).
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures of one account that lock it.
pub const ACCOUNT_LIMIT: usize = 5;
/// Failures from one address that lock it.
pub const ADDRESS_LIMIT: usize = 20;

/// How long to hold the answer to an account's `failures`-th failure within [`WINDOW_MS`]:
/// nothing for a first typo, then doubling from a quarter of a second, so that guessing slows
/// down well before the lock. The wait holds a request, not a thread.
pub fn delay_after(failures: usize) -> Duration {
    match failures {
        0 | 1 => Duration::ZERO,
        n => Duration::from_millis(250 << (n - 2).min(3)),
    }
}

/// Failures of `account` within [`WINDOW_MS`] before `now`.
pub async fn recent_failures(
    db: &SqlitePool,
    account: &str,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sign_in_failures WHERE kind = 'account' AND subject = $1 AND at > $2",
    )
    .bind(account)
    .bind(now - WINDOW_MS)
    .fetch_one(db)
    .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The account key of `email` in `store`.
pub fn account(store: &str, email: &str) -> String {
    format!("{store}\n{email}")
}

/// Seconds until `subject` of `kind` may try again at `now`, if it is locked: some run of
/// `limit` failures within [`WINDOW_MS`] ended less than [`WINDOW_MS`] ago.
async fn locked_for(
    db: &SqlitePool,
    kind: &str,
    subject: &str,
    limit: usize,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let times: Vec<i64> = sqlx::query_scalar(
        "SELECT at FROM sign_in_failures WHERE kind = $1 AND subject = $2 AND at > $3 \
         ORDER BY at DESC",
    )
    .bind(kind)
    .bind(subject)
    .bind(now - 2 * WINDOW_MS)
    .fetch_all(db)
    .await?;
    // `times` is newest first: failure i and the one `limit - 1` older make a run of `limit`.
    let mut until: Option<i64> = None;
    for (i, &newest) in times.iter().enumerate() {
        if let Some(&oldest) = times.get(i + limit - 1) {
            if newest - oldest < WINDOW_MS {
                until = Some(until.map_or(newest + WINDOW_MS, |u| u.max(newest + WINDOW_MS)));
            }
        }
    }
    Ok(until
        .filter(|&u| u > now)
        .map(|u| u64::try_from((u - now + 999) / 1000).unwrap_or(1).max(1)))
}

/// Seconds until a sign-in to `account` from `address` may be tried, if either is locked.
pub async fn locked(
    db: &SqlitePool,
    account: &str,
    address: &str,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let a = locked_for(db, "account", account, ACCOUNT_LIMIT, now).await?;
    let b = locked_for(db, "address", address, ADDRESS_LIMIT, now).await?;
    Ok(a.max(b))
}

/// Counts a failed sign-in to `account` from `address` at `now`, and forgets failures too old
/// to matter.
pub async fn failed(
    db: &SqlitePool,
    account: &str,
    address: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    record(db, &[("account", account), ("address", address)], now).await
}

/// Seconds until `address` may try again, if it is past its own limit.
pub async fn address_locked(
    db: &SqlitePool,
    address: &str,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    locked_for(db, "address", address, ADDRESS_LIMIT, now).await
}

/// Counts an attempt on a locked account against `address` alone: trying a locked account
/// is no new evidence against it, but an address that keeps trying gets locked itself, which
/// bounds what one client can write (failures and audit entries).
pub async fn failed_address(db: &SqlitePool, address: &str, now: i64) -> Result<(), sqlx::Error> {
    record(db, &[("address", address)], now).await
}

async fn record(db: &SqlitePool, subjects: &[(&str, &str)], now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for (kind, subject) in subjects {
        sqlx::query("INSERT INTO sign_in_failures (kind, subject, at) VALUES ($1, $2, $3)")
            .bind(kind)
            .bind(subject)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
        .bind(now - 2 * WINDOW_MS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Forgets `account`'s failures after it signed in (its address's stay counted).
pub async fn succeeded(db: &SqlitePool, account: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE kind = 'account' AND subject = $1")
        .bind(account)
        .execute(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slow_down_before_the_lock() {
        let waits: Vec<u128> = (1..=6).map(|n| delay_after(n).as_millis()).collect();
        assert_eq!(waits, [0, 250, 500, 1000, 2000, 2000]);
    }
}
