//! The product page's reviews: summary with histogram filters, the list, and "write a review".
//!
//! `product_reviews` is the section that ties them together; state lives in one reducer
//! ([`state`]); network and storage in [`api`]; the JSON-LD for search engines in [`jsonld`];
//! `card`, `controls`, `lightbox` and `summary` are leaf components that emit callbacks, and
//! `strings` the words in both languages.

pub mod api;
pub mod card;
pub mod controls;
pub mod jsonld;
pub mod lightbox;
pub mod product_reviews;
pub mod state;
pub mod strings;
pub mod summary;

pub use product_reviews::ProductReviews;
