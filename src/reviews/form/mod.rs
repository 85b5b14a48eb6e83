//! The review form and the review request (`mode="review"`).
//!
//! `review_form` is the form for one product, `request` the order's items reviewed one after
//! another (with `steps`, its pure progress); `state` holds the form's pure reducer, `counter`
//! the character counter's rules, `problems` the words and places of its mistakes; `fields`,
//! `photo_picker` and `outcome` are the views, `photos` the in-browser photo preparation,
//! `photo_files` the prepared files kept beside the reducer, `api` the side effects, and
//! `strings` every word in both languages.

pub mod api;
pub mod counter;
pub mod fields;
pub mod outcome;
pub mod photo_files;
pub mod photo_picker;
pub mod photos;
pub mod problems;
pub mod request;
pub mod review_form;
pub mod state;
pub mod steps;
pub mod strings;

pub use request::ReviewRequest;
pub use review_form::ReviewForm;
