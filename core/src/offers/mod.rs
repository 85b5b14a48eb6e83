//! Member-only offers: what `POST /v1/offers` is asked and answers, the `offer.claimed` result, and why a
//! claim can be refused. Targeting rules and the store's calendar live in [`audience`] and
//! [`calendar`] (server side; the widget only shows what the server decided).

#[cfg(feature = "offer-rules")]
pub mod audience;
#[cfg(feature = "offer-rules")]
pub mod calendar;
pub mod claims;

use crate::length_caps::{self, Capped, MAX_STORE_LEN, TooLong};
use crate::token::MAX_TOKEN_LEN;
use serde::{Deserialize, Serialize};

/// Longest offer id: offer ids follow the rule of store ids ([`crate::config::is_store_id`]),
/// which the server's config enforces.
pub const MAX_OFFER_ID_LEN: usize = MAX_STORE_LEN;

/// Who the server took the shopper to be. A member id sent beside the token is never used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MemberStatus {
    /// A valid member token.
    Member {
        /// The tier id (e.g. `gold`), if the store has tiers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<String>,
        /// The tier's display name in the requested locale.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier_name: Option<String>,
    },
    /// No token: a guest.
    Guest,
    /// A token that was signed but has expired: the page should fetch a fresh one.
    Expired,
    /// A token that is altered, foreign or unknown: treated as a guest.
    Invalid,
}

impl MemberStatus {
    /// Whether the shopper is a verified member.
    pub fn is_member(&self) -> bool {
        matches!(self, MemberStatus::Member { .. })
    }
}

/// An offer the member qualifies for, in the requested locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferCard {
    /// The offer id from the store's config.
    pub id: String,
    /// What it is ("25% off everything").
    pub title: String,
    /// The details and conditions.
    pub description: String,
    /// When the offer stops (exclusive), in ms since the Unix epoch; `None`: open-ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<u64>,
    /// The code this member already claimed, shown again instead of the claim button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_code: Option<String>,
    /// No codes or budget left: shown, but not claimable.
    #[serde(default)]
    pub sold_out: bool,
}

/// What members get, shown locked to a guest with how to join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedOffer {
    /// The offer id.
    pub id: String,
    /// The benefit ("Gold members: 20% off every Tuesday drop").
    pub title: String,
    /// Who it is for, in the store's words ("For Gold members").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// Where a guest joins or signs in, as the store configures it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinLink {
    /// The store's join or sign-in page (http or https).
    pub url: String,
    /// The link text in the requested locale.
    pub label: String,
}

/// The next weekly drop as this shopper sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DropView {
    /// What drops ("Tuesday tea drop").
    pub title: String,
    /// When this shopper may buy (earlier for an early-access tier), ms since the epoch.
    pub access_at: u64,
    /// When everyone may buy, ms since the epoch.
    pub public_at: u64,
    /// When the drop closes, ms since the epoch.
    pub ends_at: u64,
    /// Whether `access_at` is earlier than `public_at` because of the shopper's tier.
    pub early: bool,
}

/// What the widget asks `POST /v1/offers` (a JSON body sent as `text/plain`, so no CORS
/// preflight): the store, the member token if the page has one, and the locale. The token rides
/// in the body, never the URL, where proxy and CDN logs would keep it. The deprecated
/// `GET /v1/offers?store=&token=&locale=` reads the same fields from its query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffersQuery {
    /// The store id.
    pub store: String,
    /// The member token; none (or empty) for a guest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The locale tag for strings (`en`, `zh-CN`); the store's default when absent or unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// The answer of `POST /v1/offers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffersPage {
    /// Who the shopper is.
    pub status: MemberStatus,
    /// Offers the member qualifies for now (empty for non-members).
    #[serde(default)]
    pub offers: Vec<OfferCard>,
    /// The locked teaser set (for non-members).
    #[serde(default)]
    pub locked: Vec<LockedOffer>,
    /// How to join, for non-members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<JoinLink>,
    /// The store's weekly drop, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<DropView>,
    /// The server's clock when it answered (ms), so a countdown does not trust the device's.
    pub now: u64,
}

/// `offer.claimed`: a member claimed an offer. The server checks the token, the audience, the
/// member's claim limit and the offer's budget in one atomic step, and answers with the code
/// (in the acknowledgement's `reward`), again on any retry of the same result id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferClaimed {
    /// The offer id.
    pub offer: String,
    /// The member token the page was given; the member is whoever it names.
    pub member_token: String,
}

impl Capped for OfferClaimed {
    fn check_caps(&self) -> Result<(), TooLong> {
        length_caps::text("data.offer", &self.offer, MAX_OFFER_ID_LEN)?;
        length_caps::text("data.member_token", &self.member_token, MAX_TOKEN_LEN)
    }
}

#[cfg(test)]
mod tests {
    use super::OffersQuery;

    #[test]
    fn an_offers_query_round_trips_and_leaves_out_what_it_lacks() {
        let full = OffersQuery {
            store: "acme".into(),
            token: Some("v1.a+b/c=".into()),
            locale: Some("zh-CN".into()),
        };
        let text = serde_json::to_string(&full).expect("serialise");
        assert_eq!(
            text,
            r#"{"store":"acme","token":"v1.a+b/c=","locale":"zh-CN"}"#
        );
        assert_eq!(serde_json::from_str::<OffersQuery>(&text).ok(), Some(full));
        let guest = OffersQuery {
            store: "acme".into(),
            token: None,
            locale: None,
        };
        let text = serde_json::to_string(&guest).expect("serialise");
        assert_eq!(text, r#"{"store":"acme"}"#);
        assert_eq!(serde_json::from_str::<OffersQuery>(&text).ok(), Some(guest));
        assert!(serde_json::from_str::<OffersQuery>(r#"{"token":"t"}"#).is_err());
    }
}
