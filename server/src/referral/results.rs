//! `referral.landed` and `referral.ordered` in a batch of results. What needs no database (the
//! program, the order token, the window the browser claims) is decided before the transaction;
//! the landing row (with the server's receive time and the device id), the advocate lookup, the
//! landing the order is credited against, the device and address counts, the verdict and the
//! referral row are written inside it, so they commit with their result or not at all.
//! `referral.shared` needs nothing beyond its own row.

use super::advocate::{by_code, canonical, judged_id};
use super::status::ReferralStatus;
use crate::config::StoreConfig;
use crate::event_log::{NewEvent, ResultWriter, Written};
use crate::tokens::order::verify_order;
use encore_core::events::{ReferralLanded, RejectReason};
use encore_core::issued_code::IssuedCode;
use encore_core::referral::email::fingerprint;
use encore_core::referral::fraud::{Advocate, FraudLimits, Landing, ReferredOrder, judge};
use encore_core::referral::results::{ReferralOrdered, ReferralRefusal};
use encore_core::surprise::redeem::is_device_id;
use sqlx::SqliteConnection;
use std::net::IpAddr;

/// How far in the future a landing may claim to be: browser clocks drift, but not by days.
const LANDED_AHEAD_MS: u64 = 60 * 1000;

/// What was decided about one referral result before the transaction.
#[derive(Debug, Clone)]
pub(crate) enum Checked {
    /// A landing in a store with a program: recorded when its code belongs to an advocate.
    Landed {
        /// The store.
        store: String,
        /// The code, canonical.
        code: String,
        /// When (ms), as the browser says; kept, but the window runs from the server's receive
        /// time.
        landed_at: i64,
        /// The browser's device id, which its referred order must carry to be credited.
        device: Option<String>,
    },
    /// An attributed order, or why it is refused.
    Ordered(Result<Attributed, ReferralRefusal>),
}

/// A referred order whose token verified and whose landing is inside the window.
#[derive(Debug, Clone)]
pub(crate) struct Attributed {
    store: String,
    code: String,
    order: String,
    buyer: Option<String>,
    email_fp: Option<String>,
    prior_orders: Option<u32>,
    device: String,
    ip: Option<String>,
    window_ms: u64,
    limits: FraudLimits,
}

/// The landing to record, when `store` runs a program; `None` leaves the result alone. A device
/// id that is not one is `invalid`.
pub(crate) fn check_landed(
    store: &StoreConfig,
    landed: &ReferralLanded,
) -> Result<Option<Checked>, RejectReason> {
    if landed.device.as_deref().is_some_and(|d| !is_device_id(d)) {
        return Err(invalid_device());
    }
    if store.referral.is_none() {
        return Ok(None);
    }
    Ok(Some(Checked::Landed {
        store: store.id.clone(),
        code: canonical(&landed.code),
        landed_at: i64::try_from(landed.landed_at).unwrap_or(i64::MAX),
        device: landed.device.clone(),
    }))
}

fn invalid_device() -> RejectReason {
    RejectReason::Invalid("device must be 8 to 64 letters, digits or dashes".into())
}

/// Checks `ordered` for `store` from `ip` at `now` (ms): the device id's shape is checked now
/// (a malformed result is `invalid`); the program, token and window give a verdict applied
/// inside the transaction, and only to a result stored for the first time.
pub(crate) fn check_ordered(
    store: &StoreConfig,
    ordered: &ReferralOrdered,
    ip: Option<IpAddr>,
    now: u64,
) -> Result<Checked, RejectReason> {
    if !is_device_id(&ordered.device) {
        return Err(invalid_device());
    }
    Ok(Checked::Ordered(attributed(store, ordered, ip, now)))
}

fn attributed(
    store: &StoreConfig,
    ordered: &ReferralOrdered,
    ip: Option<IpAddr>,
    now: u64,
) -> Result<Attributed, ReferralRefusal> {
    let program = store.referral.as_ref().ok_or(ReferralRefusal::NotOffered)?;
    // Valid when it arrives: a referral is claimed on the confirmation page, days before any
    // token could expire, and a retry of an accepted result never reaches this verdict.
    let claims = verify_order(store, &ordered.order_token, now / 1000).map_err(|e| {
        tracing::debug!(store = %store.id, error = %e, "referral order token not accepted");
        ReferralRefusal::OrderTokenInvalid
    })?;
    // The browser's own word that its landing is out of the window is believed: it can only
    // cost it the reward. Its word that the landing is recent credits nothing by itself.
    let too_old = ordered.landed_at.saturating_add(program.window_ms()) < now;
    let too_new = ordered.landed_at > now.saturating_add(LANDED_AHEAD_MS);
    if too_old || too_new {
        return Err(ReferralRefusal::WindowPassed);
    }
    Ok(Attributed {
        store: store.id.clone(),
        code: canonical(&ordered.code),
        order: claims.order,
        buyer: claims.buyer.member,
        email_fp: claims.buyer.contact.email.as_deref().and_then(fingerprint),
        prior_orders: claims.buyer.orders_before,
        device: ordered.device.clone(),
        ip: ip.map(|ip| ip.to_string()),
        window_ms: program.window_ms(),
        limits: program.limits,
    })
}

/// Replaces the order token by its SHA-256 before the result is stored: the events table then
/// holds no bearer credential, while a retry (same token) still hashes the same.
pub(crate) fn redact(ordered: &mut ReferralOrdered) {
    ordered.order_token = crate::event_log::redacted(&ordered.order_token);
}

/// Writes the referral results of one batch inside its transaction.
#[derive(Debug)]
pub(crate) struct ReferralWriter {
    received_at: i64,
}

impl ReferralWriter {
    /// A writer for a batch received at `received_at` (ms).
    pub(crate) fn new(received_at: i64) -> Self {
        ReferralWriter { received_at }
    }
}

impl ResultWriter for ReferralWriter {
    /// Made by [`check_landed`] or [`check_ordered`].
    type Checked = Checked;

    /// The landing counted for its code, or the referred order judged and recorded.
    async fn stored(
        &self,
        conn: &mut SqliteConnection,
        checked: &Checked,
        event: &NewEvent,
    ) -> Result<Written, sqlx::Error> {
        let event_id = event.event().id.as_str();
        match checked {
            Checked::Landed {
                store,
                code,
                landed_at,
                device,
            } => {
                let landing = NewLanding {
                    event_id,
                    store,
                    code,
                    landed_at: *landed_at,
                    device: device.as_deref(),
                    received_at: self.received_at,
                };
                record_landing(conn, &landing).await?;
                Ok(Ok(None))
            }
            Checked::Ordered(Err(refusal)) => Ok(Err(RejectReason::Referral(*refusal))),
            Checked::Ordered(Ok(order)) => {
                let refusal = record_order(conn, event_id, order, self.received_at).await?;
                Ok(refusal.map_or(Ok(None), |r| Err(RejectReason::Referral(r))))
            }
        }
    }

    async fn repeated(
        &self,
        _: &mut SqliteConnection,
        _: &Checked,
        _: &NewEvent,
    ) -> Result<Option<IssuedCode>, sqlx::Error> {
        // The landing or referral was written when the result was first stored; it earns the
        // shopper no code.
        Ok(None)
    }
}

/// A landing row as it is recorded.
struct NewLanding<'a> {
    event_id: &'a str,
    store: &'a str,
    code: &'a str,
    /// The browser's word (ms).
    landed_at: i64,
    device: Option<&'a str>,
    /// The server's clock when the result arrived (ms): the time an order is credited against.
    received_at: i64,
}

/// A landing of a code nobody has is kept as a result only: counting it would let anyone fill
/// the table with made-up codes.
async fn record_landing(
    conn: &mut SqliteConnection,
    landing: &NewLanding<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO referral_landings (event_id, store, code, landed_at, device, received_at) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS \
         (SELECT 1 FROM referral_advocates WHERE store = $2 AND code = $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(landing.event_id)
    .bind(landing.store)
    .bind(landing.code)
    .bind(landing.landed_at)
    .bind(landing.device)
    .bind(landing.received_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// When (ms, the server's clock) the server last recorded a landing through `code` from
/// `device`, up to `now`; `None` when it never did.
async fn last_landing(
    conn: &mut SqliteConnection,
    store: &str,
    code: &str,
    device: &str,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(received_at) FROM referral_landings \
         WHERE store = $1 AND code = $2 AND device = $3 AND received_at <= $4",
    )
    .bind(store)
    .bind(code)
    .bind(device)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(at.and_then(|at| u64::try_from(at).ok()))
}

/// Judges and records `order`; `Some` refuses the result (an unknown code).
async fn record_order(
    conn: &mut SqliteConnection,
    event_id: &str,
    order: &Attributed,
    now: i64,
) -> Result<Option<ReferralRefusal>, sqlx::Error> {
    let Some(advocate) = by_code(conn, &order.store, &order.code).await? else {
        return Ok(Some(ReferralRefusal::UnknownCode));
    };
    let landed = last_landing(conn, &order.store, &order.code, &order.device, now).await?;
    let landing = Landing::judge(landed, u64::try_from(now).unwrap_or(0), order.window_ms);
    let from_device: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM referral_orders WHERE store = $1 AND device = $2")
            .bind(&order.store)
            .bind(&order.device)
            .fetch_one(&mut *conn)
            .await?;
    let from_ip: i64 = match &order.ip {
        Some(ip) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM referral_orders WHERE store = $1 AND ip = $2")
                .bind(&order.store)
                .bind(ip)
                .fetch_one(&mut *conn)
                .await?
        }
        None => 0,
    };
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let verdict = judge(
        &Advocate {
            id: judged_id(&advocate.advocate).to_owned(),
            email: advocate.email_fp.clone(),
        },
        &ReferredOrder {
            confirmed: true,
            buyer: order.buyer.clone(),
            email: order.email_fp.clone(),
            prior_orders: order.prior_orders,
            landing,
            from_device: count(from_device),
            from_ip: count(from_ip),
        },
        order.limits,
    );
    let status = ReferralStatus::of(verdict);
    let inserted = sqlx::query(
        "INSERT INTO referral_orders (store, order_id, event_id, code, advocate, buyer, \
         buyer_email_fp, device, ip, verdict, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (store, order_id) DO NOTHING",
    )
    .bind(&order.store)
    .bind(&order.order)
    .bind(event_id)
    .bind(&order.code)
    .bind(&advocate.advocate)
    .bind(order.buyer.as_deref())
    .bind(order.email_fp.as_deref())
    .bind(&order.device)
    .bind(order.ip.as_deref())
    .bind(verdict.code())
    .bind(status.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 1 {
        tracing::info!(
            store = %order.store, order = %order.order, code = %order.code,
            verdict = verdict.code(), status = status.as_str(), "referred order judged"
        );
    } else {
        // Another result (another page view of the confirmation) brought this order already.
        tracing::info!(
            store = %order.store, order = %order.order, code = %order.code,
            "order already referred; keeping the first referral"
        );
    }
    Ok(None)
}
