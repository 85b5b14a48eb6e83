//! Encore's measurements behind `cargo xtask bench`. Each binary runs one group of measurements
//! against real parts (the built site, the `encore-server` binary, headless Chromium) and prints
//! one JSON object on stdout; progress goes to stderr.
//!
//! - `page-costs`: what the widget costs a store's page (bytes before visible, first render,
//!   layout shift, long tasks), in headless Chromium over WebDriver and the DevTools protocol.
//! - `server-load`: what the reference server holds (event ingestion under load from this
//!   separate process, the reviews page with 10,000 reviews).
//!
//! Figures that could not be measured are `null`, with the reason in a `notes` array, so the
//! report says what is missing instead of inventing it. Paths come from the environment, as for
//! the end-to-end tests: ENCORE_SITE, ENCORE_SERVER_BIN, ENCORE_CONFIG_DIR, CHROMEDRIVER, CHROME_BIN.

pub mod load;
pub mod page_costs;
pub mod stats;
