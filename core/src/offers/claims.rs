//! Whether one more claim of an offer is allowed. The server applies the same rule inside one
//! SQL statement so that two concurrent claims of the last unit cannot both pass.

use serde::{Deserialize, Serialize};

/// How often an offer may be claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimLimits {
    /// Claims one member may make (at least 1).
    pub per_member: u32,
    /// Claims all members together may make; `None`: no budget.
    pub budget: Option<u32>,
}

impl Default for ClaimLimits {
    fn default() -> Self {
        ClaimLimits {
            per_member: 1,
            budget: None,
        }
    }
}

/// Why a claim was refused; sent as the result's rejection `reason` and shown to the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRefusal {
    /// The token is altered, foreign or for an unknown key.
    TokenInvalid,
    /// The token expired before the claim arrived (e.g. it waited offline): sign in again.
    TokenExpired,
    /// No such offer, or the member is not in its audience now.
    NotEligible,
    /// Outside the offer's validity window.
    NotOpen,
    /// The member has claimed it as often as allowed.
    LimitReached,
    /// The budget or the code pool is used up.
    SoldOut,
}

impl ClaimRefusal {
    /// Every refusal, for tests and documentation.
    pub const ALL: [ClaimRefusal; 6] = [
        ClaimRefusal::TokenInvalid,
        ClaimRefusal::TokenExpired,
        ClaimRefusal::NotEligible,
        ClaimRefusal::NotOpen,
        ClaimRefusal::LimitReached,
        ClaimRefusal::SoldOut,
    ];

    /// The machine-readable code sent as `reason`.
    pub fn code(self) -> &'static str {
        match self {
            ClaimRefusal::TokenInvalid => "token_invalid",
            ClaimRefusal::TokenExpired => "token_expired",
            ClaimRefusal::NotEligible => "not_eligible",
            ClaimRefusal::NotOpen => "not_open",
            ClaimRefusal::LimitReached => "claim_limit_reached",
            ClaimRefusal::SoldOut => "sold_out",
        }
    }

    /// Reads a `reason` code back (the widget's side).
    pub fn from_code(code: &str) -> Option<ClaimRefusal> {
        ClaimRefusal::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl ClaimLimits {
    /// Whether a claim is allowed when this member has made `by_member` claims and everyone
    /// together `total`.
    pub fn check(self, by_member: u32, total: u32) -> Result<(), ClaimRefusal> {
        if by_member >= self.per_member.max(1) {
            return Err(ClaimRefusal::LimitReached);
        }
        match self.budget {
            Some(budget) if total >= budget => Err(ClaimRefusal::SoldOut),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_member_limit_comes_before_the_budget() {
        let limits = ClaimLimits {
            per_member: 2,
            budget: Some(10),
        };
        assert_eq!(limits.check(0, 0), Ok(()));
        assert_eq!(limits.check(1, 9), Ok(()));
        assert_eq!(limits.check(2, 3), Err(ClaimRefusal::LimitReached));
        assert_eq!(limits.check(1, 10), Err(ClaimRefusal::SoldOut));
        assert_eq!(limits.check(2, 10), Err(ClaimRefusal::LimitReached));
    }

    #[test]
    fn no_budget_means_only_the_member_limit() {
        let limits = ClaimLimits::default();
        assert_eq!(limits.check(0, u32::MAX), Ok(()));
        assert_eq!(limits.check(1, 0), Err(ClaimRefusal::LimitReached));
        // A zero per-member limit in a config still allows one claim rather than none.
        let zero = ClaimLimits {
            per_member: 0,
            budget: None,
        };
        assert_eq!(zero.check(0, 0), Ok(()));
    }

    #[test]
    fn a_budget_of_one_allows_exactly_one_claim() {
        let limits = ClaimLimits {
            per_member: 5,
            budget: Some(1),
        };
        assert_eq!(limits.check(0, 0), Ok(()));
        assert_eq!(limits.check(0, 1), Err(ClaimRefusal::SoldOut));
    }

    #[test]
    fn reason_codes_round_trip_and_are_distinct() {
        for refusal in ClaimRefusal::ALL {
            assert_eq!(ClaimRefusal::from_code(refusal.code()), Some(refusal));
        }
        assert_eq!(ClaimRefusal::from_code("nope"), None);
    }
}
