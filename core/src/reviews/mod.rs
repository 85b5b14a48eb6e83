//! Reviews: what a shopper submits (`review.submitted`), what the endpoint publishes, and the
//! pure rules both sides share: validation, summary math, sorting and filtering, moderation,
//! rewards, photo checks and the schema.org JSON-LD.

pub mod ago;
pub mod draft;
pub mod jsonld;
pub mod listing;
pub mod moderation;
pub mod photo;
pub mod summary;

use crate::issued_code::IssuedCode;
use crate::locale::Locale;
use serde::{Deserialize, Serialize};

/// Most photos on one review.
pub const MAX_PHOTOS: usize = 5;
/// Longest title, in characters.
pub const TITLE_MAX: usize = 120;
/// Longest body, in characters.
pub const BODY_MAX: usize = 5000;
/// Longest display name, in characters.
pub const NAME_MAX: usize = 60;
/// Most answers on one review, and most questions a store may ask.
pub const MAX_ANSWERS: usize = 20;
/// Longest question id and answer value, in characters (the store's config holds both).
pub const MAX_ANSWER_LEN: usize = 64;
/// Longest photo upload id: a UUID.
pub const MAX_PHOTO_ID_LEN: usize = 36;
/// Longest honeypot field kept: a bot's text there is refused anyway, and need not be stored
/// whole.
pub const MAX_WEBSITE_LEN: usize = 256;
/// Shortest body when the store configures nothing else.
pub const DEFAULT_MIN_BODY: u16 = 20;
/// Fastest a person fills in a review form; quicker submissions are treated as bots.
pub const MIN_FILL_MS: u64 = 3_000;

/// `review.submitted`: a shopper's review of one product, sent through the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSubmitted {
    /// The product reviewed.
    pub product: String,
    /// The order it was bought in, when the review came from a review request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// The store's signed order token; a valid one makes the review verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_token: Option<String>,
    /// Stars, 1 to 5.
    pub rating: u8,
    /// Headline (may be empty).
    #[serde(default)]
    pub title: String,
    /// The review text.
    pub body: String,
    /// The name shown with the review.
    pub name: String,
    /// Answers to the store's custom questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// Upload ids of the photos, each sent to `POST /v1/photos` before this result.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    /// The language it was written in (`en`, `zh-CN`).
    pub locale: String,
    /// Milliseconds between the form opening and its submission.
    pub fill_ms: u64,
    /// The honeypot field: invisible to people, so anything in it was typed by a bot.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
}

/// An answer to one custom question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The question's id.
    pub question: String,
    /// The chosen option's value, or the scale value as digits.
    pub value: String,
}

/// A published photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// Where the image is served (absolute, or relative to the endpoint).
    pub url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The store's public answer under a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreReply {
    /// The reply text (plain text).
    pub body: String,
    /// When it was written, in milliseconds since the Unix epoch.
    pub at: u64,
}

/// A published review as the endpoint serves it. Every text field is plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The review's id (the id of its `review.submitted` result).
    pub id: String,
    /// Stars, 1 to 5.
    pub rating: u8,
    /// Headline (may be empty).
    pub title: String,
    /// The text.
    pub body: String,
    /// The reviewer's display name.
    pub name: String,
    /// Bought in an order the store signed for.
    pub verified: bool,
    /// The reviewer received a reward for reviewing (disclosed to readers).
    pub incentivized: bool,
    /// When it was submitted, in milliseconds since the Unix epoch.
    pub created_at: u64,
    /// Its photos.
    #[serde(default)]
    pub photos: Vec<Photo>,
    /// Answers to the store's questions.
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// How many shoppers found it helpful.
    pub helpful: u32,
    /// The store's public reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<StoreReply>,
    /// The language it was written in.
    pub locale: String,
}

/// Text in the store's languages; English is required, Chinese falls back to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    #[serde(default, rename = "zh-CN", skip_serializing_if = "Option::is_none")]
    pub zh_cn: Option<String>,
}

impl Localized {
    /// The text for `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhCn => self.zh_cn.as_deref().unwrap_or(&self.en),
            Locale::En => &self.en,
        }
    }
}

/// A store-defined question on the review form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id (`fit`, `quality`).
    pub id: String,
    /// The question as shown.
    pub label: Localized,
    /// How it is answered.
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// How a custom question is answered. Custom questions are optional for the shopper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One of a few options (fit: runs small / true to size / runs large).
    Choice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
    },
    /// A number on a scale (quality 1–5).
    Scale {
        /// Lowest value.
        min: u8,
        /// Highest value.
        max: u8,
    },
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// The value stored (`small`).
    pub value: String,
    /// The option as shown.
    pub label: Localized,
}

/// How the store wants its review form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSpec {
    /// Fewest characters in the body.
    pub min_body: u16,
    /// Extra questions, all optional.
    #[serde(default)]
    pub questions: Vec<Question>,
}

impl Default for FormSpec {
    fn default() -> Self {
        FormSpec {
            min_body: DEFAULT_MIN_BODY,
            questions: Vec::new(),
        }
    }
}

/// The product a reviews page is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInfo {
    /// Its id.
    pub id: String,
    /// Its display name, when the store configured one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `GET /v1/products/{product}/reviews`: the summary over every published review and one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewsPage {
    /// The product.
    pub product: ProductInfo,
    /// Average, count and histogram of all published reviews (not just this page).
    pub summary: summary::Summary,
    /// The page asked for.
    pub reviews: Vec<Review>,
    /// The offset of the next page, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<u32>,
    /// How the store wants its review form.
    pub form: FormSpec,
}

/// Why an order token did not make a review request verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenProblem {
    /// The link carried no token.
    Missing,
    /// The token is damaged, altered or for another store or order.
    Invalid,
    /// The token has expired.
    Expired,
}

/// One product of a review request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestItem {
    /// The product id.
    pub product: String,
    /// Its display name.
    pub name: String,
    /// A review of it for this order has been received.
    pub done: bool,
    /// The reward that review earned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward: Option<IssuedCode>,
}

/// What the widget asks `POST /v1/orders/{order}/review-request` (a JSON body sent as
/// `text/plain`, so no CORS preflight). The order token rides in the body, never the URL, where
/// proxy and CDN logs would keep it for as long as the token lives. The deprecated `GET` form
/// reads the same fields from its query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRequestQuery {
    /// The store id.
    pub store: String,
    /// The order token from the review-request link; without one the answer names the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// `POST /v1/orders/{order}/review-request`: what a review-request link asks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRequest {
    /// The order.
    pub order: String,
    /// Whether the token was valid: reviews will be marked verified.
    pub verified: bool,
    /// Why not, when not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<TokenProblem>,
    /// The order's products, in order.
    pub items: Vec<RequestItem>,
    /// How the store wants its review form.
    pub form: FormSpec,
}

/// `POST /v1/reviews/{id}/helpful`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpfulVote {
    /// The store.
    pub store: String,
    /// A random id the browser keeps, so one browser counts once.
    pub browser: String,
}

/// The answer to a helpful vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpfulTally {
    /// The review's helpful count after the vote.
    pub helpful: u32,
    /// Whether this vote was counted (false: this browser had voted before).
    pub counted: bool,
}

/// `POST /v1/photos` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoUploaded {
    /// The client's upload id.
    pub id: String,
    /// Where the re-encoded image is served once its review is published.
    pub url: String,
    /// Width in pixels after re-encoding.
    pub width: u32,
    /// Height in pixels after re-encoding.
    pub height: u32,
}

#[cfg(test)]
mod tests {
    use super::ReviewRequestQuery;

    #[test]
    fn a_review_request_query_round_trips() {
        let query = ReviewRequestQuery {
            store: "acme".into(),
            token: Some("v1.order".into()),
        };
        let text = serde_json::to_string(&query).expect("serialise");
        assert_eq!(text, r#"{"store":"acme","token":"v1.order"}"#);
        assert_eq!(
            serde_json::from_str::<ReviewRequestQuery>(&text).ok(),
            Some(query)
        );
        let bare: ReviewRequestQuery = serde_json::from_str(r#"{"store":"acme"}"#).expect("parse");
        assert_eq!(bare.token, None);
        assert!(serde_json::from_str::<ReviewRequestQuery>(r#"{"token":"t"}"#).is_err());
    }
}
