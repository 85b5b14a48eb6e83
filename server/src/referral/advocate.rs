//! Who an advocate is: the identity a verified member or order token gives, and the stable
//! referral code stored for it the first time it is asked for.

use crate::config::StoreConfig;
use crate::error::AppError;
use crate::tokens::member::verify_member;
use crate::tokens::order::verify_order;
use encore_core::referral::email::fingerprint;
use encore_core::referral::link::code_for;
use encore_core::token::{Contact, MemberClaims, OrderClaims, TokenError};
use sqlx::{FromRow, SqliteConnection};
use std::fmt;

/// Longest first name kept for a friend's welcome banner.
const MAX_NAME_CHARS: usize = 40;
/// Codes tried for one advocate before giving up: a 40-bit code practically never collides, so
/// needing even a second derivation is already remarkable.
const MAX_DERIVATIONS: u32 = 8;

/// An advocate as a verified token names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `member:{id}`, `email:{fingerprint}` or `order:{id}`: what the code is derived from.
    pub key: String,
    /// The first name the store signed, for the friend's welcome.
    pub name: Option<String>,
    /// The fingerprint of the e-mail the store signed, for the self-referral rule.
    pub email_fp: Option<String>,
}

impl Identity {
    /// The advocate a member token names.
    pub fn of_member(claims: &MemberClaims) -> Self {
        Identity::new(format!("member:{}", claims.member), &claims.contact)
    }

    /// The advocate an order token names: its buyer's member id if signed in, else their
    /// e-mail, else the order itself (a guest who gave no address).
    pub fn of_order(claims: &OrderClaims) -> Self {
        let contact = &claims.buyer.contact;
        let key = match (
            &claims.buyer.member,
            contact.email.as_deref().and_then(fingerprint),
        ) {
            (Some(member), _) => format!("member:{member}"),
            (None, Some(fp)) => format!("email:{fp}"),
            (None, None) => format!("order:{}", claims.order),
        };
        Identity::new(key, contact)
    }

    fn new(key: String, contact: &Contact) -> Self {
        Identity {
            key,
            name: contact.name.as_deref().and_then(display_name),
            email_fp: contact.email.as_deref().and_then(fingerprint),
        }
    }
}

/// The advocate `token` names for `store` at `now` (seconds): a member token, else an order
/// token. [`AppError::TokenExpired`] for a genuine token of either kind past its expiry,
/// [`AppError::TokenInvalid`] for anything else that does not verify.
pub fn identify(store: &StoreConfig, token: &str, now: u64) -> Result<Identity, AppError> {
    let as_member = match verify_member(store, token, now) {
        Ok(claims) => return Ok(Identity::of_member(&claims)),
        Err(e) => e,
    };
    let as_order = match verify_order(store, token, now) {
        Ok(claims) => return Ok(Identity::of_order(&claims)),
        Err(e) => e,
    };
    // A token of one kind reads as malformed as the other, so the other error is the real one.
    if as_member == TokenError::Expired || as_order == TokenError::Expired {
        Err(AppError::TokenExpired)
    } else {
        tracing::debug!(
            store = %store.id, member = %as_member, order = %as_order,
            "referral token not accepted"
        );
        Err(AppError::TokenInvalid)
    }
}

/// The id the fraud rules compare a buyer's member id with: the member id of a `member:` key,
/// else the key itself (which no member id can equal).
pub fn judged_id(key: &str) -> &str {
    key.strip_prefix("member:").unwrap_or(key)
}

/// A code as typed or carried in a link, in the form codes are stored in (Crockford symbols are
/// upper case; a link retyped in lower case still counts).
pub fn canonical(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// A signed name fit for a banner on another shopper's screen: no control characters, trimmed
/// and cut short; `None` when nothing is left.
fn display_name(name: &str) -> Option<String> {
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let clean = clean.trim();
    (!clean.is_empty()).then(|| clean.to_owned())
}

/// Why no code could be issued.
#[derive(Debug)]
pub enum AdvocateError {
    /// The store has no key to derive codes from (config validation prevents this).
    NoKey(String),
    /// Every derivation collided with another advocate's code.
    NoFreeCode(String),
    /// The database failed.
    Db(sqlx::Error),
}

impl fmt::Display for AdvocateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdvocateError::NoKey(store) => {
                write!(
                    f,
                    "store {store:?} has no key to derive referral codes from"
                )
            }
            AdvocateError::NoFreeCode(store) => write!(
                f,
                "store {store:?}: {MAX_DERIVATIONS} referral codes in a row were taken"
            ),
            AdvocateError::Db(e) => write!(f, "database: {e}"),
        }
    }
}

impl std::error::Error for AdvocateError {}

impl From<sqlx::Error> for AdvocateError {
    fn from(e: sqlx::Error) -> Self {
        AdvocateError::Db(e)
    }
}

impl From<AdvocateError> for AppError {
    fn from(e: AdvocateError) -> Self {
        AppError::Internal(e.to_string())
    }
}

/// The code of advocate `who` in `store`, issued now (`now`, ms) if they have none yet. A later
/// visit refreshes the stored name and e-mail fingerprint when the token carries them.
pub async fn code_of(
    conn: &mut SqliteConnection,
    store: &StoreConfig,
    who: &Identity,
    now: i64,
) -> Result<String, AdvocateError> {
    let known: Option<String> = sqlx::query_scalar(
        "UPDATE referral_advocates SET name = COALESCE($3, name), \
         email_fp = COALESCE($4, email_fp) WHERE store = $1 AND advocate = $2 RETURNING code",
    )
    .bind(&store.id)
    .bind(&who.key)
    .bind(who.name.as_deref())
    .bind(who.email_fp.as_deref())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(code) = known {
        return Ok(code);
    }
    // The newest key at first issue; the code is stored, so later rotations never change it.
    let secret = store
        .newest_key()
        .ok_or_else(|| AdvocateError::NoKey(store.id.clone()))?
        .secret
        .as_bytes();
    for n in 0..MAX_DERIVATIONS {
        let input = match n {
            0 => who.key.clone(),
            n => format!("{}#{n}", who.key),
        };
        let code = code_for(&input, secret);
        let inserted = sqlx::query(
            "INSERT INTO referral_advocates (store, advocate, code, email_fp, name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(&store.id)
        .bind(&who.key)
        .bind(&code)
        .bind(who.email_fp.as_deref())
        .bind(who.name.as_deref())
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(code);
        }
        // Either a concurrent request just issued this advocate's code, or the code is taken.
        if let Some(code) = stored_code(conn, &store.id, &who.key).await? {
            return Ok(code);
        }
        tracing::warn!(store = %store.id, attempt = n, "referral code collision, deriving again");
    }
    Err(AdvocateError::NoFreeCode(store.id.clone()))
}

async fn stored_code(
    conn: &mut SqliteConnection,
    store: &str,
    key: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT code FROM referral_advocates WHERE store = $1 AND advocate = $2")
        .bind(store)
        .bind(key)
        .fetch_optional(conn)
        .await
}

/// An advocate as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredAdvocate {
    /// Their key ([`Identity::key`]).
    pub advocate: String,
    /// Their first name, if a token ever carried one.
    pub name: Option<String>,
    /// Their e-mail fingerprint, if a token ever carried one.
    pub email_fp: Option<String>,
}

/// The advocate of `store` whose code is `code` (already [`canonical`]).
pub async fn by_code(
    conn: &mut SqliteConnection,
    store: &str,
    code: &str,
) -> Result<Option<StoredAdvocate>, sqlx::Error> {
    sqlx::query_as(
        "SELECT advocate, name, email_fp FROM referral_advocates WHERE store = $1 AND code = $2",
    )
    .bind(store)
    .bind(code)
    .fetch_optional(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::token::{Buyer, Envelope};

    fn order(buyer: Buyer) -> OrderClaims {
        OrderClaims {
            envelope: Envelope {
                store: "demo".into(),
                kid: "k1".into(),
                iat: 0,
                exp: 1,
            },
            order: "1001".into(),
            items: Vec::new(),
            buyer,
        }
    }

    fn contact(name: Option<&str>, email: Option<&str>) -> Contact {
        Contact {
            name: name.map(str::to_owned),
            email: email.map(str::to_owned),
        }
    }

    #[test]
    fn an_order_names_its_buyer_then_their_email_then_itself() {
        let member = Identity::of_order(&order(Buyer {
            member: Some("m-1".into()),
            contact: contact(Some("Mei"), Some("mei@example.com")),
            orders_before: None,
        }));
        assert_eq!(member.key, "member:m-1");
        assert_eq!(member.name.as_deref(), Some("Mei"));
        assert_eq!(member.email_fp, fingerprint("MEI@example.com"));
        let by_email = Identity::of_order(&order(Buyer {
            contact: contact(None, Some("Mei.Chen+x@gmail.com")),
            ..Buyer::default()
        }));
        assert_eq!(
            by_email.key,
            format!(
                "email:{}",
                fingerprint("meichen@gmail.com").unwrap_or_default()
            )
        );
        let guest = Identity::of_order(&order(Buyer {
            contact: contact(None, Some("not an address")),
            ..Buyer::default()
        }));
        assert_eq!((guest.key.as_str(), guest.email_fp), ("order:1001", None));
    }

    #[test]
    fn member_keys_judge_as_the_member_id() {
        assert_eq!(judged_id("member:m-1"), "m-1");
        assert_eq!(judged_id("order:1001"), "order:1001");
        assert_eq!(canonical(" ab12cd34 "), "AB12CD34");
    }

    #[test]
    fn names_are_cleaned_for_a_banner() {
        assert_eq!(display_name("  Mei\u{1b}[31m "), Some("Mei[31m".into()));
        assert_eq!(display_name(" \n "), None);
        assert_eq!(
            display_name(&"x".repeat(100)).map(|n| n.len()),
            Some(MAX_NAME_CHARS)
        );
    }
}
