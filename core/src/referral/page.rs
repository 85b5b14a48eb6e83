//! What `POST /v1/referral` is asked and answers, and what `GET /v1/referral/welcome` answers:
//! the advocate's link, the give/get terms and their counts; and the friend's welcome on a
//! referral landing.

use serde::{Deserialize, Serialize};

/// What the widget asks `POST /v1/referral` (a JSON body sent as `text/plain`, so no CORS
/// preflight). The token rides in the body, never the URL, where proxy and CDN logs would keep
/// it. The deprecated `GET /v1/referral?store=&token=&locale=` reads the same fields from its
/// query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralQuery {
    /// The store id.
    pub store: String,
    /// A member token or an order token: who the advocate is. Required (401 without it); an
    /// `Option` so that its absence gets that answer rather than a 400.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The locale tag for the terms (`en`, `zh-CN`); the store's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// The advocate's referral panel (`POST /v1/referral` with a [`ReferralQuery`]).
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

#[cfg(test)]
mod tests {
    use super::ReferralQuery;

    #[test]
    fn a_referral_query_round_trips() {
        let query = ReferralQuery {
            store: "acme".into(),
            token: Some("order.signed".into()),
            locale: Some("en".into()),
        };
        let text = serde_json::to_string(&query).expect("serialise");
        assert_eq!(
            text,
            r#"{"store":"acme","token":"order.signed","locale":"en"}"#
        );
        assert_eq!(
            serde_json::from_str::<ReferralQuery>(&text).ok(),
            Some(query)
        );
        let bare: ReferralQuery = serde_json::from_str(r#"{"store":"acme"}"#).expect("parse");
        assert_eq!((bare.token, bare.locale), (None, None));
        assert!(serde_json::from_str::<ReferralQuery>(r#"{"token":"t"}"#).is_err());
    }
}
