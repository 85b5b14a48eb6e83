//! Redeeming one code, inside a transaction the caller holds with the write lock (the direct
//! route begins `IMMEDIATE`; a batch of results writes its own row first): a retry of the same
//! redemption gets its answer back, the code is taken by one guarded insert, the prize is drawn
//! with the operating system's CSPRNG within what is left of each budget, and the draw is
//! appended to the audit table.

use super::prizes::{THANKS, prize_view};
use crate::config::StoreConfig;
use crate::config::surprise::{Campaign, PrizeCodes};
use encore_core::locale::Locale;
use encore_core::surprise::code::{self, CodeId};
use encore_core::surprise::draw::{self, Drawn, PrizeOdds};
use encore_core::surprise::redeem::Redemption;
use sqlx::{Row, SqliteConnection};

/// One redemption attempt whose code verified.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The store.
    pub store: &'a StoreConfig,
    /// The code's campaign.
    pub campaign: &'a Campaign,
    /// The code's serial.
    pub serial: u32,
    /// The browser's redemption id.
    pub redemption: &'a str,
    /// The browser's device id.
    pub device: &'a str,
    /// The member a verified token names.
    pub member: Option<&'a str>,
    /// The language of the answer.
    pub locale: Locale,
    /// The server's clock (ms).
    pub now: u64,
}

/// The campaign and serial of `text` when it is a genuine code of `store`: checked with the
/// campaign's key only, without the database.
pub fn verify_code<'s>(store: &'s StoreConfig, text: &str) -> Option<(&'s Campaign, CodeId)> {
    let id = code::verify(text, |campaign| {
        store.surprise.campaign(campaign).map(|c| c.key.as_bytes())
    })
    .ok()?;
    Some((store.surprise.campaign(id.campaign)?, id))
}

/// What the database holds for a redeemed code.
struct Stored {
    serial: i64,
    device: String,
    member: Option<String>,
    prize: String,
    code: Option<String>,
    at: i64,
}

fn stored(row: &sqlx::sqlite::SqliteRow) -> Result<Stored, sqlx::Error> {
    Ok(Stored {
        serial: row.try_get("serial")?,
        device: row.try_get("device")?,
        member: row.try_get("member")?,
        prize: row.try_get("prize_id")?,
        code: row.try_get("prize_code")?,
        at: row.try_get("redeemed_at")?,
    })
}

/// Redeems `attempt`'s code, or says why not. Idempotent on the redemption id.
pub async fn redeem(
    conn: &mut SqliteConnection,
    attempt: &Attempt<'_>,
) -> Result<Redemption, sqlx::Error> {
    let Attempt {
        store, campaign, ..
    } = *attempt;
    let answer = |s: &Stored| {
        let prize = prize_view(campaign, &s.prize, s.code.clone(), ms(s.at), attempt.locale);
        (prize, ms(s.at))
    };

    // A retry of this very attempt: the same answer, whatever happened since.
    let again = sqlx::query(
        "SELECT serial, device, member, prize_id, prize_code, redeemed_at \
         FROM surprise_redemptions WHERE redemption_id = $1 AND store = $2 AND campaign = $3",
    )
    .bind(attempt.redemption)
    .bind(&store.id)
    .bind(i64::from(campaign.id))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = again {
        let s = stored(&row)?;
        if s.serial != i64::from(attempt.serial) {
            // The id was used for another code: not this browser's attempt.
            return Ok(Redemption::Invalid);
        }
        let (prize, redeemed_at) = answer(&s);
        return Ok(Redemption::Redeemed {
            prize,
            redeemed_at,
            campaign: campaign.id,
        });
    }

    if attempt.now < campaign.starts_at {
        return Ok(Redemption::NotStarted {
            starts_at: campaign.starts_at,
        });
    }
    if attempt.now >= campaign.ends_at {
        return Ok(Redemption::Expired {
            ended_at: campaign.ends_at,
        });
    }

    if let Some(answer) = already(conn, attempt).await? {
        return Ok(answer);
    }

    // Limits per device and per member.
    let by_device: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM surprise_redemptions WHERE store = $1 AND campaign = $2 AND device = $3",
    )
    .bind(&store.id)
    .bind(i64::from(campaign.id))
    .bind(attempt.device)
    .fetch_one(&mut *conn)
    .await?;
    if by_device >= i64::from(campaign.per_device) {
        return Ok(Redemption::LimitReached);
    }
    if let Some(per_member) = campaign.per_member {
        // The limit counts members by their verified token; a shopper who left it out (or
        // whose token no longer verifies) would escape the count, so the campaign is for
        // signed-in members only. The code stays unopened for the next try, signed in.
        let Some(member) = attempt.member else {
            return Ok(Redemption::LimitReached);
        };
        let by_member: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM surprise_redemptions WHERE store = $1 AND campaign = $2 AND member = $3",
        )
        .bind(&store.id)
        .bind(i64::from(campaign.id))
        .bind(member)
        .fetch_one(&mut *conn)
        .await?;
        if by_member >= i64::from(per_member) {
            return Ok(Redemption::LimitReached);
        }
    }

    // Take the code first: the primary key lets exactly one attempt through.
    let taken = sqlx::query(
        "INSERT INTO surprise_redemptions \
         (store, campaign, serial, redemption_id, device, member, prize_id, prize_code, redeemed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8) ON CONFLICT DO NOTHING",
    )
    .bind(&store.id)
    .bind(i64::from(campaign.id))
    .bind(i64::from(attempt.serial))
    .bind(attempt.redemption)
    .bind(attempt.device)
    .bind(attempt.member)
    .bind(THANKS)
    .bind(at(attempt.now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if taken == 0 {
        return Ok(already(conn, attempt).await?.unwrap_or(Redemption::Invalid));
    }

    let random = getrandom::u64().map_err(|e| sqlx::Error::Protocol(format!("CSPRNG: {e}")))?;
    let roll = draw::roll(random);
    let (prize, prize_code) = award(conn, attempt, roll).await?;
    sqlx::query(
        "UPDATE surprise_redemptions SET prize_id = $1, prize_code = $2 \
         WHERE store = $3 AND campaign = $4 AND serial = $5",
    )
    .bind(&prize)
    .bind(prize_code.as_deref())
    .bind(&store.id)
    .bind(i64::from(campaign.id))
    .bind(i64::from(attempt.serial))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO surprise_awards \
         (store, campaign, serial, redemption_id, prize_id, prize_code, roll_ppm, awarded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&store.id)
    .bind(i64::from(campaign.id))
    .bind(i64::from(attempt.serial))
    .bind(attempt.redemption)
    .bind(&prize)
    .bind(prize_code.as_deref())
    .bind(i64::from(roll))
    .bind(at(attempt.now))
    .execute(&mut *conn)
    .await?;
    Ok(Redemption::Redeemed {
        prize: prize_view(campaign, &prize, prize_code, attempt.now, attempt.locale),
        redeemed_at: attempt.now,
        campaign: campaign.id,
    })
}

/// `already_redeemed` when someone holds the code, with the prize only for the same device or
/// the same verified member.
async fn already(
    conn: &mut SqliteConnection,
    attempt: &Attempt<'_>,
) -> Result<Option<Redemption>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT serial, device, member, prize_id, prize_code, redeemed_at \
         FROM surprise_redemptions WHERE store = $1 AND campaign = $2 AND serial = $3",
    )
    .bind(&attempt.store.id)
    .bind(i64::from(attempt.campaign.id))
    .bind(i64::from(attempt.serial))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let s = stored(&row)?;
    let theirs = s.device == attempt.device
        || (attempt.member.is_some() && s.member.as_deref() == attempt.member);
    let prize = theirs.then(|| {
        prize_view(
            attempt.campaign,
            &s.prize,
            s.code.clone(),
            ms(s.at),
            attempt.locale,
        )
    });
    Ok(Some(Redemption::AlreadyRedeemed {
        prize,
        redeemed_at: ms(s.at),
    }))
}

/// Draws with `roll` over what is left of each prize and takes its code; a prize whose last unit
/// went in the meantime falls to thanks. Returns (prize id, code).
async fn award(
    conn: &mut SqliteConnection,
    attempt: &Attempt<'_>,
    roll: u32,
) -> Result<(String, Option<String>), sqlx::Error> {
    let campaign = attempt.campaign;
    let table = odds(conn, &attempt.store.id, campaign).await?;
    let Drawn::Prize(index) = draw::draw(&table, roll) else {
        return Ok((THANKS.to_owned(), None));
    };
    let Some(prize) = campaign.prizes.get(index) else {
        return Ok((THANKS.to_owned(), None));
    };
    let code = match &prize.codes {
        PrizeCodes::None => None,
        PrizeCodes::Fixed(code) => Some(code.clone()),
        PrizeCodes::Pool(_) => {
            let taken: Option<String> = sqlx::query_scalar(
                "UPDATE surprise_codes SET claimed_by = $1 \
                 WHERE store = $2 AND campaign = $3 AND prize = $4 AND code = (\
                   SELECT code FROM surprise_codes \
                   WHERE store = $2 AND campaign = $3 AND prize = $4 AND claimed_by IS NULL \
                   ORDER BY position LIMIT 1) \
                 AND claimed_by IS NULL RETURNING code",
            )
            .bind(attempt.redemption)
            .bind(&attempt.store.id)
            .bind(i64::from(campaign.id))
            .bind(&prize.id)
            .fetch_optional(&mut *conn)
            .await?;
            match taken {
                Some(code) => Some(code),
                None => return Ok((THANKS.to_owned(), None)),
            }
        }
    };
    Ok((prize.id.clone(), code))
}

/// Each prize's chance and what is left of it now: its budget less its awards, and for a pool
/// the codes still free.
pub async fn odds(
    conn: &mut SqliteConnection,
    store: &str,
    campaign: &Campaign,
) -> Result<Vec<PrizeOdds>, sqlx::Error> {
    let mut table = Vec::with_capacity(campaign.prizes.len());
    for prize in &campaign.prizes {
        let awarded: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM surprise_redemptions WHERE store = $1 AND campaign = $2 AND prize_id = $3",
        )
        .bind(store)
        .bind(i64::from(campaign.id))
        .bind(&prize.id)
        .fetch_one(&mut *conn)
        .await?;
        let free = match prize.codes {
            PrizeCodes::Pool(_) => {
                let free: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM surprise_codes \
                     WHERE store = $1 AND campaign = $2 AND prize = $3 AND claimed_by IS NULL",
                )
                .bind(store)
                .bind(i64::from(campaign.id))
                .bind(&prize.id)
                .fetch_one(&mut *conn)
                .await?;
                Some(u64::try_from(free).unwrap_or(0))
            }
            _ => None,
        };
        table.push(prize.odds(u64::try_from(awarded).unwrap_or(0), free));
    }
    Ok(table)
}

fn ms(at: i64) -> u64 {
    u64::try_from(at).unwrap_or(0)
}

fn at(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}
