//! Order tokens (order id, products, buyer, expiry): verifying one a store's backend signed, and
//! minting one on the server (`encore-server token order`, and the demo store's
//! `GET /demo/order-token`) for trying review requests and referrals without a store backend:
//! the same signature a backend computes.

use crate::config::{ServerConfig, StoreConfig};
use encore_core::referral::email::normalize;
use encore_core::token::{
    self, Buyer, Contact, Envelope, Expectations, MAX_TOKEN_LEN, OrderClaims, OrderItem, TokenError,
};
use std::fmt;

/// Seconds in a day.
const DAY: u64 = 24 * 60 * 60;
/// Longest buyer name signed: a first name or nickname for a friend's welcome banner.
const MAX_NAME_CHARS: usize = 64;
/// Longest buyer member id: ids travel in tokens and URLs.
const MAX_MEMBER_LEN: usize = 128;

/// Longest lifetime (`exp - iat`) accepted for an order token: review requests go out after
/// delivery and shoppers answer them weeks later.
pub const ORDER_TOKEN_MAX_LIFETIME_SECS: u64 = 180 * 24 * 60 * 60;

/// The claims of `token` when it is valid for `store` at `now` (seconds since the Unix
/// epoch) and signed with one of the store's keys.
pub fn verify_order(store: &StoreConfig, token: &str, now: u64) -> Result<OrderClaims, TokenError> {
    token::verify::<OrderClaims>(
        token,
        |kid| store.secret(kid),
        Expectations {
            store: &store.id,
            now,
            max_lifetime: ORDER_TOKEN_MAX_LIFETIME_SECS,
        },
    )
}

/// What a new order token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTokenRequest {
    /// The store whose key signs it.
    pub store: String,
    /// The order id.
    pub order: String,
    /// The order's products.
    pub items: Vec<OrderItem>,
    /// Who placed it (referral attribution), as far as the token should say.
    pub buyer: Buyer,
    /// Days until it expires.
    pub ttl_days: u64,
    /// The key to sign with; the store's newest when `None`.
    pub key: Option<String>,
    /// Now, in seconds since the Unix epoch.
    pub now: u64,
}

/// Why no token was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MintError {
    /// The store is not configured.
    UnknownStore(String),
    /// The store has no keys.
    NoKeys(String),
    /// The store has no key with this id.
    UnknownKey(String),
    /// No `--item`.
    NoItems,
    /// An `--item` not written `product-id=Display Name`.
    BadItem(String),
    /// A lifetime of 0 days or longer than servers accept.
    BadTtl(u64),
    /// A buyer e-mail that is not an address.
    BadEmail(String),
    /// An empty, overlong or control-character buyer name.
    BadName,
    /// An empty, overlong or control-character buyer member id.
    BadBuyer,
    /// The signed token would be longer than servers read.
    TooLong(usize),
}

impl fmt::Display for MintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MintError::UnknownStore(s) => write!(f, "store {s:?} is not in the config"),
            MintError::NoKeys(s) => write!(f, "store {s:?} has no keys to sign with"),
            MintError::UnknownKey(k) => write!(f, "the store has no key {k:?}"),
            MintError::NoItems => f.write_str("give at least one --item product-id=Display Name"),
            MintError::BadItem(i) => {
                write!(f, "item {i:?} must be written product-id=Display Name")
            }
            MintError::BadTtl(d) => write!(
                f,
                "--ttl-days {d} is not accepted: use 1 to {}",
                ORDER_TOKEN_MAX_LIFETIME_SECS / DAY
            ),
            MintError::BadEmail(e) => write!(f, "{e:?} is not an e-mail address"),
            MintError::BadName => write!(
                f,
                "the buyer's name must be 1 to {MAX_NAME_CHARS} characters without control \
                 characters"
            ),
            MintError::BadBuyer => write!(
                f,
                "the buyer's member id must be 1 to {MAX_MEMBER_LEN} characters without control \
                 characters"
            ),
            MintError::TooLong(len) => write!(
                f,
                "the token would be {len} characters, more than the {MAX_TOKEN_LEN} servers read: \
                 list fewer items or shorter names"
            ),
        }
    }
}

impl std::error::Error for MintError {}

/// Reads an `--item` argument: `product-id=Display Name`.
pub fn parse_item(text: &str) -> Result<OrderItem, MintError> {
    match text.split_once('=') {
        Some((product, name)) if !product.trim().is_empty() && !name.trim().is_empty() => {
            Ok(OrderItem {
                product: product.trim().to_owned(),
                name: name.trim().to_owned(),
            })
        }
        _ => Err(MintError::BadItem(text.to_owned())),
    }
}

/// Signs an order token as `request` describes it.
pub fn mint(config: &ServerConfig, request: OrderTokenRequest) -> Result<String, MintError> {
    let store = config
        .store(&request.store)
        .ok_or_else(|| MintError::UnknownStore(request.store.clone()))?;
    let key = match &request.key {
        Some(id) => store
            .keys
            .iter()
            .find(|k| &k.id == id)
            .ok_or_else(|| MintError::UnknownKey(id.clone()))?,
        None => store
            .newest_key()
            .ok_or_else(|| MintError::NoKeys(store.id.clone()))?,
    };
    if request.items.is_empty() {
        return Err(MintError::NoItems);
    }
    let max_days = ORDER_TOKEN_MAX_LIFETIME_SECS / DAY;
    if request.ttl_days == 0 || request.ttl_days > max_days {
        return Err(MintError::BadTtl(request.ttl_days));
    }
    check_buyer(&request.buyer)?;
    let claims = OrderClaims {
        envelope: Envelope {
            store: store.id.clone(),
            kid: key.id.clone(),
            iat: request.now,
            exp: request.now + request.ttl_days * DAY,
        },
        order: request.order,
        items: request.items,
        buyer: request.buyer,
    };
    let token = token::sign(&claims, key.secret.as_bytes());
    if token.len() > MAX_TOKEN_LEN {
        return Err(MintError::TooLong(token.len()));
    }
    Ok(token)
}

/// Checks the buyer facts a token may sign: a real address, a short name, a plain member id.
pub fn check_buyer(buyer: &Buyer) -> Result<(), MintError> {
    check_contact(&buyer.contact)?;
    if buyer
        .member
        .as_deref()
        .is_some_and(|m| !is_plain(m, MAX_MEMBER_LEN))
    {
        return Err(MintError::BadBuyer);
    }
    Ok(())
}

/// Checks a name and e-mail a token may sign (order or member token): a real address and a
/// short name without control characters.
pub fn check_contact(contact: &Contact) -> Result<(), MintError> {
    if let Some(email) = &contact.email {
        if normalize(email).is_none() {
            return Err(MintError::BadEmail(email.clone()));
        }
    }
    if contact
        .name
        .as_deref()
        .is_some_and(|n| !is_plain(n, MAX_NAME_CHARS))
    {
        return Err(MintError::BadName);
    }
    Ok(())
}

fn is_plain(text: &str, max: usize) -> bool {
    let trimmed = text.trim();
    !trimmed.is_empty() && trimmed.chars().count() <= max && !text.chars().any(char::is_control)
}
