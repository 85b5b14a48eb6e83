//! The endpoint contract (v1): the results a widget posts to `POST {endpoint}/v1/events`
//! and the per-result answers the endpoint gives back.

use crate::event_id::EventId;
use crate::issued_code::IssuedCode;
use crate::length_caps::{self, Capped, MAX_ID_LEN, MAX_PAGE_LEN, MAX_STORE_LEN, TooLong};
use crate::offers::OfferClaimed;
use crate::offers::claims::ClaimRefusal;
use crate::referral::link::MAX_CODE_LEN;
use crate::referral::results::{ReferralOrdered, ReferralRefusal, ReferralShared};
use crate::reviews::ReviewSubmitted;
use crate::surprise::redeem::{RedeemRefusal, SurpriseRedeemed};
use serde::{Deserialize, Serialize};

/// Largest batch body a client sends and the reference server accepts without a 413.
/// Chosen to stay under the 64 KiB that browsers allow for all `keepalive` requests in flight.
pub const MAX_BATCH_BYTES: usize = 60 * 1024;
/// Most results in one batch.
pub const MAX_BATCH_EVENTS: usize = 50;

/// One result produced by a widget on a store's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Client-made id; the endpoint deduplicates on it.
    pub id: EventId,
    /// The store the widget was embedded for (its `store` attribute).
    pub store: String,
    /// When the shopper's action happened, in milliseconds since the Unix epoch (browser clock).
    pub occurred_at: u64,
    /// What happened.
    #[serde(flatten)]
    pub body: EventBody,
}

/// What a result says, tagged by `type` with its fields under `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum EventBody {
    /// The widget was rendered on a page (analytics).
    #[serde(rename = "widget.impression")]
    Impression(Impression),
    /// A visitor arrived through a referral link (`?ref=CODE`); remembered by the loader.
    #[serde(rename = "referral.landed")]
    ReferralLanded(ReferralLanded),
    /// A shopper wrote a review.
    #[serde(rename = "review.submitted")]
    ReviewSubmitted(ReviewSubmitted),
    /// A member claimed an offer; the acknowledgement's `reward` carries the code.
    #[serde(rename = "offer.claimed")]
    OfferClaimed(OfferClaimed),
    /// A shopper opened a QR surprise code; the result's id is the redemption id and the
    /// acknowledgement's `reward` carries the prize's code.
    #[serde(rename = "surprise.redeemed")]
    SurpriseRedeemed(SurpriseRedeemed),
    /// An advocate shared their referral link (copy, share sheet, a channel or the QR code).
    #[serde(rename = "referral.shared")]
    ReferralShared(ReferralShared),
    /// A shopper who came through a referral link placed an order; the server verifies the
    /// order token and judges the referral.
    #[serde(rename = "referral.ordered")]
    ReferralOrdered(ReferralOrdered),
}

/// Every `type` this version of the contract knows; anything else is rejected per result.
pub const KNOWN_TYPES: &[&str] = &[
    "widget.impression",
    "referral.landed",
    "review.submitted",
    "offer.claimed",
    "surprise.redeemed",
    "referral.shared",
    "referral.ordered",
];

impl EventBody {
    /// The wire name of this result's type.
    pub fn type_name(&self) -> &'static str {
        match self {
            EventBody::Impression(_) => "widget.impression",
            EventBody::ReferralLanded(_) => "referral.landed",
            EventBody::ReviewSubmitted(_) => "review.submitted",
            EventBody::OfferClaimed(_) => "offer.claimed",
            EventBody::SurpriseRedeemed(_) => "surprise.redeemed",
            EventBody::ReferralShared(_) => "referral.shared",
            EventBody::ReferralOrdered(_) => "referral.ordered",
        }
    }

    /// Whether this result records something a person did or that money depends on.
    /// Such results are never evicted to make room, and a full outbox is an error the
    /// shopper sees; analytics results may be dropped under the outbox's caps.
    pub fn is_user_action(&self) -> bool {
        match self {
            EventBody::Impression(_) => false,
            EventBody::ReferralLanded(_)
            | EventBody::ReviewSubmitted(_)
            | EventBody::OfferClaimed(_)
            | EventBody::SurpriseRedeemed(_)
            | EventBody::ReferralShared(_)
            | EventBody::ReferralOrdered(_) => true,
        }
    }
}

impl Capped for Event {
    fn check_caps(&self) -> Result<(), TooLong> {
        length_caps::text("store", &self.store, MAX_STORE_LEN)?;
        match &self.body {
            EventBody::Impression(result) => result.check_caps(),
            EventBody::ReferralLanded(result) => result.check_caps(),
            EventBody::ReviewSubmitted(result) => result.check_caps(),
            EventBody::OfferClaimed(result) => result.check_caps(),
            EventBody::SurpriseRedeemed(result) => result.check_caps(),
            EventBody::ReferralShared(result) => result.check_caps(),
            EventBody::ReferralOrdered(result) => result.check_caps(),
        }
    }
}

/// Longest `mode` of an impression: the widget's modes are at most 16 characters, and a few
/// more leave room for new ones.
pub const MAX_MODE_LEN: usize = 32;

/// `widget.impression`: a widget surface was rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impression {
    /// The surface (`mode` attribute) that was shown.
    pub mode: String,
    /// The product the page is about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The page's URL without query string or fragment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

impl Capped for Impression {
    fn check_caps(&self) -> Result<(), TooLong> {
        length_caps::text("data.mode", &self.mode, MAX_MODE_LEN)?;
        length_caps::optional("data.product", self.product.as_deref(), MAX_ID_LEN)?;
        length_caps::optional("data.page", self.page.as_deref(), MAX_PAGE_LEN)
    }
}

/// `referral.landed`: a visitor arrived with `?ref=CODE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralLanded {
    /// The advocate's referral code from the link.
    pub code: String,
    /// When the visitor landed, in milliseconds since the Unix epoch.
    pub landed_at: u64,
    /// The landing page's URL without query string or fragment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// This browser's device id for the store, the one its referred order will carry: an order
    /// is credited only against a landing the server recorded from the same device. Absent
    /// from widgets before it was added; such a landing is counted but credits no order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

impl Capped for ReferralLanded {
    fn check_caps(&self) -> Result<(), TooLong> {
        length_caps::text("data.code", &self.code, MAX_CODE_LEN)?;
        length_caps::optional("data.page", self.page.as_deref(), MAX_PAGE_LEN)
    }
}

/// The body of `POST /v1/events`.
///
/// Results are kept as raw JSON so that one malformed or unknown result is rejected alone
/// instead of failing the whole batch.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventBatch {
    /// The results, oldest first.
    pub events: Vec<serde_json::Value>,
}

/// The endpoint's verdict on one result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AckStatus {
    /// Stored now.
    Accepted,
    /// Stored before under the same id with the same content; not stored again.
    Duplicate,
    /// Will never be stored; retrying is pointless. `reason` says why.
    Rejected,
}

/// The answer for one result in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAck {
    /// The result's id as sent (or an empty string when the result had no readable id).
    pub id: String,
    /// The verdict.
    pub status: AckStatus,
    /// Machine-readable reason for a rejection, such as `unknown_type` or `id_conflict`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The field at fault, for a `too_long` rejection (`data.product`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What accepting this result earned the shopper (a review coupon), shown by the widget.
    /// Repeated on a duplicate so a retried submission still shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward: Option<IssuedCode>,
}

/// The body the endpoint answers a batch with, in the order the results were sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchReply {
    /// One answer per result.
    pub results: Vec<EventAck>,
}

/// Why one result of a batch was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectReason {
    /// The result is not an object with a valid `id`.
    InvalidId,
    /// The `type` is not one this endpoint knows.
    UnknownType(String),
    /// The fields do not match the result's type.
    Invalid(String),
    /// A text is longer than its cap (see [`crate::length_caps`]).
    TooLong(TooLong),
    /// The client sent more results of this type than its limit allows for now; final, so
    /// only analytics results are refused this way (an endpoint leaves a person's action
    /// unanswered instead, and the widget sends it again later).
    RateLimited,
    /// The `store` is not configured on this endpoint.
    UnknownStore,
    /// The page's origin is not allowed for the result's store.
    OriginNotAllowed,
    /// The id was stored before with different content.
    IdConflict,
    /// Refused by the store's spam rules; deliberately unexplained.
    NotAccepted,
    /// This order item already has a review from its buyer.
    AlreadyReviewed,
    /// An offer claim the server refused (token, audience, window, limit or budget).
    Claim(ClaimRefusal),
    /// A surprise redemption the server refused (code, window, limit, or already redeemed).
    Redeem(RedeemRefusal),
    /// An attributed order the server refused (no program, token, code or window).
    Referral(ReferralRefusal),
}

impl RejectReason {
    /// The machine-readable code sent as `reason`.
    pub fn code(&self) -> &'static str {
        match self {
            RejectReason::InvalidId => "invalid_id",
            RejectReason::UnknownType(_) => "unknown_type",
            RejectReason::Invalid(_) => "invalid",
            RejectReason::TooLong(_) => "too_long",
            RejectReason::RateLimited => "rate_limited",
            RejectReason::UnknownStore => "unknown_store",
            RejectReason::OriginNotAllowed => "origin_not_allowed",
            RejectReason::IdConflict => "id_conflict",
            RejectReason::NotAccepted => "not_accepted",
            RejectReason::AlreadyReviewed => "already_reviewed",
            RejectReason::Claim(refusal) => refusal.code(),
            RejectReason::Redeem(refusal) => refusal.code(),
            RejectReason::Referral(refusal) => refusal.code(),
        }
    }

    /// The field at fault, sent beside the code as `field`.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            RejectReason::TooLong(too_long) => Some(too_long.field),
            _ => None,
        }
    }
}

/// Reads one raw result of a batch, telling apart an unknown type from malformed fields, and
/// refuses one with a text over its cap.
pub fn decode_event(raw: &serde_json::Value) -> Result<Event, (String, RejectReason)> {
    let id = raw
        .get("id")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    if EventId::parse(&id).is_err() {
        return Err((id, RejectReason::InvalidId));
    }
    let ty = raw.get("type").and_then(|v| v.as_str()).unwrap_or_default();
    if !KNOWN_TYPES.contains(&ty) {
        return Err((id, RejectReason::UnknownType(ty.to_owned())));
    }
    let event: Event = serde_json::from_value(raw.clone())
        .map_err(|e| (id.clone(), RejectReason::Invalid(e.to_string())))?;
    event
        .check_caps()
        .map_err(|too_long| (id, RejectReason::TooLong(too_long)))?;
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn impression() -> Event {
        Event {
            id: EventId::from_random_bytes([7; 16]),
            store: "demo".into(),
            occurred_at: 1_700_000_000_000,
            body: EventBody::Impression(Impression {
                mode: "product".into(),
                product: Some("sku-42".into()),
                page: None,
            }),
        }
    }

    #[test]
    fn random_bytes_make_a_version_4_uuid() {
        let id = EventId::from_random_bytes([0xff; 16]);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(EventId::parse(id.as_str()), Ok(id));
    }

    #[test]
    fn ids_are_validated_and_lowercased() {
        assert!(EventId::parse("not-a-uuid").is_err());
        assert!(EventId::parse("0f8fad5b-d9cb-469f-a165-70867728950").is_err());
        assert!(EventId::parse("0f8fad5bxd9cb-469f-a165-70867728950e").is_err());
        assert!(EventId::parse("0f8fad5b-d9cb-469f-a165-70867728950g").is_err());
        let id = EventId::parse("0F8FAD5B-D9CB-469F-A165-70867728950E");
        assert_eq!(
            id.map(String::from),
            Ok("0f8fad5b-d9cb-469f-a165-70867728950e".to_owned())
        );
    }

    #[test]
    fn an_event_has_a_stable_wire_form() {
        let json = serde_json::to_value(impression()).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({
                "id": "07070707-0707-4707-8707-070707070707",
                "store": "demo",
                "occurred_at": 1_700_000_000_000u64,
                "type": "widget.impression",
                "data": {"mode": "product", "product": "sku-42"}
            })
        );
    }

    #[test]
    fn every_event_type_round_trips() {
        let landed = Event {
            body: EventBody::ReferralLanded(ReferralLanded {
                code: "ALEX-15".into(),
                landed_at: 1_700_000_000_001,
                page: Some("https://shop.example/".into()),
                device: Some("0f8fad5b-d9cb-469f-a165-70867728950e".into()),
            }),
            ..impression()
        };
        let redeemed = Event {
            body: EventBody::SurpriseRedeemed(SurpriseRedeemed {
                code: "0001-0000-0000-0000-0000-000".into(),
                device: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
                member_token: None,
            }),
            ..impression()
        };
        for event in [impression(), landed, redeemed] {
            let text = serde_json::to_string(&event).expect("serialises");
            let back: Event = serde_json::from_str(&text).expect("parses");
            assert_eq!(back, event);
            assert!(KNOWN_TYPES.contains(&event.body.type_name()));
        }
    }

    #[test]
    fn decoding_tells_unknown_types_from_bad_fields() {
        let good = serde_json::to_value(impression()).expect("serialises");
        assert_eq!(decode_event(&good), Ok(impression()));

        let mut unknown = good.clone();
        unknown["type"] = "coffee.spilled".into();
        assert_eq!(
            decode_event(&unknown).map_err(|e| e.1),
            Err(RejectReason::UnknownType("coffee.spilled".into()))
        );

        let mut bad = good.clone();
        bad["data"] = serde_json::json!({"product": 3});
        assert!(matches!(
            decode_event(&bad),
            Err((_, RejectReason::Invalid(_)))
        ));

        let mut no_id = good;
        no_id["id"] = "42".into();
        assert_eq!(
            decode_event(&no_id).map_err(|e| e.1),
            Err(RejectReason::InvalidId)
        );
        assert_eq!(
            decode_event(&serde_json::json!([])).map_err(|e| e.1),
            Err(RejectReason::InvalidId)
        );
    }

    #[test]
    fn batch_replies_serialise_snake_case() {
        let reply = BatchReply {
            results: vec![EventAck {
                id: "x".into(),
                status: AckStatus::Rejected,
                reason: Some(RejectReason::IdConflict.code().into()),
                field: None,
                reward: None,
            }],
        };
        let json = serde_json::to_string(&reply).expect("serialises");
        assert_eq!(
            json,
            r#"{"results":[{"id":"x","status":"rejected","reason":"id_conflict"}]}"#
        );
    }
}

#[cfg(test)]
mod docs_tests {
    use super::*;

    /// The JSON examples in docs/endpoint.md are real: the batch decodes into known results and
    /// the answer parses as a `BatchReply`.
    #[test]
    fn docs_examples_parse() {
        let doc = include_str!("../../docs/endpoint.md");
        let blocks: Vec<&str> = doc
            .split("```json")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .collect();
        assert_eq!(blocks.len(), 2, "the batch and the answer");
        let batch: EventBatch = serde_json::from_str(blocks[0]).expect("batch parses");
        assert_eq!(batch.events.len(), 2);
        for raw in &batch.events {
            let event = decode_event(raw).expect("a valid v1 result");
            assert_eq!(
                serde_json::to_value(&event).expect("serialises"),
                *raw,
                "round trip"
            );
        }
        let reply: BatchReply = serde_json::from_str(blocks[1]).expect("answer parses");
        assert_eq!(reply.results[1].status, AckStatus::Duplicate);
    }
}
