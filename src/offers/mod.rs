//! Member-only offers: a member's offers with their claims, a guest's locked benefits with the
//! join link, and the store's weekly drop with a countdown.
//!
//! `state` holds the pure reducer, `api` the side effects, `panel` the component that ties
//! them together, `card`, `locked` and `countdown` the views, `dates` and `strings` the words
//! and times in both languages, `link` which join addresses may be linked, and `focus` where
//! keyboard focus goes when the element that had it is replaced.

pub mod api;
pub mod card;
pub mod countdown;
pub mod dates;
pub mod focus;
pub mod link;
pub mod locked;
pub mod panel;
pub mod state;
pub mod strings;

pub use panel::OffersPanel;
