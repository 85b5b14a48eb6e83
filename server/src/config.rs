//! Which stores this server answers for, read from a TOML file and validated before serving.

mod demo;
mod error;
mod link;
pub mod offers;
mod origin;
pub mod referral;
pub mod reviews;
mod secret;
pub mod surprise;
mod text;

pub use error::ConfigError;
pub use offers::{MemberProgram, OfferConfigError};
pub use referral::{ReferralConfigError, ReferralProgram};
pub use reviews::{Product, ReviewConfigError, ReviewLimits, ReviewSettings};
pub use secret::{MIN_SECRET_BYTES, Secret};
pub use surprise::{SurpriseConfigError, SurpriseProgram};

// Store and key ids travel in URLs, tokens and logs: the widget's own rule for store ids
// keeps them short and plain.
use encore_core::config::is_store_id;
use serde::Deserialize;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

/// The validated configuration of a server: every store it accepts results for.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    stores: Vec<StoreConfig>,
}

/// One store: who may post for it and the keys its backend signs claims with.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// The id widgets send as their `store` attribute.
    pub id: String,
    /// The shop's display name.
    pub name: String,
    /// Page origins (`https://shop.example`) whose browsers may post for this store.
    pub allowed_origins: Vec<String>,
    /// Signing keys, oldest first; several exist while a secret is being rotated.
    pub keys: Vec<StoreKey>,
    /// The products the store names (display names for pages, JSON-LD and review requests).
    pub products: Vec<Product>,
    /// How the store takes reviews.
    pub reviews: ReviewSettings,
    /// Tiers, offers and the weekly drop for the store's members.
    pub members: MemberProgram,
    /// QR surprise campaigns.
    pub surprise: SurpriseProgram,
    /// The referral program, if the store runs one.
    pub referral: Option<ReferralProgram>,
    /// Whether `GET /demo/order-token` mints order tokens for this store (demo stores only).
    pub mint_demo_order_tokens: bool,
}

/// A named secret shared with the store's backend.
#[derive(Debug, Clone)]
pub struct StoreKey {
    /// The key's name, carried in signed claims so a verifier knows which secret to use.
    pub id: String,
    /// The secret itself.
    pub secret: Secret,
}

// The file as written; `ServerConfig` is what is left once it has been checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    store: Vec<RawStore>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    id: String,
    name: String,
    #[serde(default)]
    allowed_origins: Vec<String>,
    #[serde(default)]
    keys: Vec<RawKey>,
    #[serde(default)]
    products: Vec<Product>,
    #[serde(default)]
    reviews: reviews::RawReviews,
    time_zone: Option<String>,
    #[serde(default)]
    tiers: Vec<offers::raw::RawTier>,
    members: Option<offers::raw::RawMembers>,
    #[serde(default)]
    offers: Vec<offers::raw::RawOffer>,
    drop: Option<offers::raw::RawDrop>,
    #[serde(default)]
    demo: demo::RawDemo,
    #[serde(default)]
    surprise: surprise::RawSurprise,
    referral: Option<referral::RawReferral>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKey {
    id: String,
    secret: Option<String>,
    secret_env: Option<String>,
}

impl ServerConfig {
    /// Reads and validates the TOML file at `path`, taking `secret_env` values from the process.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml_str(&text)
    }

    /// Parses and validates TOML text, taking `secret_env` values from the process environment.
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        Self::from_toml_str_with_env(text, |var| std::env::var(var).ok())
    }

    /// Parses and validates TOML text, looking `secret_env` variables up through `env`
    /// (for tests, and for hosts that keep secrets somewhere other than the environment).
    pub fn from_toml_str_with_env(
        text: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Parse {
            line: e.span().map(|span| line_of(text, span.start)),
            message: e.message().trim().to_owned(),
        })?;
        if raw.store.is_empty() {
            return Err(ConfigError::NoStores);
        }
        let mut seen = HashSet::new();
        let mut stores = Vec::with_capacity(raw.store.len());
        for store in raw.store {
            if !is_store_id(&store.id) {
                return Err(ConfigError::InvalidStoreId(store.id));
            }
            if !seen.insert(store.id.clone()) {
                return Err(ConfigError::DuplicateStoreId(store.id));
            }
            stores.push(validate_store(store, &env)?);
        }
        Ok(ServerConfig { stores })
    }

    /// Every configured store, in file order.
    pub fn stores(&self) -> &[StoreConfig] {
        &self.stores
    }

    /// The store with this id, if configured.
    pub fn store(&self, id: &str) -> Option<&StoreConfig> {
        self.stores.iter().find(|s| s.id == id)
    }

    /// Whether a page at `origin` may post results for store `store`.
    pub fn is_origin_allowed(&self, store: &str, origin: &str) -> bool {
        self.store(store).is_some_and(|s| s.allows_origin(origin))
    }

    /// Every origin any store allows: the set CORS answers for.
    pub fn all_origins(&self) -> BTreeSet<String> {
        self.stores
            .iter()
            .flat_map(|s| s.allowed_origins.iter().cloned())
            .collect()
    }
}

impl StoreConfig {
    /// Whether a page at `origin` (an `Origin` header value) may post results for this store.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
    }

    /// The display name the store gave `product`, if any.
    pub fn product_name(&self, product: &str) -> Option<&str> {
        self.products
            .iter()
            .find(|p| p.id == product)
            .map(|p| p.name.as_str())
    }

    /// The secret of the key named `kid`, for verifying a signed claim.
    pub fn secret(&self, kid: &str) -> Option<&[u8]> {
        self.keys
            .iter()
            .find(|k| k.id == kid)
            .map(|k| k.secret.as_bytes())
    }

    /// The newest key (the last configured), which new claims are signed with.
    pub fn newest_key(&self) -> Option<&StoreKey> {
        self.keys.last()
    }
}

fn validate_store(
    store: RawStore,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<StoreConfig, ConfigError> {
    if store.name.trim().is_empty() {
        return Err(ConfigError::EmptyStoreName(store.id));
    }
    for o in &store.allowed_origins {
        origin::check(o).map_err(|problem| ConfigError::InvalidOrigin {
            store: store.id.clone(),
            origin: o.clone(),
            problem,
        })?;
    }
    let reviews_problem = |problem| ConfigError::Reviews {
        store: store.id.clone(),
        problem,
    };
    reviews::check_products(&store.products).map_err(reviews_problem)?;
    let review_settings = reviews::validate(store.reviews).map_err(reviews_problem)?;
    let mint_surprise_codes = store.demo.mint_surprise_codes;
    let mint_order_tokens = store.demo.mint_order_tokens;
    let referral = referral::validate(store.referral, !store.keys.is_empty(), mint_order_tokens)
        .map_err(|problem| ConfigError::Referral {
            store: store.id.clone(),
            problem,
        })?;
    let program = offers::RawProgram {
        time_zone: store.time_zone,
        tiers: store.tiers,
        members: store.members,
        offers: store.offers,
        drop: store.drop,
        demo: store.demo,
    };
    let members = offers::validate(program, !store.keys.is_empty()).map_err(|problem| {
        ConfigError::Offers {
            store: store.id.clone(),
            problem,
        }
    })?;
    let surprise = surprise::validate(store.surprise, &members.clock, mint_surprise_codes, env)
        .map_err(|problem| ConfigError::Surprise {
            store: store.id.clone(),
            problem,
        })?;
    let mut seen = HashSet::new();
    let mut keys = Vec::with_capacity(store.keys.len());
    for key in store.keys {
        let (sid, kid) = (store.id.clone(), key.id.clone());
        if !is_store_id(&key.id) {
            return Err(ConfigError::InvalidKeyId {
                store: sid,
                key: kid,
            });
        }
        if !seen.insert(key.id.clone()) {
            return Err(ConfigError::DuplicateKeyId {
                store: sid,
                key: kid,
            });
        }
        let secret = match (key.secret, key.secret_env) {
            (Some(_), Some(_)) => {
                return Err(ConfigError::SecretGivenTwice {
                    store: sid,
                    key: kid,
                });
            }
            (None, None) => {
                return Err(ConfigError::SecretMissing {
                    store: sid,
                    key: kid,
                });
            }
            (Some(secret), None) => secret,
            (None, Some(var)) => match env(&var) {
                Some(secret) => secret,
                None => {
                    return Err(ConfigError::SecretEnvUnset {
                        store: sid,
                        key: kid,
                        var,
                    });
                }
            },
        };
        if secret.len() < MIN_SECRET_BYTES {
            let len = secret.len();
            return Err(ConfigError::SecretTooShort {
                store: sid,
                key: kid,
                len,
            });
        }
        keys.push(StoreKey {
            id: key.id,
            secret: Secret(secret.into_bytes()),
        });
    }
    Ok(StoreConfig {
        id: store.id,
        name: store.name,
        allowed_origins: store.allowed_origins,
        keys,
        products: store.products,
        reviews: review_settings,
        members,
        surprise,
        referral,
        mint_demo_order_tokens: mint_order_tokens,
    })
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(byte)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
