//! The redemption contract: what a QR landing page sends to `POST /v1/surprise/redeem`, what
//! it hears back, the `surprise.redeemed` result queued in the outbox, and the published odds.
//!
//! One redemption id names one attempt from one browser. It is also the id of the
//! `surprise.redeemed` result, so the direct call and the queued result are the same attempt:
//! whichever reaches the server first redeems the code, the other gets the same answer.

use super::code::MAX_TEXT_LEN;
use crate::event_id::EventId;
use crate::length_caps::{self, Capped, TooLong};
use crate::token::MAX_TOKEN_LEN;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest device id accepted (a UUID is 36).
pub use crate::length_caps::MAX_DEVICE_LEN;

/// The body of `POST /v1/surprise/redeem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedeemRequest {
    /// The store the landing page belongs to.
    pub store: String,
    /// The code as scanned or typed (dashes, spaces and case do not matter).
    pub code: String,
    /// This browser's attempt; a retry with the same id gets the same answer.
    pub redemption: EventId,
    /// A random id this browser keeps for the store ([`is_device_id`]), for per-device limits
    /// and to show the original prize again to the browser that won it.
    pub device: String,
    /// A member token from the store, when the shopper is signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_token: Option<String>,
    /// The language the prize is described in (`en`, `zh-CN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// `surprise.redeemed`: a shopper opened a surprise code. The result's id is the redemption id,
/// so the server redeems at most once for both paths; the acknowledgement's `reward` carries the
/// prize's code when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurpriseRedeemed {
    /// The code as scanned.
    pub code: String,
    /// The browser's device id ([`is_device_id`]).
    pub device: String,
    /// The member token, when the shopper is signed in (stored only as a hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_token: Option<String>,
}

impl Capped for SurpriseRedeemed {
    fn check_caps(&self) -> Result<(), TooLong> {
        length_caps::text("data.code", &self.code, MAX_TEXT_LEN)?;
        length_caps::text("data.device", &self.device, MAX_DEVICE_LEN)?;
        length_caps::optional(
            "data.member_token",
            self.member_token.as_deref(),
            MAX_TOKEN_LEN,
        )
    }
}

/// What a prize is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrizeKind {
    /// A discount code to use at checkout.
    Coupon,
    /// A free gift, claimed with a code at checkout or in store.
    Gift,
    /// Loyalty points credited to the member.
    Points,
    /// Thanks for playing: nothing won this time.
    Thanks,
}

impl PrizeKind {
    /// The wire and config name.
    pub fn as_str(self) -> &'static str {
        match self {
            PrizeKind::Coupon => "coupon",
            PrizeKind::Gift => "gift",
            PrizeKind::Points => "points",
            PrizeKind::Thanks => "thanks",
        }
    }
}

/// A prize as the shopper sees it, in the requested language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prize {
    /// The prize id in the campaign's config (`thanks` for thanks-for-playing).
    pub id: String,
    /// What it is.
    pub kind: PrizeKind,
    /// Its name ("20% off your next order").
    pub title: String,
    /// How to use it, in the store's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_to_use: Option<String>,
    /// The code to show, copy and scan at a till.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Points credited, for a points prize.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u64>,
    /// When the prize can no longer be used (ms since the Unix epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    /// Where to go next (the shop, or the members' join page for thanks-for-playing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_url: Option<String>,
}

impl Prize {
    /// Whether anything was won.
    pub fn is_win(&self) -> bool {
        self.kind != PrizeKind::Thanks
    }
}

/// The answer of `POST /v1/surprise/redeem`, tagged by `status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Redemption {
    /// This attempt redeemed the code (now, or on the first try of this redemption id).
    Redeemed {
        /// What was drawn (possibly thanks-for-playing).
        prize: Prize,
        /// When the code was redeemed (ms).
        redeemed_at: u64,
        /// The campaign, for "how winners are chosen".
        campaign: u16,
    },
    /// Someone redeemed the code before.
    AlreadyRedeemed {
        /// The original prize: only to the same device or member that redeemed it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prize: Option<Prize>,
        /// When it was redeemed (ms).
        redeemed_at: u64,
    },
    /// Not a code of this store: forged, mistyped, or of an unknown campaign.
    Invalid,
    /// The campaign has ended.
    Expired {
        /// When it ended (ms).
        ended_at: u64,
    },
    /// The campaign has not started yet.
    NotStarted {
        /// When it starts (ms).
        starts_at: u64,
    },
    /// This device or member has opened as many codes of the campaign as it allows.
    LimitReached,
}

impl Redemption {
    /// The wire name of the status.
    pub fn status(&self) -> &'static str {
        match self {
            Redemption::Redeemed { .. } => "redeemed",
            Redemption::AlreadyRedeemed { .. } => "already_redeemed",
            Redemption::Invalid => "invalid",
            Redemption::Expired { .. } => "expired",
            Redemption::NotStarted { .. } => "not_started",
            Redemption::LimitReached => "limit_reached",
        }
    }
}

/// Why a `surprise.redeemed` result was rejected (its ack's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedeemRefusal {
    /// The code does not verify.
    CodeInvalid,
    /// The campaign has ended.
    CodeExpired,
    /// The campaign has not started.
    CodeNotStarted,
    /// Another browser redeemed it.
    AlreadyRedeemed,
    /// The device or member limit is reached.
    LimitReached,
    /// Too many invalid attempts from this device or address.
    RateLimited,
}

impl RedeemRefusal {
    /// The machine-readable code sent as `reason`.
    pub fn code(self) -> &'static str {
        match self {
            RedeemRefusal::CodeInvalid => "code_invalid",
            RedeemRefusal::CodeExpired => "code_expired",
            RedeemRefusal::CodeNotStarted => "code_not_started",
            RedeemRefusal::AlreadyRedeemed => "already_redeemed",
            RedeemRefusal::LimitReached => "redeem_limit_reached",
            RedeemRefusal::RateLimited => "rate_limited",
        }
    }

    /// The refusal a final answer amounts to, for the queued result; `None` when it redeemed.
    pub fn of(answer: &Redemption) -> Option<RedeemRefusal> {
        match answer {
            Redemption::Redeemed { .. } => None,
            Redemption::AlreadyRedeemed { .. } => Some(RedeemRefusal::AlreadyRedeemed),
            Redemption::Invalid => Some(RedeemRefusal::CodeInvalid),
            Redemption::Expired { .. } => Some(RedeemRefusal::CodeExpired),
            Redemption::NotStarted { .. } => Some(RedeemRefusal::CodeNotStarted),
            Redemption::LimitReached => Some(RedeemRefusal::LimitReached),
        }
    }
}

impl fmt::Display for RedeemRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One prize's published chance and what is left of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrizeChance {
    /// The prize's name in the requested language.
    pub title: String,
    /// What it is.
    pub kind: PrizeKind,
    /// The chance per redemption, in parts per million.
    pub chance_ppm: u32,
    /// How many were budgeted; `None`: unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<u64>,
    /// How many are left; `None`: unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u64>,
}

/// `GET /v1/surprise/campaigns/{campaign}`: "how winners are chosen".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedOdds {
    /// The campaign's name.
    pub title: String,
    /// When it opens and closes (ms).
    pub starts_at: u64,
    /// When it closes (ms, exclusive).
    pub ends_at: u64,
    /// The prizes in draw order; what is left of one is thanks-for-playing.
    pub prizes: Vec<PrizeChance>,
    /// Codes one device may open in this campaign.
    pub per_device: u32,
}

/// Whether `device` is an acceptable device id: 8 to 64 letters, digits and dashes.
pub fn is_device_id(device: &str) -> bool {
    (8..=MAX_DEVICE_LEN).contains(&device.len())
        && device
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A chance in parts per million as a percentage without trailing zeros: "12.5", "0.01",
/// "100", "0". Integer arithmetic on purpose: float formatting would cost the widget ~20 KB.
pub fn percent_text(chance_ppm: u32) -> String {
    let (whole, fraction) = (chance_ppm / 10_000, chance_ppm % 10_000);
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:04}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prize() -> Prize {
        Prize {
            id: "tea".into(),
            kind: PrizeKind::Gift,
            title: "A tin of jasmine tea".into(),
            how_to_use: Some("Show the code at the till".into()),
            code: Some("GIFT-7Q2".into()),
            points: None,
            expires_at: Some(1_800_000_000_000),
            next_url: None,
        }
    }

    #[test]
    fn answers_are_tagged_by_status() {
        let won = Redemption::Redeemed {
            prize: prize(),
            redeemed_at: 5,
            campaign: 1,
        };
        let json = serde_json::to_value(&won).expect("serialises");
        assert_eq!(json["status"], "redeemed");
        assert_eq!(json["prize"]["kind"], "gift");
        assert_eq!(json["prize"]["code"], "GIFT-7Q2");
        let again = Redemption::AlreadyRedeemed {
            prize: None,
            redeemed_at: 5,
        };
        let text = serde_json::to_string(&again).expect("serialises");
        assert_eq!(text, r#"{"status":"already_redeemed","redeemed_at":5}"#);
        for answer in [
            won,
            again,
            Redemption::Invalid,
            Redemption::Expired { ended_at: 9 },
            Redemption::NotStarted { starts_at: 9 },
            Redemption::LimitReached,
        ] {
            let text = serde_json::to_string(&answer).expect("serialises");
            assert!(text.contains(answer.status()), "{text}");
            let back: Redemption = serde_json::from_str(&text).expect("parses");
            assert_eq!(back, answer);
            assert_eq!(
                RedeemRefusal::of(&answer).is_none(),
                matches!(answer, Redemption::Redeemed { .. })
            );
        }
    }

    #[test]
    fn device_ids_are_plain_and_bounded() {
        assert!(is_device_id("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(!is_device_id("short"));
        assert!(!is_device_id("has space in it"));
        assert!(!is_device_id("<script>alert(1)</script>"));
        assert!(!is_device_id(&"a".repeat(65)));
    }

    #[test]
    fn percentages_are_exact_for_ppm() {
        assert_eq!(percent_text(12_500), "1.25");
        assert_eq!(percent_text(125_000), "12.5");
        assert_eq!(percent_text(100), "0.01");
        assert_eq!(percent_text(1), "0.0001");
        assert_eq!(percent_text(1_000_000), "100");
        assert_eq!(percent_text(0), "0");
        assert!(!prize().kind.as_str().is_empty());
        assert!(prize().is_win());
    }
}
