//! Referral on the reference server: advocates and their stable codes, the advocate's panel and
//! the friend's welcome, landings and referred orders judged inside the batch transaction, the
//! store's review of held referrals, and the demo store's order tokens.

pub mod advocate;
pub mod counts;
pub(crate) mod demo;
pub mod results;
pub mod review;
pub(crate) mod routes;

pub use routes::WELCOME_PER_IP_PER_MINUTE;

use crate::config::ServerConfig;
use encore_core::referral::fraud::Verdict;

/// Where a referred order stands with the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralStatus {
    /// Both sides earned their reward.
    Rewarded,
    /// Held for a person to approve or reject (`referrals approve|reject`).
    Review,
    /// Recorded, earning nothing (the verdict says why).
    NoReward,
    /// Held, then approved: counts as a reward.
    Approved,
    /// Held, then rejected: earns nothing.
    Rejected,
}

impl ReferralStatus {
    /// Every status.
    pub const ALL: [ReferralStatus; 5] = [
        ReferralStatus::Rewarded,
        ReferralStatus::Review,
        ReferralStatus::NoReward,
        ReferralStatus::Approved,
        ReferralStatus::Rejected,
    ];

    /// The value stored in the `status` column.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferralStatus::Rewarded => "rewarded",
            ReferralStatus::Review => "review",
            ReferralStatus::NoReward => "no_reward",
            ReferralStatus::Approved => "approved",
            ReferralStatus::Rejected => "rejected",
        }
    }

    /// The status stored as `text`, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Where a referral judged `verdict` starts.
    pub fn of(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Reward => ReferralStatus::Rewarded,
            Verdict::Review(_) => ReferralStatus::Review,
            Verdict::NoReward(_) => ReferralStatus::NoReward,
        }
    }
}

/// The ids of the stores that let `GET /demo/order-token` mint order tokens: anyone can then
/// claim any order, so the server warns about each at startup.
pub fn demo_order_token_stores(config: &ServerConfig) -> Vec<&str> {
    config
        .stores()
        .iter()
        .filter(|s| s.mint_demo_order_tokens)
        .map(|s| s.id.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ReferralStatus;

    #[test]
    fn statuses_round_trip_through_their_column_values() {
        for status in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(ReferralStatus::parse("paid"), None);
    }
}
