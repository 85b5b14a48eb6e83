//! Where a referred order stands with the store, as the `status` column of `referral_orders`
//! stores it: judged at once, or held for a person to approve or reject.

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
