//! Why a configuration cannot be used; each message names the store and key at fault.

use super::offers::OfferConfigError;
use super::referral::ReferralConfigError;
use super::reviews::ReviewConfigError;
use super::secret::MIN_SECRET_BYTES;
use super::surprise::SurpriseConfigError;
use std::fmt;
use std::path::PathBuf;

/// Why a configuration cannot be used; each message names the store and key at fault.
#[derive(Debug)]
pub enum ConfigError {
    /// The file could not be read.
    Read {
        /// The file asked for.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The text is not TOML of the expected shape (unknown keys included).
    Parse {
        /// The 1-based line the parser stopped at, when known.
        line: Option<usize>,
        /// The parser's explanation.
        message: String,
    },
    /// No `[[store]]` section.
    NoStores,
    /// A store id outside `[a-z0-9_-]{1,64}`.
    InvalidStoreId(String),
    /// Two stores with one id.
    DuplicateStoreId(String),
    /// A store whose name is empty.
    EmptyStoreName(String),
    /// An allowed origin that is not `http(s)://host[:port]`.
    InvalidOrigin {
        /// The store it belongs to.
        store: String,
        /// The origin as written.
        origin: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A key id outside `[a-z0-9_-]{1,64}`.
    InvalidKeyId {
        /// The store it belongs to.
        store: String,
        /// The key id as written.
        key: String,
    },
    /// Two keys with one id in one store.
    DuplicateKeyId {
        /// The store it belongs to.
        store: String,
        /// The repeated key id.
        key: String,
    },
    /// A key with both `secret` and `secret_env`.
    SecretGivenTwice {
        /// The store it belongs to.
        store: String,
        /// The key.
        key: String,
    },
    /// A key with neither `secret` nor `secret_env`.
    SecretMissing {
        /// The store it belongs to.
        store: String,
        /// The key.
        key: String,
    },
    /// A key whose `secret_env` names a variable that is not set (or not UTF-8).
    SecretEnvUnset {
        /// The store it belongs to.
        store: String,
        /// The key.
        key: String,
        /// The variable's name.
        var: String,
    },
    /// A store's `[[store.products]]` or `[store.reviews]` is wrong.
    Reviews {
        /// The store it belongs to.
        store: String,
        /// What is wrong.
        problem: ReviewConfigError,
    },
    /// A store's member program (time zone, tiers, members, offers, drop, demo) is wrong.
    Offers {
        /// The store it belongs to.
        store: String,
        /// What is wrong.
        problem: OfferConfigError,
    },
    /// A store's surprise campaigns are wrong.
    Surprise {
        /// The store it belongs to.
        store: String,
        /// What is wrong.
        problem: SurpriseConfigError,
    },
    /// A store's referral program is wrong.
    Referral {
        /// The store it belongs to.
        store: String,
        /// What is wrong.
        problem: ReferralConfigError,
    },
    /// A secret shorter than [`MIN_SECRET_BYTES`].
    SecretTooShort {
        /// The store it belongs to.
        store: String,
        /// The key.
        key: String,
        /// How many bytes it has.
        len: usize,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Read { path, source } => {
                write!(f, "cannot read config file {}: {source}", path.display())
            }
            ConfigError::Parse {
                line: Some(line),
                message,
            } => write!(f, "line {line}: {message}"),
            ConfigError::Parse {
                line: None,
                message,
            } => f.write_str(message),
            ConfigError::NoStores => f.write_str("no store configured: add a [[store]] section"),
            ConfigError::InvalidStoreId(id) => write!(
                f,
                "store id {id:?} is invalid: use 1 to 64 of lowercase letters, digits, '-' and '_'"
            ),
            ConfigError::DuplicateStoreId(id) => write!(f, "store id {id:?} is configured twice"),
            ConfigError::EmptyStoreName(id) => write!(f, "store {id:?} has an empty name"),
            ConfigError::InvalidOrigin {
                store,
                origin,
                problem,
            } => {
                write!(
                    f,
                    "store {store:?}: allowed origin {origin:?} is invalid: {problem}"
                )
            }
            ConfigError::InvalidKeyId { store, key } => write!(
                f,
                "store {store:?}: key id {key:?} is invalid: use 1 to 64 of lowercase letters, \
                 digits, '-' and '_'"
            ),
            ConfigError::DuplicateKeyId { store, key } => {
                write!(f, "store {store:?}: key id {key:?} is configured twice")
            }
            ConfigError::SecretGivenTwice { store, key } => write!(
                f,
                "store {store:?}, key {key:?}: give either `secret` or `secret_env`, not both"
            ),
            ConfigError::SecretMissing { store, key } => {
                write!(
                    f,
                    "store {store:?}, key {key:?}: missing `secret` or `secret_env`"
                )
            }
            ConfigError::SecretEnvUnset { store, key, var } => write!(
                f,
                "store {store:?}, key {key:?}: environment variable {var} is not set"
            ),
            ConfigError::Reviews { store, problem } => write!(f, "store {store:?}: {problem}"),
            ConfigError::Offers { store, problem } => write!(f, "store {store:?}: {problem}"),
            ConfigError::Surprise { store, problem } => write!(f, "store {store:?}: {problem}"),
            ConfigError::Referral { store, problem } => write!(f, "store {store:?}: {problem}"),
            ConfigError::SecretTooShort { store, key, len } => write!(
                f,
                "store {store:?}, key {key:?}: secret has {len} bytes, needs at least \
                 {MIN_SECRET_BYTES}"
            ),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}
