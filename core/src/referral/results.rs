//! The referral results a widget posts: a share (`referral.shared`, analytics of which channel
//! works) and an attributed order (`referral.ordered`, the remembered code beside the order
//! token the store's backend signed). The landing itself is `events::ReferralLanded`.

use serde::{Deserialize, Serialize};

use super::link::{Channel, MAX_CODE_LEN};
use crate::length_caps::{self, Capped, MAX_DEVICE_LEN, TooLong};
use crate::token::MAX_TOKEN_LEN;

/// How the advocate shared their link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedVia {
    /// Copied to the clipboard.
    Copy,
    /// The system share sheet (Web Share API).
    Native,
    /// The QR code, downloaded as an SVG file.
    QrDownload,
    /// WhatsApp.
    Whatsapp,
    /// X (Twitter).
    X,
    /// Facebook.
    Facebook,
    /// E-mail.
    Email,
    /// A text message.
    Sms,
    /// LINE.
    Line,
    /// Weibo.
    Weibo,
}

impl From<Channel> for SharedVia {
    fn from(channel: Channel) -> Self {
        match channel {
            Channel::WhatsApp => SharedVia::Whatsapp,
            Channel::X => SharedVia::X,
            Channel::Facebook => SharedVia::Facebook,
            Channel::Email => SharedVia::Email,
            Channel::Sms => SharedVia::Sms,
            Channel::Line => SharedVia::Line,
            Channel::Weibo => SharedVia::Weibo,
        }
    }
}

/// `referral.shared`: the advocate shared their link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralShared {
    /// The advocate's referral code.
    pub code: String,
    /// Where it went.
    pub via: SharedVia,
}

impl Capped for ReferralShared {
    fn check_caps(&self) -> Result<(), TooLong> {
        length_caps::text("data.code", &self.code, MAX_CODE_LEN)
    }
}

/// `referral.ordered`: a shopper who landed through a referral link placed an order. Only the
/// signed order token counts: the server verifies it and judges the order by the fraud rules;
/// the code alone earns nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralOrdered {
    /// The referral code the loader remembered from the landing.
    pub code: String,
    /// When the shopper landed (ms since the Unix epoch), for the attribution window.
    pub landed_at: u64,
    /// The order token on the order-confirmation page.
    pub order_token: String,
    /// This browser's device id for the store (as on surprise redemptions), for the
    /// per-device limit.
    pub device: String,
}

impl Capped for ReferralOrdered {
    fn check_caps(&self) -> Result<(), TooLong> {
        length_caps::text("data.code", &self.code, MAX_CODE_LEN)?;
        length_caps::text("data.order_token", &self.order_token, MAX_TOKEN_LEN)?;
        length_caps::text("data.device", &self.device, MAX_DEVICE_LEN)
    }
}

/// Why the server refused a `referral.ordered` result; sent as its rejection `reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralRefusal {
    /// The store runs no referral program.
    NotOffered,
    /// The order token is altered, foreign, expired or for an unknown key.
    OrderTokenInvalid,
    /// No advocate has this code.
    UnknownCode,
    /// The landing is older than the store's attribution window.
    WindowPassed,
}

impl ReferralRefusal {
    /// The machine-readable code sent as `reason`.
    pub fn code(self) -> &'static str {
        match self {
            ReferralRefusal::NotOffered => "referral_not_offered",
            ReferralRefusal::OrderTokenInvalid => "order_token_invalid",
            ReferralRefusal::UnknownCode => "unknown_referral_code",
            ReferralRefusal::WindowPassed => "attribution_window_passed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_is_a_way_to_share_with_its_own_name() {
        for channel in Channel::ALL {
            let via = SharedVia::from(channel);
            let wire = serde_json::to_value(via).unwrap_or_default();
            assert_eq!(wire, serde_json::json!(channel.as_str()));
        }
        assert_eq!(
            serde_json::to_value(SharedVia::QrDownload).unwrap_or_default(),
            serde_json::json!("qr_download")
        );
    }
}
