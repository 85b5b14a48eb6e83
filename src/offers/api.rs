//! The member offers' side effects: loading the offers page, queueing a claim through the
//! outbox, telling the store's page that the member token has expired, and reading the
//! browser's motion preference.

use crate::host_event;
use crate::transport::http::{self, HttpError};
use crate::transport::outbox::EnqueueError;
use crate::transport::results;
use encore_core::config::WidgetConfig;
use encore_core::events::EventBody;
use encore_core::offers::{OfferClaimed, OffersPage, OffersQuery};
use web_sys::HtmlElement;

/// The DOM event dispatched on the `<encore-widget>` element when the member token has
/// expired, so that the store's page can sign a fresh one (the loader remounts the widget
/// when the `member-token` attribute changes).
pub const TOKEN_EXPIRED_EVENT: &str = "encore:member-token-expired";

/// What this widget asks `POST /v1/offers`. The `member` attribute is never sent: the server
/// only believes the signed token, which goes in the body, never the URL.
pub fn page_query(config: &WidgetConfig) -> OffersQuery {
    OffersQuery {
        store: config.store.clone(),
        token: config.member_token.clone().filter(|t| !t.is_empty()),
        locale: Some(config.locale.tag().to_owned()),
    }
}

/// Loads what this shopper may see.
pub async fn fetch_page(config: &WidgetConfig) -> Result<OffersPage, HttpError> {
    http::read_json(&config.endpoint.join("/v1/offers"), &page_query(config)).await
}

/// Queues a claim of `offer` as the member `member_token` names; resolves with the result id
/// once it is stored durably (the endpoint's answer comes later, through the acks).
pub async fn claim(
    host: &HtmlElement,
    config: &WidgetConfig,
    offer: &str,
    member_token: &str,
) -> Result<String, EnqueueError> {
    let body = EventBody::OfferClaimed(OfferClaimed {
        offer: offer.to_owned(),
        member_token: member_token.to_owned(),
    });
    let event = results::emit(host, config, body).await?;
    Ok(event.id.to_string())
}

/// Whether the shopper asked for less motion (`prefers-reduced-motion: reduce`).
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok())
        .flatten()
        .is_some_and(|query| query.matches())
}

/// Dispatches [`TOKEN_EXPIRED_EVENT`] on `host`: bubbling and composed, so a listener on the
/// document hears it; `detail.store` names the store.
pub fn tell_token_expired(host: &HtmlElement, store: &str) {
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"store".into(), &store.into());
    host_event::dispatch(host, TOKEN_EXPIRED_EVENT, &detail);
}
