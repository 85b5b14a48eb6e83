//! Which reviews go live at once and which wait for the store, and which earn a reward.
//! Both are decided by the store's configuration and these pure rules.

use super::{MIN_FILL_MS, ReviewSubmitted};
use crate::issued_code::IssuedCode;
use serde::Deserialize;

/// The store's auto-publish rules (`[store.reviews.auto_publish]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AutoPublish {
    /// Publish verified reviews with at least this many stars at once; `None` holds them all.
    pub verified_min_rating: Option<u8>,
    /// Publish unverified reviews with at least this many stars at once; `None` holds them all.
    pub unverified_min_rating: Option<u8>,
    /// Hold every review with photos until a person has looked at them.
    pub hold_with_photos: bool,
}

impl Default for AutoPublish {
    /// Verified buyers' reviews go live at once whatever their rating (holding bad ones back
    /// would be review gating); the rest wait.
    fn default() -> Self {
        AutoPublish {
            verified_min_rating: Some(1),
            unverified_min_rating: None,
            hold_with_photos: false,
        }
    }
}

/// Where a new review goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Shown on the product page now.
    Publish,
    /// Kept for the store to approve or reject.
    Hold,
}

impl AutoPublish {
    /// The decision for a review with `rating` stars, `verified` or not, with `photos` photos.
    pub fn decide(&self, verified: bool, rating: u8, photos: usize) -> Decision {
        if self.hold_with_photos && photos > 0 {
            return Decision::Hold;
        }
        let min = if verified {
            self.verified_min_rating
        } else {
            self.unverified_min_rating
        };
        match min {
            Some(min) if rating >= min => Decision::Publish,
            _ => Decision::Hold,
        }
    }
}

/// When a review earns the store's coupon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RewardWhen {
    /// Any verified review.
    AnyReview,
    /// A verified review with at least one photo.
    #[default]
    WithPhotos,
}

/// The store's review reward (`[store.reviews.reward]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewardRule {
    /// The coupon code given.
    pub code: String,
    /// What it gives, shown with the code.
    #[serde(default)]
    pub description: Option<String>,
    /// What earns it.
    #[serde(default)]
    pub when: RewardWhen,
}

impl RewardRule {
    /// The reward for a review, if it earns one. Only verified buyers are rewarded (anyone
    /// could otherwise farm coupons), and the rating is deliberately not an input: a reward
    /// for good ratings is a bought review.
    pub fn reward_for(&self, verified: bool, photos: usize) -> Option<IssuedCode> {
        let earned = verified
            && match self.when {
                RewardWhen::AnyReview => true,
                RewardWhen::WithPhotos => photos > 0,
            };
        earned.then(|| IssuedCode {
            code: self.code.clone(),
            description: self.description.clone(),
        })
    }
}

/// Signs that a submission was made by a bot; the submitter is told only that it could not
/// be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpamSignal {
    /// The invisible honeypot field was filled in.
    Honeypot,
    /// The form was filled faster than a person can.
    TooFast,
}

/// The spam signal in `review`, if any.
pub fn spam_signal(review: &ReviewSubmitted) -> Option<SpamSignal> {
    if !review.website.trim().is_empty() {
        Some(SpamSignal::Honeypot)
    } else if review.fill_ms < MIN_FILL_MS {
        Some(SpamSignal::TooFast)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reviews::draft::tests::good;

    #[test]
    fn default_rules_publish_verified_and_hold_the_rest() {
        let rules = AutoPublish::default();
        for rating in 1..=5 {
            assert_eq!(rules.decide(true, rating, 0), Decision::Publish);
            assert_eq!(rules.decide(false, rating, 2), Decision::Hold);
        }
    }

    #[test]
    fn thresholds_and_photo_holds_apply() {
        let rules = AutoPublish {
            verified_min_rating: Some(3),
            unverified_min_rating: Some(4),
            hold_with_photos: true,
        };
        assert_eq!(rules.decide(true, 2, 0), Decision::Hold);
        assert_eq!(rules.decide(true, 3, 0), Decision::Publish);
        assert_eq!(rules.decide(false, 3, 0), Decision::Hold);
        assert_eq!(rules.decide(false, 4, 0), Decision::Publish);
        assert_eq!(rules.decide(true, 5, 1), Decision::Hold);
    }

    #[test]
    fn rewards_never_depend_on_the_rating() {
        let rule = RewardRule {
            code: "PHOTO10".into(),
            description: None,
            when: RewardWhen::WithPhotos,
        };
        assert_eq!(rule.reward_for(true, 0), None);
        assert_eq!(rule.reward_for(false, 3), None);
        assert_eq!(
            rule.reward_for(true, 1).map(|r| r.code),
            Some("PHOTO10".into())
        );
        let any = RewardRule {
            when: RewardWhen::AnyReview,
            ..rule
        };
        assert!(any.reward_for(true, 0).is_some());
        // The signature has no rating: a one-star and a five-star review are rewarded alike.
    }

    #[test]
    fn bots_are_spotted_by_honeypot_and_speed() {
        assert_eq!(spam_signal(&good()), None);
        let mut honey = good();
        honey.website = "http://spam.example".into();
        assert_eq!(spam_signal(&honey), Some(SpamSignal::Honeypot));
        let mut quick = good();
        quick.fill_ms = 800;
        assert_eq!(spam_signal(&quick), Some(SpamSignal::TooFast));
    }
}
