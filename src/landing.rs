//! The referral landing the loader remembered (`?ref=CODE`), reported by the widget as a
//! `referral.landed` result the next time it runs on the store's pages, and kept (marked as
//! reported) until an order-confirmation page attributes an order to it.

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

/// Takes the remembered landing not yet reported, once per page even with several widgets on
/// it. Anything malformed in storage (it is the page's to write to) is discarded.
pub fn take() -> Option<ReferralLanded> {
    if CLAIMED.with(|c| c.replace(true)) {
        return None;
    }
    let raw = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    match parse(&raw) {
        Some((landed, false)) => Some(landed),
        Some((_, true)) => None,
        None => {
            forget();
            None
        }
    }
}

/// The remembered landing, reported or not: the code a friend's welcome and an order's
/// attribution use.
pub fn remembered() -> Option<ReferralLanded> {
    let raw = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    parse(&raw).map(|(landed, _)| landed)
}

/// What the loader stores under [`STORAGE_KEY`]; `reported` is the widget's own mark.
#[derive(serde::Deserialize, serde::Serialize)]
struct Remembered {
    code: String,
    at: f64,
    page: Option<String>,
    #[serde(default)]
    reported: bool,
}

/// Parses what the loader stored (`{"code": "...", "at": <ms>, "page": "..."}`), with whether
/// the widget has reported it already.
pub fn parse(raw: &str) -> Option<(ReferralLanded, bool)> {
    let stored: Remembered = serde_json::from_str(raw).ok()?;
    let landed_at = Some(stored.at).filter(|n| n.is_finite() && *n >= 0.0)? as u64;
    let landed = ReferralLanded {
        code: Some(stored.code).filter(|c| is_referral_code(c))?,
        landed_at,
        page: stored.page.filter(|p| p.len() <= 2048),
    };
    Some((landed, stored.reported))
}

/// Marks `landed` as reported once its result is safely queued; it stays remembered for the
/// order it may lead to. A newer landing the loader stored meanwhile is left alone.
pub fn mark_reported(landed: &ReferralLanded) {
    let Some(storage) = storage() else {
        return;
    };
    if remembered().as_ref() != Some(landed) {
        return;
    }
    let marked = Remembered {
        code: landed.code.clone(),
        at: landed.landed_at as f64,
        page: landed.page.clone(),
        reported: true,
    };
    if let Ok(json) = serde_json::to_string(&marked) {
        let _ = storage.set_item(STORAGE_KEY, &json);
    }
}

/// Clears the remembered landing once an order has been attributed to it.
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
        let alex = ReferralLanded {
            code: "ALEX-15".into(),
            landed_at: 1_700_000_000_000,
            page: Some("https://shop.example/".into()),
        };
        assert_eq!(good, Some((alex.clone(), false)));
        let reported = parse(
            r#"{"code":"ALEX-15","at":1700000000000,"page":"https://shop.example/","reported":true}"#,
        );
        assert_eq!(reported, Some((alex, true)));
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
