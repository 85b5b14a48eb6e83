//! A store's referral program (`[store.referral]` and `[store.referral.limits]`): the landing page
//! links point to, what each side gets, how long a landing counts, and the fraud limits, checked
//! before serving.

use super::link;
use super::text::{RawText, text};
use encore_core::referral::fraud::FraudLimits;
use encore_core::referral::link::referral_link;
use encore_core::reviews::Localized;
use serde::Deserialize;
use std::fmt;

/// Days a landing counts when the store does not say.
pub const DEFAULT_ATTRIBUTION_DAYS: u32 = 30;
/// Longest attribution window: a year. Beyond that a "referral" is just a customer.
pub const MAX_ATTRIBUTION_DAYS: u32 = 365;

/// A store's referral program: give your friends something, get something back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralProgram {
    /// The page referral links open (`{landing_url}?ref=CODE`).
    pub landing_url: String,
    /// What the referred friend gets ("15% off your first order").
    pub friend_gets: Localized,
    /// What the advocate gets per qualifying order ("$10 store credit").
    pub advocate_gets: Localized,
    /// Days after a landing during which an order is attributed to it.
    pub attribution_days: u32,
    /// Referred orders per device and per IP address before the next is held for review.
    pub limits: FraudLimits,
}

impl ReferralProgram {
    /// The attribution window in milliseconds.
    pub fn window_ms(&self) -> u64 {
        u64::from(self.attribution_days) * 24 * 60 * 60 * 1000
    }
}

/// `[store.referral]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReferral {
    landing_url: String,
    friend_gets: RawText,
    advocate_gets: RawText,
    attribution_days: Option<u32>,
    #[serde(default)]
    limits: RawLimits,
}

/// `[store.referral.limits]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    per_device: Option<u32>,
    per_ip: Option<u32>,
}

/// What is wrong with a store's referral program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralConfigError {
    /// `landing_url` is not an absolute http(s) link.
    LandingUrl {
        /// The URL as written.
        url: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// `friend_gets` or `advocate_gets` has an empty language.
    EmptyText(&'static str),
    /// `attribution_days` outside 1 to [`MAX_ATTRIBUTION_DAYS`].
    AttributionDays(u32),
    /// A limit of 0 (`per_device` or `per_ip`).
    ZeroLimit(&'static str),
    /// The store has no key: codes are derived from one and order tokens verified with it.
    NoKey,
    /// `[store.demo] mint_order_tokens` is on but the store has no key to sign with.
    DemoWithoutKey,
}

impl fmt::Display for ReferralConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReferralConfigError::LandingUrl { url, problem } => write!(
                f,
                "[store.referral] landing_url {url:?} is invalid: {problem}"
            ),
            ReferralConfigError::EmptyText(field) => write!(
                f,
                "[store.referral] {field} needs non-empty text in every language given"
            ),
            ReferralConfigError::AttributionDays(days) => write!(
                f,
                "[store.referral] attribution_days must be 1 to {MAX_ATTRIBUTION_DAYS}, not {days}"
            ),
            ReferralConfigError::ZeroLimit(field) => write!(
                f,
                "[store.referral.limits] {field} must be at least 1 (leave it out for the default)"
            ),
            ReferralConfigError::NoKey => f.write_str(
                "[store.referral] needs a [[store.keys]] key: referral codes are derived from it \
                 and order tokens are verified with it",
            ),
            ReferralConfigError::DemoWithoutKey => f.write_str(
                "[store.demo] mint_order_tokens needs a [[store.keys]] key to sign with",
            ),
        }
    }
}

impl std::error::Error for ReferralConfigError {}

/// Checks `[store.referral]` (if any); `has_keys` says whether the store can sign and verify
/// tokens, `mint_order_tokens` is `[store.demo] mint_order_tokens`.
pub(super) fn validate(
    raw: Option<RawReferral>,
    has_keys: bool,
    mint_order_tokens: bool,
) -> Result<Option<ReferralProgram>, ReferralConfigError> {
    if mint_order_tokens && !has_keys {
        return Err(ReferralConfigError::DemoWithoutKey);
    }
    let Some(raw) = raw else {
        return Ok(None);
    };
    if !has_keys {
        return Err(ReferralConfigError::NoKey);
    }
    let bad_url = |problem| ReferralConfigError::LandingUrl {
        url: raw.landing_url.clone(),
        problem,
    };
    // Links are shared to other sites and apps: a path on the shop's site would mean nothing there.
    link::check_absolute(&raw.landing_url).map_err(bad_url)?;
    referral_link(&raw.landing_url, "CODE")
        .map_err(|_| bad_url("it must start with https:// or http://"))?;
    let friend_gets = text(raw.friend_gets).ok_or(ReferralConfigError::EmptyText("friend_gets"))?;
    let advocate_gets =
        text(raw.advocate_gets).ok_or(ReferralConfigError::EmptyText("advocate_gets"))?;
    let attribution_days = raw.attribution_days.unwrap_or(DEFAULT_ATTRIBUTION_DAYS);
    if !(1..=MAX_ATTRIBUTION_DAYS).contains(&attribution_days) {
        return Err(ReferralConfigError::AttributionDays(attribution_days));
    }
    let defaults = FraudLimits::default();
    let limit = |value: Option<u32>, default: u32, field| match value {
        Some(0) => Err(ReferralConfigError::ZeroLimit(field)),
        Some(n) => Ok(n),
        None => Ok(default),
    };
    let limits = FraudLimits {
        per_device: limit(raw.limits.per_device, defaults.per_device, "per_device")?,
        per_ip: limit(raw.limits.per_ip, defaults.per_ip, "per_ip")?,
    };
    Ok(Some(ReferralProgram {
        landing_url: raw.landing_url,
        friend_gets,
        advocate_gets,
        attribution_days,
        limits,
    }))
}
