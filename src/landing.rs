//! The referral landing the loader remembered (`?ref=CODE`), reported by the widget as a
//! `referral.landed` result the next time it runs on the store's pages.

use encore_core::events::{ReferralLanded, is_referral_code};
use std::cell::Cell;

/// The first-party storage key the loader writes (see www/encore.js).
pub const STORAGE_KEY: &str = "encore:ref";

thread_local! {
    static CLAIMED: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Takes the remembered landing, once per page even with several widgets on it. Anything
/// malformed in storage (it is the page's to write to) is discarded.
pub fn take() -> Option<ReferralLanded> {
    if CLAIMED.with(|c| c.replace(true)) {
        return None;
    }
    let raw = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    let parsed = parse(&raw);
    if parsed.is_none() {
        forget();
    }
    parsed
}

/// What the loader stores under [`STORAGE_KEY`].
#[derive(serde::Deserialize)]
struct Remembered {
    code: String,
    at: f64,
    page: Option<String>,
}

/// Parses what the loader stored: `{"code": "...", "at": <ms>, "page": "..."}`.
pub fn parse(raw: &str) -> Option<ReferralLanded> {
    let stored: Remembered = serde_json::from_str(raw).ok()?;
    let landed_at = Some(stored.at).filter(|n| n.is_finite() && *n >= 0.0)? as u64;
    Some(ReferralLanded {
        code: Some(stored.code).filter(|c| is_referral_code(c))?,
        landed_at,
        page: stored.page.filter(|p| p.len() <= 2048),
    })
}

/// Clears the remembered landing once its result is safely queued.
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_landing_is_parsed_and_bad_ones_are_not() {
        let good = parse(r#"{"code":"ALEX-15","at":1700000000000,"page":"https://shop.example/"}"#);
        assert_eq!(
            good,
            Some(ReferralLanded {
                code: "ALEX-15".into(),
                landed_at: 1_700_000_000_000,
                page: Some("https://shop.example/".into())
            })
        );
        for bad in [
            "",
            "null",
            "{}",
            r#"{"code":"<b>","at":1}"#,
            r#"{"code":"A","at":-1}"#,
            r#"{"code":"A"}"#,
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
