//! `page-costs`: what the widget costs the demo product page, measured over fresh page loads in
//! headless Chromium (the `page-costs` binary drives it).
//!
//! - [`probe`]: the scripts run in the page, and the shapes of what they read back.
//! - [`visit`]: one page load, from navigation to the widget's reviews, as figures.
//! - [`summary`]: the figures of many visits as the report's JSON keys.

pub mod probe;
pub mod summary;
pub mod visit;
