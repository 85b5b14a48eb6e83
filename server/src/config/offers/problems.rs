//! Why a store's member program cannot be used; each message names the tier or offer at fault
//! (the store is named by [`crate::config::ConfigError::Offers`]).

use std::fmt;

/// What is wrong with a store's member program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferConfigError {
    /// `time_zone` is not a known IANA zone.
    TimeZone(String),
    /// A tier id outside `[a-z0-9_-]{1,64}`.
    TierId(String),
    /// Two tiers with one id.
    DuplicateTier(String),
    /// A tier without an English name, or with an empty one.
    EmptyTierName(String),
    /// `[store.members] join_url` is not a usable link.
    JoinUrl {
        /// The URL as written.
        url: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// `[store.members] join_label` is empty.
    EmptyJoinLabel,
    /// An offer id outside `[a-z0-9_-]{1,64}`.
    OfferId(String),
    /// Two offers with one id.
    DuplicateOffer(String),
    /// One offer is wrong.
    Offer {
        /// The offer's id.
        offer: String,
        /// What is wrong with it.
        problem: OfferProblem,
    },
    /// `[store.drop]` is wrong.
    Drop(String),
    /// `[store.demo] mint_member_tokens` is on but the store has no key to sign with.
    DemoWithoutKey,
}

/// What is wrong with one `[[store.offers]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferProblem {
    /// This text (title, description, teaser, teaser_audience) has an empty language.
    EmptyText(&'static str),
    /// Both `code` and `codes`.
    CodeAndCodes,
    /// Neither `code` nor `codes`.
    NoCode,
    /// An empty code.
    EmptyCode,
    /// `codes = []`.
    EmptyPool,
    /// A pool code given twice in this store.
    DuplicateCode(String),
    /// `starts` or `ends` is not a local date-time.
    Time(&'static str, String),
    /// `ends` is not after `starts`.
    EndsBeforeStarts,
    /// The audience rule is malformed.
    Audience(String),
    /// The audience names a tier the store does not have.
    UnknownTier(String),
    /// `per_member = 0`.
    ZeroPerMember,
    /// `budget = 0`.
    ZeroBudget,
}

impl fmt::Display for OfferConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ID_RULE: &str = "use 1 to 64 of lowercase letters, digits, '-' and '_'";
        match self {
            OfferConfigError::TimeZone(message) => write!(f, "time_zone: {message}"),
            OfferConfigError::TierId(id) => write!(f, "tier id {id:?} is invalid: {ID_RULE}"),
            OfferConfigError::DuplicateTier(id) => write!(f, "tier {id:?} is configured twice"),
            OfferConfigError::EmptyTierName(id) => {
                write!(f, "tier {id:?} needs a non-empty name")
            }
            OfferConfigError::JoinUrl { url, problem } => {
                write!(f, "[store.members] join_url {url:?} is invalid: {problem}")
            }
            OfferConfigError::EmptyJoinLabel => {
                f.write_str("[store.members] join_label needs non-empty text")
            }
            OfferConfigError::OfferId(id) => write!(f, "offer id {id:?} is invalid: {ID_RULE}"),
            OfferConfigError::DuplicateOffer(id) => write!(f, "offer {id:?} is configured twice"),
            OfferConfigError::Offer { offer, problem } => write!(f, "offer {offer:?}: {problem}"),
            OfferConfigError::Drop(problem) => write!(f, "[store.drop]: {problem}"),
            OfferConfigError::DemoWithoutKey => f.write_str(
                "[store.demo] mint_member_tokens needs a [[store.keys]] key to sign with",
            ),
        }
    }
}

impl fmt::Display for OfferProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OfferProblem::EmptyText(field) => {
                write!(f, "{field} needs non-empty text in every language given")
            }
            OfferProblem::CodeAndCodes => {
                f.write_str("give either `code` (one shared code) or `codes` (a pool), not both")
            }
            OfferProblem::NoCode => {
                f.write_str("missing `code` (one shared code) or `codes` (a pool)")
            }
            OfferProblem::EmptyCode => f.write_str("a code is empty"),
            OfferProblem::EmptyPool => f.write_str("`codes` is empty"),
            OfferProblem::DuplicateCode(code) => write!(
                f,
                "code {code:?} is given twice in this store's pools; each pool code is \
                 handed out once"
            ),
            OfferProblem::Time(field, message) => write!(f, "{field}: {message}"),
            OfferProblem::EndsBeforeStarts => f.write_str("`ends` must be after `starts`"),
            OfferProblem::Audience(problems) => write!(f, "audience: {problems}"),
            OfferProblem::UnknownTier(tier) => write!(
                f,
                "audience names tier {tier:?}, which is not in [[store.tiers]]"
            ),
            OfferProblem::ZeroPerMember => {
                f.write_str("per_member must be at least 1 (leave it out for 1)")
            }
            OfferProblem::ZeroBudget => {
                f.write_str("budget must be at least 1 (leave it out for no budget)")
            }
        }
    }
}

impl std::error::Error for OfferConfigError {}
