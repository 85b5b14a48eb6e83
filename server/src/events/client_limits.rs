//! How many results of each type one client may send to `POST /v1/events` in a window, and
//! what happens past that: an analytics result is refused for good (`rate_limited`, which the
//! widget takes as final), a person's action is left unanswered, so that the widget keeps it
//! and sends it again once the window has passed instead of losing it.
//!
//! These limits are generous beside what one page sends (a page reports one impression per
//! widget, a person reviews or claims a few times an hour) so that many shoppers behind one
//! address (a shop's Wi-Fi, a carrier's shared address) stay well inside them; the features'
//! own limits (reviews per address, invalid codes per device) are tighter and come after.

use crate::rate_limit::{Limited, RateLimiter};
use encore_core::events::EventBody;
use std::time::Duration;

/// What happens to a result past its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenOver {
    /// Rejected with `rate_limited`: final, the widget drops it. For analytics only.
    Refuse,
    /// Left out of the answer: not settled, so the widget keeps it and sends it again later.
    Defer,
}

/// The limit on one type of result from one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientLimit {
    /// Results of the type one client may send in one window.
    pub per_window: u32,
    /// The window (fixed, starting with the client's first result of the type).
    pub window: Duration,
    /// What happens past the limit.
    pub when_over: WhenOver,
}

const TEN_MINUTES: Duration = Duration::from_secs(10 * 60);

const fn limit(per_window: u32, when_over: WhenOver) -> ClientLimit {
    ClientLimit {
        per_window,
        window: TEN_MINUTES,
        when_over,
    }
}

/// `widget.impression`: one a second on average, more than a page of widgets per second.
pub const IMPRESSIONS: ClientLimit = limit(600, WhenOver::Refuse);
/// `referral.landed`: the loader reports a landing once per visit through a link.
pub const LANDINGS: ClientLimit = limit(100, WhenOver::Defer);
/// `referral.shared`: a share is a tap on a share button; a page's outbox may hold a few hundred
/// taps that waited out an outage, and they all come back at once from one address.
pub const SHARES: ClientLimit = limit(2000, WhenOver::Defer);
/// `review.submitted`: the floor; a store that allows more reviews per address an hour
/// (`reviews_per_ip_per_hour`) raises it to that (see [`for_type`]), since its own limit
/// applies after this one and must not be cut short by it.
pub const REVIEWS: ClientLimit = limit(30, WhenOver::Defer);
/// `offer.claimed`: each member claims an offer a few times at most.
pub const CLAIMS: ClientLimit = limit(60, WhenOver::Defer);
/// `surprise.redeemed`: a scanned code each; invalid codes have their own, tighter limit.
pub const REDEMPTIONS: ClientLimit = limit(60, WhenOver::Defer);
/// `referral.ordered`: one per order placed.
pub const ORDERS: ClientLimit = limit(30, WhenOver::Defer);

/// The limit on the type named `type_name` (`None` for a type this server does not know), where
/// the most generous store allows `reviews_per_address` reviews per address an hour. A
/// person's action is deferred past its limit, never refused: the same split as
/// [`EventBody::is_user_action`] (the outbox never evicts those either).
pub fn for_type(type_name: &str, reviews_per_address: u32) -> Option<ClientLimit> {
    Some(match type_name {
        "review.submitted" => ClientLimit {
            per_window: REVIEWS.per_window.max(reviews_per_address),
            ..REVIEWS
        },
        "widget.impression" => IMPRESSIONS,
        "referral.landed" => LANDINGS,
        "referral.shared" => SHARES,
        "offer.claimed" => CLAIMS,
        "surprise.redeemed" => REDEMPTIONS,
        "referral.ordered" => ORDERS,
        _ => return None,
    })
}

/// One result past its client's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Over {
    /// What happens to it.
    pub when_over: WhenOver,
    /// Seconds until the client's window ends.
    pub retry_after_secs: u64,
}

/// Counts a result of `body`'s type against its limit for `client` (see
/// [`crate::client_ip::client_key`]); past it, what happens to the result.
pub(crate) fn count(
    limiter: &RateLimiter,
    client: &str,
    body: &EventBody,
    reviews_per_address: u32,
) -> Result<(), Over> {
    let Some(limit) = for_type(body.type_name(), reviews_per_address) else {
        return Ok(());
    };
    limiter
        .hit(
            &key(client, body.type_name()),
            limit.per_window,
            limit.window,
        )
        .map_err(|limited| over(limit, limited))
}

/// Whether `client` is past its limit for the type named `type_name` already, without counting:
/// read before a result is decoded, so that a flood past its limit costs a lookup per result.
pub(crate) fn check(
    limiter: &RateLimiter,
    client: &str,
    type_name: &str,
    reviews_per_address: u32,
) -> Result<(), Over> {
    let Some(limit) = for_type(type_name, reviews_per_address) else {
        return Ok(());
    };
    limiter
        .check(&key(client, type_name), limit.per_window)
        .map_err(|limited| over(limit, limited))
}

fn key(client: &str, type_name: &str) -> String {
    format!("events-{type_name}:{client}")
}

fn over(limit: ClientLimit, limited: Limited) -> Over {
    Over {
        when_over: limit.when_over,
        retry_after_secs: limited.retry_after_secs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::events::KNOWN_TYPES;

    /// Every type has a limit, and only analytics are refused past it.
    #[test]
    fn only_analytics_are_refused_past_their_limit() {
        let good = |ty: &str, data: serde_json::Value| {
            let raw = serde_json::json!({
                "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "store": "s", "occurred_at": 1,
                "type": ty, "data": data,
            });
            encore_core::events::decode_event(&raw).map(|e| e.body)
        };
        let device = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let bodies = [
            good("widget.impression", serde_json::json!({"mode": "product"})),
            good(
                "referral.landed",
                serde_json::json!({"code": "A", "landed_at": 1}),
            ),
            good(
                "referral.shared",
                serde_json::json!({"code": "A", "via": "copy"}),
            ),
            good(
                "review.submitted",
                serde_json::json!({"product": "p", "rating": 5, "body": "b", "name": "n",
                    "locale": "en", "fill_ms": 1}),
            ),
            good(
                "offer.claimed",
                serde_json::json!({"offer": "o", "member_token": "t"}),
            ),
            good(
                "surprise.redeemed",
                serde_json::json!({"code": "c", "device": device}),
            ),
            good(
                "referral.ordered",
                serde_json::json!({"code": "A", "landed_at": 1, "order_token": "t",
                    "device": device}),
            ),
        ];
        assert_eq!(bodies.len(), KNOWN_TYPES.len());
        for ty in KNOWN_TYPES {
            assert!(for_type(ty, 0).is_some(), "{ty} has no limit");
        }
        for body in bodies {
            let body = body.expect("a valid result");
            let limit = for_type(body.type_name(), 0).expect("a limit");
            assert!(limit.per_window >= 30, "{}", body.type_name());
            let refused = limit.when_over == WhenOver::Refuse;
            assert_eq!(refused, !body.is_user_action(), "{}", body.type_name());
        }
    }

    #[test]
    fn a_client_past_its_limit_waits_for_its_window_and_others_do_not() {
        let limiter = RateLimiter::default();
        let body = EventBody::ReferralShared(encore_core::referral::results::ReferralShared {
            code: "A".into(),
            via: encore_core::referral::results::SharedVia::Copy,
        });
        for _ in 1..SHARES.per_window {
            assert_eq!(count(&limiter, "10.0.0.1", &body, 0), Ok(()));
        }
        assert_eq!(check(&limiter, "10.0.0.1", "referral.shared", 0), Ok(()));
        assert_eq!(count(&limiter, "10.0.0.1", &body, 0), Ok(()));
        // At the limit: the next is over, whether counted or only looked up.
        assert!(check(&limiter, "10.0.0.1", "referral.shared", 0).is_err());
        let over = count(&limiter, "10.0.0.1", &body, 0).expect_err("past the limit");
        assert_eq!(over.when_over, WhenOver::Defer);
        assert!((1..=600).contains(&over.retry_after_secs));
        assert_eq!(check(&limiter, "10.0.0.1", "widget.impression", 0), Ok(()));
        assert_eq!(count(&limiter, "10.0.0.2", &body, 0), Ok(()));
    }

    #[test]
    fn a_store_that_allows_more_reviews_per_address_raises_the_floor() {
        assert_eq!(for_type("review.submitted", 0), Some(REVIEWS));
        assert_eq!(
            for_type("review.submitted", 10).map(|l| l.per_window),
            Some(30)
        );
        assert_eq!(
            for_type("review.submitted", 1000).map(|l| l.per_window),
            Some(1000)
        );
        assert_eq!(for_type("offer.claimed", 1000), Some(CLAIMS));
    }
}
