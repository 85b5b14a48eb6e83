//! Referral's side effects: loading the advocate's panel and the friend's welcome, queueing a
//! share, and attributing an order on the order-confirmation page to the remembered landing.

use crate::console::warn;
use crate::device::device_id;
use crate::referral_landing;
use crate::transport::http::{self, HttpError};
use crate::transport::outbox::EnqueueError;
use crate::transport::results;
use encore_core::config::WidgetConfig;
use encore_core::events::EventBody;
use encore_core::referral::page::{ReferralPage, ReferralQuery, ReferralWelcome};
use encore_core::referral::results::{ReferralOrdered, ReferralShared, SharedVia};
use web_sys::HtmlElement;

/// The token that says who the advocate is: the member token when the page has one (a
/// signed-in member keeps one link across orders), else the order token.
pub fn advocate_token(config: &WidgetConfig) -> Option<&str> {
    [&config.member_token, &config.order_token]
        .into_iter()
        .find_map(|t| t.as_deref().filter(|t| !t.is_empty()))
}

/// What this widget asks `POST /v1/referral`, or `None` without a token. The token goes in
/// the body, never the URL.
pub fn page_query(config: &WidgetConfig) -> Option<ReferralQuery> {
    Some(ReferralQuery {
        store: config.store.clone(),
        token: Some(advocate_token(config)?.to_owned()),
        locale: Some(config.locale.tag().to_owned()),
    })
}

/// Loads the advocate's link, terms and counts.
pub async fn fetch_page(
    config: &WidgetConfig,
    query: &ReferralQuery,
) -> Result<ReferralPage, HttpError> {
    http::read_json(&config.endpoint.join("/v1/referral"), query).await
}

/// Loads the friend's welcome for `code`.
pub async fn fetch_welcome(
    config: &WidgetConfig,
    code: &str,
) -> Result<ReferralWelcome, HttpError> {
    let url = format!(
        "{}?store={}&locale={}&code={}",
        config.endpoint.join("/v1/referral/welcome"),
        http::encode(&config.store),
        http::encode(config.locale.tag()),
        http::encode(code),
    );
    http::get_json(&url).await
}

/// Queues a `referral.shared` result.
pub async fn shared(
    host: &HtmlElement,
    config: &WidgetConfig,
    code: &str,
    via: SharedVia,
) -> Result<(), EnqueueError> {
    let body = EventBody::ReferralShared(ReferralShared {
        code: code.to_owned(),
        via,
    });
    results::emit(host, config, body).await.map(|_| ())
}

/// On an order-confirmation page with an order token: queues `referral.ordered` for the
/// landing this browser remembers, then forgets the landing so one visit credits one order.
/// The server decides what the order earns; nothing here is trusted.
pub async fn attribute_order(host: &HtmlElement, config: &WidgetConfig) {
    let Some(token) = config.order_token.as_deref().filter(|t| !t.is_empty()) else {
        return;
    };
    let Some(landed) = referral_landing::remembered() else {
        return;
    };
    let body = EventBody::ReferralOrdered(ReferralOrdered {
        code: landed.code,
        landed_at: landed.landed_at,
        order_token: token.to_owned(),
        // The same per-browser id the surprise limits use, so one device is one device.
        device: device_id(&config.store),
    });
    match results::emit(host, config, body).await {
        Ok(_) => referral_landing::forget(),
        Err(err) => warn(&format!("could not queue the referred order: {err}")),
    }
}

/// Whether the browser has the Web Share API (`navigator.share`).
pub fn can_share_natively() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w.navigator(), &"share".into()).is_ok_and(|f| f.is_function())
    })
}

/// Opens the system share sheet; `true` when the shopper shared (not when they cancelled).
pub async fn share_natively(title: &str, text: &str, url: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let data = js_sys::Object::new();
    for (key, value) in [("title", title), ("text", text), ("url", url)] {
        let _ = js_sys::Reflect::set(&data, &key.into(), &value.into());
    }
    // Called by name: web-sys gates `share` behind unstable APIs.
    let Some(share) = js_sys::Reflect::get(&navigator, &"share".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let Ok(promise) = share.call1(&navigator, &data) else {
        return false;
    };
    match promise.dyn_into::<js_sys::Promise>() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}
