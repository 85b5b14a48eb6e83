//! A store's products and review settings (`[[store.products]]`, `[store.reviews]`): the form,
//! moderation and reward rules, and the rate limits, checked before serving.

use encore_core::length_caps::MAX_ID_LEN;
use encore_core::reviews::moderation::{AutoPublish, RewardRule};
use encore_core::reviews::{
    DEFAULT_MIN_BODY, FormSpec, MAX_ANSWER_LEN, MAX_ANSWERS, Question, QuestionKind,
};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;

/// A product the store names, so pages and review requests can show its display name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// The id widgets send as their `product` attribute.
    pub id: String,
    /// The display name.
    pub name: String,
}

/// How a store takes reviews.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewSettings {
    /// The review form (minimum body length and custom questions).
    pub form: FormSpec,
    /// Which reviews go live without the store looking at them.
    pub auto_publish: AutoPublish,
    /// The coupon given for reviews, if any.
    pub reward: Option<RewardRule>,
    /// How much one client or product may post.
    pub limits: ReviewLimits,
}

/// Rate limits of the review routes (`[store.reviews.limits]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewLimits {
    /// Reviews accepted from one IP address per hour.
    pub reviews_per_ip_per_hour: u32,
    /// Reviews accepted for one product per hour.
    pub reviews_per_product_per_hour: u32,
    /// Helpful votes accepted from one IP address per minute.
    pub helpful_per_ip_per_minute: u32,
    /// Photo uploads accepted from one IP address per hour.
    pub photos_per_ip_per_hour: u32,
}

impl Default for ReviewLimits {
    fn default() -> Self {
        ReviewLimits {
            reviews_per_ip_per_hour: 10,
            reviews_per_product_per_hour: 120,
            helpful_per_ip_per_minute: 30,
            photos_per_ip_per_hour: 60,
        }
    }
}

/// `[store.reviews]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReviews {
    min_body: Option<u16>,
    #[serde(default)]
    questions: Vec<Question>,
    #[serde(default)]
    auto_publish: AutoPublish,
    reward: Option<RewardRule>,
    #[serde(default)]
    limits: ReviewLimits,
}

/// What is wrong with a store's products or review settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewConfigError {
    /// A product with an empty id or name.
    EmptyProduct(String),
    /// Two products with one id.
    DuplicateProduct(String),
    /// A question with an empty id.
    EmptyQuestionId,
    /// Two questions with one id.
    DuplicateQuestion(String),
    /// A choice question without options, or with an empty or repeated option value.
    BadOptions(String),
    /// A scale question whose `min` is above its `max`.
    BadScale(String),
    /// An id or value longer than the results that carry it may be (docs/endpoint.md, "Length
    /// caps"), or more questions than a review may answer: it could never be sent back.
    OverCap(String),
    /// A reward with an empty code.
    EmptyRewardCode,
    /// A star threshold outside 1–5.
    BadThreshold,
}

impl fmt::Display for ReviewConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReviewConfigError::EmptyProduct(id) => {
                write!(f, "product {id:?} needs a non-empty id and name")
            }
            ReviewConfigError::DuplicateProduct(id) => {
                write!(f, "product {id:?} is configured twice")
            }
            ReviewConfigError::EmptyQuestionId => f.write_str("a review question has an empty id"),
            ReviewConfigError::DuplicateQuestion(id) => {
                write!(f, "review question {id:?} is configured twice")
            }
            ReviewConfigError::BadOptions(id) => write!(
                f,
                "review question {id:?} needs at least one option, each with a distinct non-empty value"
            ),
            ReviewConfigError::BadScale(id) => {
                write!(f, "review question {id:?} has min above max")
            }
            ReviewConfigError::OverCap(what) => write!(
                f,
                "{what}: reviews could not carry it (see \"Length caps\" in docs/endpoint.md)"
            ),
            ReviewConfigError::EmptyRewardCode => {
                f.write_str("the review reward has an empty code")
            }
            ReviewConfigError::BadThreshold => {
                f.write_str("auto_publish star thresholds must be 1 to 5")
            }
        }
    }
}

/// Checks the product list.
pub(super) fn check_products(products: &[Product]) -> Result<(), ReviewConfigError> {
    let mut seen = HashSet::new();
    for product in products {
        if product.id.trim().is_empty() || product.name.trim().is_empty() {
            return Err(ReviewConfigError::EmptyProduct(product.id.clone()));
        }
        if !seen.insert(product.id.as_str()) {
            return Err(ReviewConfigError::DuplicateProduct(product.id.clone()));
        }
        if product.id.chars().count() > MAX_ID_LEN {
            return Err(ReviewConfigError::OverCap(format!(
                "product id {:?} is longer than {MAX_ID_LEN} characters",
                product.id
            )));
        }
    }
    Ok(())
}

/// Checks `[store.reviews]` and fills in the defaults.
pub(super) fn validate(raw: RawReviews) -> Result<ReviewSettings, ReviewConfigError> {
    if raw.questions.len() > MAX_ANSWERS {
        return Err(ReviewConfigError::OverCap(format!(
            "{} review questions, more than {MAX_ANSWERS}",
            raw.questions.len()
        )));
    }
    let over_cap = |text: &str| text.chars().count() > MAX_ANSWER_LEN;
    let mut ids = HashSet::new();
    for question in &raw.questions {
        if question.id.trim().is_empty() {
            return Err(ReviewConfigError::EmptyQuestionId);
        }
        let long_value = match &question.kind {
            QuestionKind::Choice { options } => options.iter().find(|o| over_cap(&o.value)),
            QuestionKind::Scale { .. } => None,
        };
        if over_cap(&question.id) || long_value.is_some() {
            return Err(ReviewConfigError::OverCap(format!(
                "review question {:?} has an id or option value longer than {MAX_ANSWER_LEN} \
                 characters",
                question.id
            )));
        }
        if !ids.insert(question.id.as_str()) {
            return Err(ReviewConfigError::DuplicateQuestion(question.id.clone()));
        }
        match &question.kind {
            QuestionKind::Choice { options } => {
                let mut values = HashSet::new();
                let distinct = options
                    .iter()
                    .all(|o| !o.value.is_empty() && values.insert(o.value.as_str()));
                if options.is_empty() || !distinct {
                    return Err(ReviewConfigError::BadOptions(question.id.clone()));
                }
            }
            QuestionKind::Scale { min, max } => {
                if min > max {
                    return Err(ReviewConfigError::BadScale(question.id.clone()));
                }
            }
        }
    }
    if raw
        .reward
        .as_ref()
        .is_some_and(|r| r.code.trim().is_empty())
    {
        return Err(ReviewConfigError::EmptyRewardCode);
    }
    let thresholds = [
        raw.auto_publish.verified_min_rating,
        raw.auto_publish.unverified_min_rating,
    ];
    if thresholds
        .into_iter()
        .flatten()
        .any(|t| !(1..=5).contains(&t))
    {
        return Err(ReviewConfigError::BadThreshold);
    }
    Ok(ReviewSettings {
        form: FormSpec {
            min_body: raw.min_body.unwrap_or(DEFAULT_MIN_BODY),
            questions: raw.questions,
        },
        auto_publish: raw.auto_publish,
        reward: raw.reward,
        limits: raw.limits,
    })
}
