//! Member-only offers: a member's offers with their claims, a guest's locked benefits with the
//! join link, and the store's weekly drop with a countdown.
//!
//! `state` holds the pure reducer, `api` the side effects, `panel` the component that ties
//! them together, `card`, `locked` and `countdown` the views, and `strings` the words in both
//! languages. Dates, safe links and focus keeping are shared pieces in `ui/`.

pub mod api;
pub mod card;
pub mod countdown;
pub mod locked;
pub mod panel;
pub mod state;
pub mod strings;

pub use panel::OffersPanel;
