//! Member tokens (member id, tier, orders, expiry): verifying one a store's backend signed, and
//! minting one on the server (`encore-server token member`, and the demo store's
//! `GET /demo/member-token`) for trying member offers without a store backend: the same
//! signature a backend computes.

use super::order::check_contact;
use crate::config::{ServerConfig, StoreConfig};
use encore_core::token::{
    self, Contact, Envelope, Expectations, MEMBER_TOKEN_MAX_SECS, MemberClaims, TokenError,
};
use jiff::civil::Date;
use std::fmt;

/// Longest member id accepted: ids travel in tokens and URLs.
const MAX_MEMBER_LEN: usize = 128;

/// The claims of `token` when it is a member token for `store`, valid at `now` (seconds since
/// the Unix epoch), signed with one of the store's keys and living at most 15 minutes.
pub fn verify_member(
    store: &StoreConfig,
    token: &str,
    now: u64,
) -> Result<MemberClaims, TokenError> {
    token::verify::<MemberClaims>(
        token,
        |kid| store.secret(kid),
        Expectations {
            store: &store.id,
            now,
            max_lifetime: MEMBER_TOKEN_MAX_SECS,
        },
    )
}

/// What a new member token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberTokenRequest {
    /// The member id.
    pub member: String,
    /// The member's tier; must be one of the store's tiers when it has any.
    pub tier: Option<String>,
    /// The day of the last order, `YYYY-MM-DD`.
    pub last_order: Option<String>,
    /// How many orders the member has placed.
    pub orders: u32,
    /// The member's name and e-mail (referral), as far as the token should say.
    pub contact: Contact,
    /// Minutes until it expires (1 to 15).
    pub ttl_mins: u64,
    /// The key to sign with; the store's newest when `None`.
    pub key: Option<String>,
    /// Now, in seconds since the Unix epoch.
    pub now: u64,
}

/// Why no member token was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberMintError {
    /// The store is not configured.
    UnknownStore(String),
    /// The store has no keys.
    NoKeys(String),
    /// The store has no key with this id.
    UnknownKey(String),
    /// An empty, overlong or control-character member id.
    BadMember,
    /// A tier the store does not have.
    UnknownTier {
        /// The tier asked for.
        tier: String,
        /// The store's tiers.
        known: Vec<String>,
    },
    /// A last order that is not a `YYYY-MM-DD` day.
    BadLastOrder(String),
    /// A lifetime of 0 minutes or longer than member tokens may live.
    BadTtl(u64),
    /// A name or e-mail that cannot be signed (the reason says which).
    BadContact(String),
}

impl fmt::Display for MemberMintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemberMintError::UnknownStore(s) => write!(f, "store {s:?} is not in the config"),
            MemberMintError::NoKeys(s) => write!(f, "store {s:?} has no keys to sign with"),
            MemberMintError::UnknownKey(k) => write!(f, "the store has no key {k:?}"),
            MemberMintError::BadMember => write!(
                f,
                "the member id must be 1 to {MAX_MEMBER_LEN} characters without control characters"
            ),
            MemberMintError::UnknownTier { tier, known } => write!(
                f,
                "the store has no tier {tier:?}; its tiers are: {}",
                known.join(", ")
            ),
            MemberMintError::BadLastOrder(day) => {
                write!(f, "last order {day:?} is not a day like 2026-11-02")
            }
            MemberMintError::BadTtl(mins) => write!(
                f,
                "a member token lives 1 to {} minutes, not {mins}",
                MEMBER_TOKEN_MAX_SECS / 60
            ),
            MemberMintError::BadContact(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for MemberMintError {}

/// Signs a member token for store `store` of `config`.
pub fn mint(
    config: &ServerConfig,
    store: &str,
    request: MemberTokenRequest,
) -> Result<String, MemberMintError> {
    let store = config
        .store(store)
        .ok_or_else(|| MemberMintError::UnknownStore(store.to_owned()))?;
    mint_for(store, request)
}

/// Signs a member token for `store` as `request` describes it.
pub fn mint_for(
    store: &StoreConfig,
    request: MemberTokenRequest,
) -> Result<String, MemberMintError> {
    let key = match &request.key {
        Some(id) => store
            .keys
            .iter()
            .find(|k| &k.id == id)
            .ok_or_else(|| MemberMintError::UnknownKey(id.clone()))?,
        None => store
            .newest_key()
            .ok_or_else(|| MemberMintError::NoKeys(store.id.clone()))?,
    };
    let member = request.member.trim();
    if member.is_empty() || member.len() > MAX_MEMBER_LEN || member.chars().any(char::is_control) {
        return Err(MemberMintError::BadMember);
    }
    if let Some(tier) = &request.tier {
        let tiers = &store.members.tiers;
        if !tiers.is_empty() && store.members.tier(tier).is_none() {
            return Err(MemberMintError::UnknownTier {
                tier: tier.clone(),
                known: tiers.iter().map(|t| t.id.clone()).collect(),
            });
        }
    }
    if let Some(day) = &request.last_order {
        if day.len() != 10 || day.parse::<Date>().is_err() {
            return Err(MemberMintError::BadLastOrder(day.clone()));
        }
    }
    if request.ttl_mins == 0 || request.ttl_mins.saturating_mul(60) > MEMBER_TOKEN_MAX_SECS {
        return Err(MemberMintError::BadTtl(request.ttl_mins));
    }
    check_contact(&request.contact).map_err(|e| MemberMintError::BadContact(e.to_string()))?;
    let claims = MemberClaims {
        envelope: Envelope {
            store: store.id.clone(),
            kid: key.id.clone(),
            iat: request.now,
            exp: request.now + request.ttl_mins * 60,
        },
        member: member.to_owned(),
        tier: request.tier,
        last_order: request.last_order,
        orders: request.orders,
        contact: request.contact,
    };
    Ok(token::sign(&claims, key.secret.as_bytes()))
}
