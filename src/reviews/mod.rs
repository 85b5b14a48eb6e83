//! Reviews: the product page (summary, list, photos, helpful votes, JSON-LD) and the review
//! form, opened in place on the product page or from a review-request link.

pub mod form;
pub mod product;
