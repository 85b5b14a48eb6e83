//! Claims signed by a store's backend (HMAC-SHA256 under a store secret) and verified by the
//! server. The browser only carries them: it holds no secret and trusts nothing it reads here.
//!
//! Wire form: `base64url(JSON claims) "." base64url(HMAC-SHA256(secret, first part))`, both
//! without padding, the same shape as a JWT's last two parts so any backend can mint one with
//! its standard library. The claims name the key (`kid`) so a store can rotate secrets.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::fmt;

/// Longest token accepted before any decoding, so a hostile one costs nothing.
pub const MAX_TOKEN_LEN: usize = 2048;
/// Bytes of an HMAC-SHA256 tag; a shorter (truncated) tag is refused.
const MAC_LEN: usize = 32;

/// Fields every signed claim carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The store whose secret signed the claim.
    pub store: String,
    /// The id of the store key that signed it.
    pub kid: String,
    /// Issued at, in seconds since the Unix epoch.
    pub iat: u64,
    /// Expires at, in seconds since the Unix epoch.
    pub exp: u64,
}

/// A kind of signed claim.
pub trait Claims: Serialize + DeserializeOwned {
    /// The common fields.
    fn envelope(&self) -> &Envelope;
}

/// One product of an order, as the store's backend names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    /// The product id (the `product` attribute of that product's page).
    pub product: String,
    /// The product's display name.
    pub name: String,
}

/// An order token: proof from the store that this order exists and holds these products.
/// It makes a review "verified" and lists what the review request asks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderClaims {
    /// Store, key, issue and expiry times.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// The order id (the `order` attribute).
    pub order: String,
    /// The order's products.
    pub items: Vec<OrderItem>,
    /// Who placed it, as far as the store chooses to sign it (referral attribution).
    #[serde(flatten)]
    pub buyer: Buyer,
}

/// Optional facts about a person that a store may sign into a token, used by referral: a first
/// name for the friend's welcome ("Alex gave you ...") and an e-mail to tell self-referrals
/// apart. The server stores the e-mail only as a fingerprint (`referral::email::fingerprint`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// A first name or nickname the store is happy to show to friends this person refers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The person's e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The buyer of an order, as the store's backend signs it: what the referral fraud rules need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buyer {
    /// Name and e-mail.
    #[serde(flatten)]
    pub contact: Contact,
    /// The buyer's member id, if they were signed in. Sent as `buyer`, so that no order token
    /// can ever read as a member token.
    #[serde(rename = "buyer", default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Orders this buyer placed before this one (0: a first order). Without it a referred
    /// order waits for review, since a referral rewards only new customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orders_before: Option<u32>,
}

impl Claims for OrderClaims {
    fn envelope(&self) -> &Envelope {
        &self.envelope
    }
}

/// Longest life of a member token: it stands for a signed-in session, so it is short.
pub const MEMBER_TOKEN_MAX_SECS: u64 = 15 * 60;

/// A member token: proof from the store that the shopper is signed in as this member, with the
/// facts offers are targeted on. Any member id sent beside it is ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberClaims {
    /// Store, key, issue and expiry times.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// The member id in the store's own system.
    pub member: String,
    /// The member's tier (e.g. `silver`, `gold`), if the store has tiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// The day of the member's last order (`YYYY-MM-DD`, in the store's time zone), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_order: Option<String>,
    /// How many orders the member has placed.
    #[serde(default)]
    pub orders: u32,
    /// Name and e-mail, for referral.
    #[serde(flatten)]
    pub contact: Contact,
}

impl Claims for MemberClaims {
    fn envelope(&self) -> &Envelope {
        &self.envelope
    }
}

/// Why a token was refused. The server tells clients only that it is invalid or expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// Not two base64url parts of sane length with JSON claims of the expected shape.
    Malformed,
    /// The claims name a key the store does not have (or no longer has).
    UnknownKey,
    /// The tag does not match the claims (altered, truncated, or signed with another secret).
    BadSignature,
    /// Signed for another store.
    WrongStore,
    /// Past its expiry.
    Expired,
    /// Issued in the future, or valid for longer than this kind of token may be.
    BadLifetime,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenError::Malformed => "the token is malformed",
            TokenError::UnknownKey => "the token names an unknown key",
            TokenError::BadSignature => "the token's signature does not match",
            TokenError::WrongStore => "the token is for another store",
            TokenError::Expired => "the token has expired",
            TokenError::BadLifetime => "the token's issue or expiry time is not acceptable",
        })
    }
}

/// What a verifier expects of a token besides a good signature.
#[derive(Debug, Clone, Copy)]
pub struct Expectations<'a> {
    /// The store the request is for.
    pub store: &'a str,
    /// Now, in seconds since the Unix epoch.
    pub now: u64,
    /// The longest `exp - iat` this kind of token may have.
    pub max_lifetime: u64,
}

/// Clock difference tolerated between the store's backend and the server.
const CLOCK_SKEW_SECS: u64 = 60;

/// Signs `claims` with `secret`.
pub fn sign<C: Serialize>(claims: &C, secret: &[u8]) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    let json = serde_json::to_vec(claims).unwrap_or_default();
    let payload = URL_SAFE_NO_PAD.encode(json);
    let tag = URL_SAFE_NO_PAD.encode(mac(secret, payload.as_bytes()).finalize().into_bytes());
    format!("{payload}.{tag}")
}

/// Checks `token`'s signature with the secret `key(kid)` returns and its store and times
/// against `expect`. The tag is compared in constant time.
pub fn verify<'k, C: Claims>(
    token: &str,
    key: impl Fn(&str) -> Option<&'k [u8]>,
    expect: Expectations<'_>,
) -> Result<C, TokenError> {
    let (payload, tag) = split(token)?;
    let claims: C = decode_claims(payload)?;
    let envelope = claims.envelope();
    let secret = key(&envelope.kid).ok_or(TokenError::UnknownKey)?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| TokenError::Malformed)?;
    if tag.len() != MAC_LEN {
        return Err(TokenError::BadSignature);
    }
    mac(secret, payload.as_bytes())
        .verify_slice(&tag)
        .map_err(|_| TokenError::BadSignature)?;
    if envelope.store != expect.store {
        return Err(TokenError::WrongStore);
    }
    if envelope.exp <= expect.now {
        return Err(TokenError::Expired);
    }
    if envelope.iat > expect.now + CLOCK_SKEW_SECS
        || envelope.exp < envelope.iat
        || envelope.exp - envelope.iat > expect.max_lifetime
    {
        return Err(TokenError::BadLifetime);
    }
    Ok(claims)
}

/// Reads the claims without checking anything: only for showing what an invalid or expired
/// token asked about (e.g. which products a review link was for). Never grant anything on it.
pub fn read_unverified<C: DeserializeOwned>(token: &str) -> Result<C, TokenError> {
    let (payload, _) = split(token)?;
    decode_claims(payload)
}

fn split(token: &str) -> Result<(&str, &str), TokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Malformed);
    }
    token.split_once('.').ok_or(TokenError::Malformed)
}

fn decode_claims<C: DeserializeOwned>(payload: &str) -> Result<C, TokenError> {
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| TokenError::Malformed)?;
    serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)
}

fn mac(secret: &[u8], message: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(message);
    mac
}

#[cfg(test)]
mod member_tests;
#[cfg(test)]
mod tests;
