//! The auto-publish rules a store edits in the console: which new reviews go live at once and
//! which wait for a person. The TOML's `[store.reviews.auto_publish]` seeds them on first start.

use super::queue::HoldSignal;
use crate::reviews::moderation::{AutoPublish, Decision};
use serde::{Deserialize, Serialize};

/// The longest time a "too fast" threshold may ask for.
pub const MAX_HOLD_FAST_SECONDS: u32 = 600;

/// Which new reviews are published at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationRules {
    /// Publish verified reviews with at least this many stars at once; `null` holds them all.
    pub verified_min_rating: Option<u8>,
    /// Publish unverified reviews with at least this many stars at once; `null` holds them all.
    pub unverified_min_rating: Option<u8>,
    /// Hold every review with photos until a person has looked at them.
    pub hold_with_photos: bool,
    /// Hold a review whose text holds a link (`http://`, `https://`, `www.`).
    pub hold_links: bool,
    /// Hold a review written in fewer seconds than this (0: never). Forms filled faster than a
    /// person can are refused outright whatever this says.
    pub hold_fast_seconds: u32,
}

impl From<AutoPublish> for ModerationRules {
    fn from(rules: AutoPublish) -> Self {
        ModerationRules {
            verified_min_rating: rules.verified_min_rating,
            unverified_min_rating: rules.unverified_min_rating,
            hold_with_photos: rules.hold_with_photos,
            hold_links: false,
            hold_fast_seconds: 0,
        }
    }
}

impl Default for ModerationRules {
    fn default() -> Self {
        AutoPublish::default().into()
    }
}

/// What a new review brings to the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewReview<'a> {
    /// Whether a valid order token proved the purchase.
    pub verified: bool,
    /// Stars.
    pub rating: u8,
    /// How many photos.
    pub photos: usize,
    /// Milliseconds from opening the form to sending it.
    pub fill_ms: u64,
    /// The title and the text.
    pub text: [&'a str; 2],
}

impl ModerationRules {
    /// Why the rules refuse to be saved, if they do.
    pub fn problem(&self) -> Option<String> {
        for (key, min) in [
            ("verified_min_rating", self.verified_min_rating),
            ("unverified_min_rating", self.unverified_min_rating),
        ] {
            if min.is_some_and(|m| !(1..=5).contains(&m)) {
                return Some(format!("{key}: a minimum rating is 1 to 5 stars, or null"));
            }
        }
        if self.hold_fast_seconds > MAX_HOLD_FAST_SECONDS {
            return Some(format!(
                "hold_fast_seconds: at most {MAX_HOLD_FAST_SECONDS} seconds"
            ));
        }
        None
    }

    /// Where `review` goes, and the signals that held it (empty when published).
    pub fn decide(&self, review: &NewReview<'_>) -> (Decision, Vec<HoldSignal>) {
        let mut signals = Vec::new();
        if self.hold_fast_seconds > 0 && review.fill_ms < u64::from(self.hold_fast_seconds) * 1000 {
            signals.push(HoldSignal::Fast);
        }
        if self.hold_links && review.text.iter().any(|t| has_link(t)) {
            signals.push(HoldSignal::Link);
        }
        if self.hold_with_photos && review.photos > 0 {
            signals.push(HoldSignal::Photos);
        }
        let min = if review.verified {
            self.verified_min_rating
        } else {
            self.unverified_min_rating
        };
        if min.is_none_or(|m| review.rating < m) {
            signals.push(HoldSignal::Rating);
        }
        let decision = if signals.is_empty() {
            Decision::Publish
        } else {
            Decision::Hold
        };
        (decision, signals)
    }
}

/// Whether `text` holds something a browser would follow as a link.
fn has_link(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["http://", "https://", "www."]
        .iter()
        .any(|l| lower.contains(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(verified: bool, rating: u8) -> NewReview<'static> {
        NewReview {
            verified,
            rating,
            photos: 0,
            fill_ms: 60_000,
            text: ["Lovely", "Smooth and fresh."],
        }
    }

    #[test]
    fn the_toml_defaults_publish_verified_and_hold_the_rest() {
        let rules = ModerationRules::default();
        assert_eq!(rules.decide(&review(true, 1)), (Decision::Publish, vec![]));
        assert_eq!(
            rules.decide(&review(false, 5)),
            (Decision::Hold, vec![HoldSignal::Rating])
        );
        // The same decisions as the TOML's rules, which the server applied before the console.
        let toml = AutoPublish::default();
        for verified in [true, false] {
            for rating in 1..=5 {
                assert_eq!(
                    rules.decide(&review(verified, rating)).0,
                    toml.decide(verified, rating, 0)
                );
            }
        }
    }

    #[test]
    fn every_signal_that_holds_is_named() {
        let rules = ModerationRules {
            verified_min_rating: Some(4),
            unverified_min_rating: Some(4),
            hold_with_photos: true,
            hold_links: true,
            hold_fast_seconds: 20,
        };
        let held = NewReview {
            verified: true,
            rating: 3,
            photos: 2,
            fill_ms: 5_000,
            text: ["See WWW.example.com", ""],
        };
        assert_eq!(
            rules.decide(&held),
            (
                Decision::Hold,
                vec![
                    HoldSignal::Fast,
                    HoldSignal::Link,
                    HoldSignal::Photos,
                    HoldSignal::Rating
                ]
            )
        );
        assert_eq!(rules.decide(&review(true, 4)), (Decision::Publish, vec![]));
    }

    #[test]
    fn bad_rules_are_refused_with_their_key() {
        let mut rules = ModerationRules::default();
        assert_eq!(rules.problem(), None);
        rules.unverified_min_rating = Some(0);
        assert!(
            rules
                .problem()
                .is_some_and(|p| p.starts_with("unverified_min_rating"))
        );
        rules.unverified_min_rating = None;
        rules.hold_fast_seconds = 601;
        assert!(
            rules
                .problem()
                .is_some_and(|p| p.starts_with("hold_fast_seconds"))
        );
    }
}
