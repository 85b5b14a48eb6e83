//! The review moderation queue: the filter (as the console's address bar and the admin API's
//! query carry it), one page of reviews with everything a moderator decides on, and the
//! requests that change a review.

use super::query_string;
use crate::reviews::{Answer, ProductInfo, StoreReply};
use serde::{Deserialize, Serialize};

/// Reviews on one page of the queue.
pub const PAGE_SIZE: u32 = 25;
/// The most reviews one bulk request may change.
pub const MAX_BULK: usize = 200;
/// The longest search text, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;
/// The longest reason for a rejection, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// The longest store reply, in characters.
pub const MAX_REPLY_CHARS: usize = 2000;

/// Where a review stands with the store (the queue's tabs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Waiting for the store to approve or reject it.
    #[default]
    Pending,
    /// Shown on the product page.
    Published,
    /// Refused by the store; never shown.
    Rejected,
}

impl ReviewStatus {
    /// Every status, in the order of the console's tabs.
    pub const ALL: [ReviewStatus; 3] = [
        ReviewStatus::Pending,
        ReviewStatus::Published,
        ReviewStatus::Rejected,
    ];

    /// The spelling in the API and the console's address.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Published => "published",
            ReviewStatus::Rejected => "rejected",
        }
    }

    /// The status spelled `value`; `held` is the database's and the CLI's word for pending.
    pub fn parse(value: &str) -> Option<ReviewStatus> {
        match value {
            "held" => Some(ReviewStatus::Pending),
            _ => ReviewStatus::ALL.into_iter().find(|s| s.as_str() == value),
        }
    }
}

/// Which reviews the queue shows: one tab, narrowed by any of the filters. Newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueFilter {
    /// The tab.
    pub status: ReviewStatus,
    /// Only this many stars.
    pub rating: Option<u8>,
    /// Only this product (its id, exact).
    pub product: Option<String>,
    /// Only verified buyers (`Some(true)`) or only unverified (`Some(false)`).
    pub verified: Option<bool>,
    /// Only reviews with photos (`Some(true)`) or without (`Some(false)`).
    pub photos: Option<bool>,
    /// Written on or after this day (`YYYY-MM-DD`, the store's time zone).
    pub from: Option<String>,
    /// Written on or before this day (`YYYY-MM-DD`, the store's time zone).
    pub to: Option<String>,
    /// Text found in the title, body or name (case-insensitive for ASCII letters).
    pub search: Option<String>,
    /// The page, from 0.
    pub page: u32,
}

/// Why a queue filter was refused (the admin API answers 400 with this message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(pub String);

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl QueueFilter {
    /// The filter as a query string (without `?`), defaults left out, so a plain queue has a
    /// plain address.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.status != ReviewStatus::Pending {
            pairs.push(("status", self.status.as_str().to_owned()));
        }
        if let Some(r) = self.rating {
            pairs.push(("rating", r.to_string()));
        }
        if let Some(p) = &self.product {
            pairs.push(("product", p.clone()));
        }
        if let Some(v) = self.verified {
            pairs.push(("verified", v.to_string()));
        }
        if let Some(p) = self.photos {
            pairs.push(("photos", p.to_string()));
        }
        if let Some(d) = &self.from {
            pairs.push(("from", d.clone()));
        }
        if let Some(d) = &self.to {
            pairs.push(("to", d.clone()));
        }
        if let Some(q) = &self.search {
            pairs.push(("q", q.clone()));
        }
        if self.page > 0 {
            pairs.push(("page", self.page.to_string()));
        }
        query_string::encode(&pairs)
    }

    /// The filter in `query`; unknown keys are ignored (a future console may add some), a bad
    /// value is refused with a message naming the key. Empty values mean "no filter".
    pub fn from_query(query: &str) -> Result<QueueFilter, FilterError> {
        let mut filter = QueueFilter::default();
        for (key, value) in query_string::decode(query) {
            let value = value.trim().to_owned();
            if value.is_empty() {
                continue;
            }
            let bad = || FilterError(format!("{key}: {value:?} is not a valid value"));
            match key.as_str() {
                "status" => filter.status = ReviewStatus::parse(&value).ok_or_else(bad)?,
                "rating" => {
                    let r: u8 = value.parse().map_err(|_| bad())?;
                    if !(1..=5).contains(&r) {
                        return Err(bad());
                    }
                    filter.rating = Some(r);
                }
                "product" => {
                    if value.chars().count() > crate::length_caps::MAX_ID_LEN {
                        return Err(bad());
                    }
                    filter.product = Some(value);
                }
                "verified" => filter.verified = Some(parse_bool(&value).ok_or_else(bad)?),
                "photos" => filter.photos = Some(parse_bool(&value).ok_or_else(bad)?),
                "from" | "to" => {
                    if !is_day(&value) {
                        return Err(bad());
                    }
                    if key == "from" {
                        filter.from = Some(value);
                    } else {
                        filter.to = Some(value);
                    }
                }
                "q" => {
                    if value.chars().count() > MAX_SEARCH_CHARS {
                        return Err(FilterError(format!(
                            "q: the search is longer than {MAX_SEARCH_CHARS} characters"
                        )));
                    }
                    filter.search = Some(value);
                }
                "page" => filter.page = value.parse().map_err(|_| bad())?,
                _ => {}
            }
        }
        Ok(filter)
    }

    /// The same filter on another tab, from its first page.
    pub fn on_tab(&self, status: ReviewStatus) -> QueueFilter {
        QueueFilter {
            status,
            page: 0,
            ..self.clone()
        }
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// Whether `value` is a calendar day written `YYYY-MM-DD`.
pub fn is_day(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// How many reviews each tab holds under the current filters (the tab itself aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TabCounts {
    /// Pending reviews.
    pub pending: u64,
    /// Published reviews.
    pub published: u64,
    /// Rejected reviews.
    pub rejected: u64,
}

/// Why a review is or is not from a verified buyer, for the moderator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// A valid order token for this product came with the review.
    OrderToken,
    /// An order id came without a valid token for this product (it was not believed).
    UnprovenOrder,
    /// No order came with the review (written from the product page).
    NoOrder,
}

/// A spam signal that held a review for a person to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldSignal {
    /// The form was filled faster than the store's threshold.
    Fast,
    /// The text holds a link.
    Link,
    /// The review has photos and the store holds every review with photos.
    Photos,
    /// The rating is under the store's auto-publish minimum.
    Rating,
}

impl HoldSignal {
    /// Every signal.
    pub const ALL: [HoldSignal; 4] = [
        HoldSignal::Fast,
        HoldSignal::Link,
        HoldSignal::Photos,
        HoldSignal::Rating,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldSignal::Fast => "fast",
            HoldSignal::Link => "link",
            HoldSignal::Photos => "photos",
            HoldSignal::Rating => "rating",
        }
    }

    /// The signal spelled `value`.
    pub fn parse(value: &str) -> Option<HoldSignal> {
        HoldSignal::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// A review's photo as the moderator sees it, hidden or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePhoto {
    /// The photo's server-made name (its id in the admin API).
    pub name: String,
    /// Where the image is (the public photo URL; hidden photos are served to the console
    /// through the admin API).
    pub url: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Hidden by the store: never on the storefront.
    pub hidden: bool,
}

/// One review in the queue, with everything a moderator decides on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    /// The review's id (its result id).
    pub id: String,
    /// Its tab.
    pub status: ReviewStatus,
    /// The product.
    pub product: ProductInfo,
    /// Stars, 1 to 5.
    pub rating: u8,
    /// The headline.
    pub title: String,
    /// The text.
    pub body: String,
    /// The reviewer's name as shown.
    pub name: String,
    /// The reviewer's language.
    pub locale: String,
    /// Answers to the store's questions.
    pub answers: Vec<Answer>,
    /// Whether a valid order token proved the purchase.
    pub verified: bool,
    /// The order id the review came with, if any.
    pub order_id: Option<String>,
    /// Why it is or is not verified.
    pub verification: Verification,
    /// The signals that held it (empty when the rules published it or it was never held).
    pub signals: Vec<HoldSignal>,
    /// The reviewer was offered a reward (shown with an incentive badge).
    pub incentivized: bool,
    /// Photos, hidden ones included.
    pub photos: Vec<QueuePhoto>,
    /// The store's public reply.
    pub reply: Option<StoreReply>,
    /// Why it was rejected, if it was.
    pub reject_reason: Option<String>,
    /// When it was written (ms since the epoch).
    pub created_at: u64,
}

/// One page of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    /// How many reviews each tab holds under the filters.
    pub counts: TabCounts,
    /// The reviews of this page, newest first.
    pub reviews: Vec<QueueItem>,
    /// The page.
    pub page: u32,
    /// Whether a next page exists.
    pub has_more: bool,
}

/// `POST /v1/admin/reviews/{id}/reject` and the bulk rejection's reason.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// Why, kept in the audit log (may be empty).
    #[serde(default)]
    pub reason: String,
}

/// `PUT /v1/admin/reviews/{id}/reply`: the store's public reply; empty removes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    /// The reply's text.
    pub body: String,
}

/// What a bulk request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    /// Publish every review.
    Approve,
    /// Reject every review.
    Reject,
}

/// `POST /v1/admin/reviews/bulk`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// Approve or reject.
    pub action: BulkAction,
    /// The reviews, at most [`MAX_BULK`].
    pub ids: Vec<String>,
    /// For a rejection: why.
    #[serde(default)]
    pub reason: String,
}

/// The answer to a bulk request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResult {
    /// How many reviews changed.
    pub changed: u32,
    /// Ids that are not this store's reviews (nothing was done to them).
    pub unknown: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_survives_the_address_bar() {
        let filter = QueueFilter {
            status: ReviewStatus::Rejected,
            rating: Some(2),
            product: Some("tea & co/1".into()),
            verified: Some(false),
            photos: Some(true),
            from: Some("2026-01-31".into()),
            to: Some("2026-02-28".into()),
            search: Some("très bon 茶".into()),
            page: 3,
        };
        assert_eq!(QueueFilter::from_query(&filter.to_query()), Ok(filter));
        assert_eq!(QueueFilter::default().to_query(), "");
    }

    #[test]
    fn bad_values_name_their_key() {
        for (query, key) in [
            ("rating=6", "rating"),
            ("status=spam", "status"),
            ("from=2026-02-30", "from"),
            ("verified=maybe", "verified"),
            ("page=-1", "page"),
        ] {
            let err = QueueFilter::from_query(query).expect_err(query);
            assert!(err.0.starts_with(key), "{err}");
        }
        let long = format!("q={}", "x".repeat(MAX_SEARCH_CHARS + 1));
        assert!(QueueFilter::from_query(&long).is_err());
        assert_eq!(
            QueueFilter::from_query("status=held&q=&unknown=1"),
            Ok(QueueFilter::default())
        );
    }

    #[test]
    fn days_are_calendar_days() {
        assert!(is_day("2024-02-29"));
        assert!(!is_day("2023-02-29"));
        assert!(!is_day("2026-13-01"));
        assert!(!is_day("2026-1-01"));
        assert!(!is_day("２０２６-01-01"));
    }

    #[test]
    fn changing_tab_keeps_filters_and_restarts_paging() {
        let filter = QueueFilter {
            rating: Some(1),
            page: 4,
            ..QueueFilter::default()
        };
        let tab = filter.on_tab(ReviewStatus::Published);
        assert_eq!(
            (tab.status, tab.rating, tab.page),
            (ReviewStatus::Published, Some(1), 0)
        );
    }
}
