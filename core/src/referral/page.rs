//! What `GET /v1/referral` and `GET /v1/referral/welcome` answer: the advocate's link, the
//! give/get terms and their counts; and the friend's welcome on a referral landing.

use serde::{Deserialize, Serialize};

/// The advocate's referral panel (`GET /v1/referral?store=S&token=T&locale=L`, where `T` is a
/// member token or an order token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralPage {
    /// The advocate's stable referral code.
    pub code: String,
    /// The store's landing URL with `?ref=CODE`.
    pub link: String,
    /// The store's name, for the share message.
    pub store_name: String,
    /// What the friend gets, in the requested language ("15% off your first order").
    pub friend_gets: String,
    /// What the advocate gets per qualifying order ("$10 store credit").
    pub advocate_gets: String,
    /// How the link has done so far.
    pub counts: ReferralCounts,
}

/// An advocate's results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralCounts {
    /// Visits through the link.
    pub landings: u64,
    /// Orders placed through the link (whatever they earned).
    pub orders: u64,
    /// Orders that earned the advocate's reward.
    pub rewards: u64,
    /// Orders waiting for the store to review them.
    pub pending: u64,
}

/// The friend's welcome (`GET /v1/referral/welcome?store=S&code=C&locale=L`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralWelcome {
    /// The advocate's first name, if the store signed one; otherwise the banner says "a friend".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advocate_name: Option<String>,
    /// What the friend gets, in the requested language.
    pub friend_gets: String,
}
