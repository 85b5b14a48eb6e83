//! The referral landing the loader remembered (`?ref=CODE`), reported by the widget as a
//! `referral.landed` result the next time it runs on the store's pages, and kept (marked as
//! reported) until an order-confirmation page attributes an order to it.

use crate::storage::local_storage;
use crate::transport::results::new_event_id;
use encore_core::event_id::EventId;
use encore_core::events::ReferralLanded;
use encore_core::referral::link::is_referral_code;
use std::cell::Cell;

/// The first-party storage key the loader writes (see www/encore.js).
pub const STORAGE_KEY: &str = "encore:ref";

thread_local! {
    static CLAIMED: Cell<bool> = const { Cell::new(false) };
}

/// Takes the remembered landing not yet reported, with the id to queue its result under, once
/// per page even with several widgets on it.
pub fn take() -> Option<(ReferralLanded, EventId)> {
    if CLAIMED.with(|c| c.replace(true)) {
        return None;
    }
    unreported()
}

/// The remembered landing not yet reported and its result's id. The id is stored with the
/// landing before the result is queued: a shopper who leaves the page between queueing and
/// [`mark_reported`] gets the same result queued again under the same id on the next page, and
/// the endpoint counts the visit once. Anything malformed in storage (it is the page's to write
/// to) is discarded.
pub fn unreported() -> Option<(ReferralLanded, EventId)> {
    let storage = local_storage()?;
    let raw = storage.get_item(STORAGE_KEY).ok().flatten()?;
    let Some((landed, mut stored)) = decode(&raw) else {
        forget();
        return None;
    };
    if stored.reported {
        return None;
    }
    if let Some(id) = stored.id.as_deref().and_then(|id| EventId::parse(id).ok()) {
        return Some((landed, id));
    }
    let id = new_event_id();
    stored.id = Some(id.to_string());
    write(&storage, &stored);
    Some((landed, id))
}

/// The remembered landing, reported or not: the code a friend's welcome and an order's
/// attribution use.
pub fn remembered() -> Option<ReferralLanded> {
    let raw = local_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    decode(&raw).map(|(landed, _)| landed)
}

/// What the loader stores under [`STORAGE_KEY`]; `reported` and `id` are the widget's own.
#[derive(serde::Deserialize, serde::Serialize)]
struct Remembered {
    code: String,
    at: f64,
    page: Option<String>,
    #[serde(default)]
    reported: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
}

/// Parses what the loader stored (`{"code": "...", "at": <ms>, "page": "..."}`), with whether
/// the widget has reported it already.
pub fn parse(raw: &str) -> Option<(ReferralLanded, bool)> {
    decode(raw).map(|(landed, stored)| (landed, stored.reported))
}

fn decode(raw: &str) -> Option<(ReferralLanded, Remembered)> {
    let stored: Remembered = serde_json::from_str(raw).ok()?;
    let landed_at = Some(stored.at).filter(|n| n.is_finite() && *n >= 0.0)? as u64;
    let landed = ReferralLanded {
        code: Some(stored.code.clone()).filter(|c| is_referral_code(c))?,
        landed_at,
        page: stored.page.clone().filter(|p| p.len() <= 2048),
        // Added as the result is queued (see `app::report_start`): the loader knows no device.
        device: None,
    };
    Some((landed, stored))
}

fn write(storage: &web_sys::Storage, stored: &Remembered) {
    if let Ok(json) = serde_json::to_string(stored) {
        let _ = storage.set_item(STORAGE_KEY, &json);
    }
}

/// Marks `landed` as reported once its result is safely queued; it stays remembered for the
/// order it may lead to. A newer landing the loader stored meanwhile is left alone.
pub fn mark_reported(landed: &ReferralLanded) {
    let Some(storage) = local_storage() else {
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
        id: None,
    };
    write(&storage, &marked);
}

/// Clears the remembered landing once an order has been attributed to it.
pub fn forget() {
    if let Some(storage) = local_storage() {
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
            device: None,
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

    #[test]
    fn the_result_id_is_kept_with_the_landing() {
        let id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let raw = format!(r#"{{"code":"ALEX-15","at":1,"page":null,"id":"{id}"}}"#);
        let (landed, stored) = decode(&raw).expect("a landing");
        assert_eq!(stored.id.as_deref(), Some(id));
        let written = serde_json::to_string(&stored).expect("serialises");
        let (again, kept) = decode(&written).expect("still a landing");
        assert_eq!((again, kept.id.as_deref()), (landed, Some(id)));
    }
}
