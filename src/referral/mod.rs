//! Referral, the widget's side: the advocate's panel with their personal link and every way to
//! share it (`mode="referral"`, and on the order confirmation), the friend's welcome
//! (`mode="referral-welcome"`), and the attribution of an order to a remembered landing.
//!
//! `state` holds the pure reducer, `api` the side effects, `panel` and `welcome` the
//! components, `share` the channel buttons and the QR download, `strings` the words.

pub mod api;
pub mod panel;
pub mod share;
pub mod state;
pub mod strings;
pub mod welcome;

pub use panel::ReferralPanel;
pub use welcome::ReferralWelcomeBanner;
