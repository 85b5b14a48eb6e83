//! Who a member token says the shopper is: the signed facts the offer rules may look at, and
//! the status an offers page reports. The member is whoever the token names; a member id sent
//! beside it is never read.

use crate::config::StoreConfig;
use crate::tokens::member::verify_member;
use encore_core::locale::Locale;
use encore_core::offers::MemberStatus;
use encore_core::offers::audience::Shopper;
use encore_core::reviews::Localized;
use encore_core::token::{MemberClaims, TokenError};
use jiff::civil::Date;

/// A member whose token verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// What the store signed.
    pub claims: MemberClaims,
    /// `claims.last_order` read as a day; `None` when absent or not `YYYY-MM-DD`.
    pub last_order: Option<Date>,
}

impl Member {
    /// The member behind verified `claims`.
    pub fn new(claims: MemberClaims) -> Self {
        let last_order = claims.last_order.as_deref().and_then(|day| {
            let parsed = day.parse::<Date>().ok();
            if parsed.is_none() {
                // The store's backend signed a day it cannot have meant; rules on the last order
                // then treat the member as one without orders on record.
                tracing::warn!(store = %claims.envelope.store, day, "member token has an unreadable last_order");
            }
            parsed
        });
        Member { claims, last_order }
    }

    /// The member id in the store's own system.
    pub fn id(&self) -> &str {
        &self.claims.member
    }

    /// The signed tier.
    pub fn tier(&self) -> Option<&str> {
        self.claims.tier.as_deref()
    }

    /// What the audience rules see of this member, shown in `locale`.
    pub fn shopper<'a>(&'a self, locale: &'a str) -> Shopper<'a> {
        Shopper {
            tier: self.tier(),
            orders: self.claims.orders,
            last_order: self.last_order,
            locale,
        }
    }
}

/// Who a request's token says the shopper is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// A valid member token.
    Member(Member),
    /// No token.
    Guest,
    /// A genuine token past its expiry.
    Expired,
    /// An altered, foreign, malformed or unknown-key token.
    Invalid,
}

impl Membership {
    /// Reads `token` (if any) for `store` at `now` (seconds since the Unix epoch).
    pub fn of(store: &StoreConfig, token: Option<&str>, now: u64) -> Self {
        let Some(token) = token else {
            return Membership::Guest;
        };
        match verify_member(store, token, now) {
            Ok(claims) => Membership::Member(Member::new(claims)),
            Err(TokenError::Expired) => Membership::Expired,
            Err(e) => {
                tracing::debug!(store = %store.id, error = %e, "member token not accepted");
                Membership::Invalid
            }
        }
    }

    /// The member, when the token verified.
    pub fn member(&self) -> Option<&Member> {
        match self {
            Membership::Member(member) => Some(member),
            _ => None,
        }
    }

    /// The status a page reports, with the tier's name in `locale`.
    pub fn status(&self, store: &StoreConfig, locale: Locale) -> MemberStatus {
        match self {
            Membership::Member(member) => MemberStatus::Member {
                tier: member.tier().map(str::to_owned),
                tier_name: member
                    .tier()
                    .and_then(|t| store.members.tier(t))
                    .map(|t| localized(&t.name, locale)),
            },
            Membership::Guest => MemberStatus::Guest,
            Membership::Expired => MemberStatus::Expired,
            Membership::Invalid => MemberStatus::Invalid,
        }
    }
}

/// `text` in `locale`, as an owned string for a page.
pub(crate) fn localized(text: &Localized, locale: Locale) -> String {
    text.get(locale).to_owned()
}
