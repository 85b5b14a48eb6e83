//! The `offer_claims` and `offer_codes` tables: taking a code for a claim in one guarded SQL
//! statement, and what a page shows about past claims.

use crate::config::offers::{Codes, Offer};
use encore_core::offers::claims::ClaimRefusal;
use sqlx::{SqliteConnection, SqlitePool};

/// A claim about to be written, already checked against the token, audience and window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewClaim<'a> {
    /// The `offer.claimed` result's id.
    pub id: &'a str,
    /// The store.
    pub store: &'a str,
    /// The offer as configured.
    pub offer: &'a Offer,
    /// The member id from the verified token.
    pub member: &'a str,
    /// When it arrived (ms since the Unix epoch).
    pub at: i64,
}

/// Writes `claim` and returns its code, or why it is refused. Must run inside the batch
/// transaction: the per-member limit, the budget and the free code are each checked in the same
/// statement that writes, so two claims of the last unit cannot both pass.
pub(crate) async fn take(
    conn: &mut SqliteConnection,
    claim: NewClaim<'_>,
) -> Result<Result<String, ClaimRefusal>, sqlx::Error> {
    let per_member = i64::from(claim.offer.limits.per_member.max(1));
    // No budget: a bound no count reaches, which keeps the statement the same for both cases.
    let budget = claim.offer.limits.budget.map_or(i64::MAX, i64::from);
    let taken = match &claim.offer.codes {
        Codes::Shared(code) => {
            let inserted = sqlx::query(
                "INSERT INTO offer_claims (id, store, offer, member, code, claimed_at) \
                 SELECT $1, $2, $3, $4, $5, $6 \
                 WHERE (SELECT COUNT(*) FROM offer_claims \
                        WHERE store = $2 AND offer = $3 AND member = $4) < $7 \
                   AND (SELECT COUNT(*) FROM offer_claims WHERE store = $2 AND offer = $3) < $8",
            )
            .bind(claim.id)
            .bind(claim.store)
            .bind(&claim.offer.id)
            .bind(claim.member)
            .bind(code)
            .bind(claim.at)
            .bind(per_member)
            .bind(budget)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            (inserted == 1).then(|| code.clone())
        }
        Codes::Pool(_) => {
            let code: Option<String> = sqlx::query_scalar(
                "UPDATE offer_codes SET claimed_by = $1 \
                 WHERE store = $2 AND claimed_by IS NULL \
                   AND code = (SELECT code FROM offer_codes \
                        WHERE store = $2 AND offer = $3 AND claimed_by IS NULL \
                        ORDER BY position LIMIT 1) \
                   AND (SELECT COUNT(*) FROM offer_claims \
                        WHERE store = $2 AND offer = $3 AND member = $4) < $5 \
                   AND (SELECT COUNT(*) FROM offer_claims WHERE store = $2 AND offer = $3) < $6 \
                 RETURNING code",
            )
            .bind(claim.id)
            .bind(claim.store)
            .bind(&claim.offer.id)
            .bind(claim.member)
            .bind(per_member)
            .bind(budget)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(code) = &code {
                sqlx::query(
                    "INSERT INTO offer_claims (id, store, offer, member, code, claimed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(claim.id)
                .bind(claim.store)
                .bind(&claim.offer.id)
                .bind(claim.member)
                .bind(code)
                .bind(claim.at)
                .execute(&mut *conn)
                .await?;
            }
            code
        }
    };
    match taken {
        Some(code) => Ok(Ok(code)),
        None => refusal(conn, claim).await.map(Err),
    }
}

/// Why `claim` was not written: the same rule as the guarded statement, read back inside the
/// same transaction (so nothing changed in between); a pool with no free code is sold out.
async fn refusal(
    conn: &mut SqliteConnection,
    claim: NewClaim<'_>,
) -> Result<ClaimRefusal, sqlx::Error> {
    let (by_member, total): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM offer_claims \
                 WHERE store = $1 AND offer = $2 AND member = $3), \
                (SELECT COUNT(*) FROM offer_claims WHERE store = $1 AND offer = $2)",
    )
    .bind(claim.store)
    .bind(&claim.offer.id)
    .bind(claim.member)
    .fetch_one(&mut *conn)
    .await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(claim
        .offer
        .limits
        .check(count(by_member), count(total))
        .err()
        .unwrap_or(ClaimRefusal::SoldOut))
}

/// The code stored for the `offer.claimed` result `id`, if it was accepted.
pub(crate) async fn code_of_claim(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code FROM offer_claims WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// The code `member` claimed last for `offer`, if any.
pub(crate) async fn latest_code(
    db: &SqlitePool,
    store: &str,
    offer: &str,
    member: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT code FROM offer_claims WHERE store = $1 AND offer = $2 AND member = $3 \
         ORDER BY claimed_at DESC, id DESC LIMIT 1",
    )
    .bind(store)
    .bind(offer)
    .bind(member)
    .fetch_optional(db)
    .await
}

/// Whether `offer`'s budget or code pool is used up.
pub(crate) async fn is_sold_out(
    db: &SqlitePool,
    store: &str,
    offer: &Offer,
) -> Result<bool, sqlx::Error> {
    let (total, free): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM offer_claims WHERE store = $1 AND offer = $2), \
                (SELECT COUNT(*) FROM offer_codes \
                 WHERE store = $1 AND offer = $2 AND claimed_by IS NULL)",
    )
    .bind(store)
    .bind(&offer.id)
    .fetch_one(db)
    .await?;
    let over_budget = offer
        .limits
        .budget
        .is_some_and(|budget| total >= i64::from(budget));
    let pool_empty = matches!(offer.codes, Codes::Pool(_)) && free == 0;
    Ok(over_budget || pool_empty)
}
