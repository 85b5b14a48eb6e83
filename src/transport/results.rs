//! Emitting a result: queue it durably, tell the store's page, then let the sender deliver it.
//! A review with photos is queued together with its photos, in one transaction.

use super::outbox::{self, EnqueueError, StoredResult};
use super::photos::{PendingPhoto, StoredPhoto};
use super::sender;
use crate::browser::now_ms;
use crate::host_event;
use encore_core::config::WidgetConfig;
use encore_core::event_id::EventId;
use encore_core::events::{Event, EventBody};
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

/// The DOM event dispatched on the `<encore-widget>` element for every queued result.
pub const RESULT_EVENT: &str = "encore:result";

/// A fresh result id from the browser's CSPRNG.
pub fn new_event_id() -> EventId {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (very old browser): ids only need to be unique, not secret.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    EventId::from_random_bytes(bytes)
}

/// Queues a result for `config`'s endpoint and store. Resolves once it is stored durably;
/// only then is `encore:result` dispatched on `host` and the sender asked to deliver it.
pub async fn emit(
    host: &HtmlElement,
    config: &WidgetConfig,
    body: EventBody,
) -> Result<Event, EnqueueError> {
    emit_with_photos(host, config, body, Vec::new()).await
}

/// Like [`emit`], under an id the caller chose: a result that names an attempt made
/// elsewhere too (a surprise redemption, whose id is the redemption id). Queueing the same id
/// again replaces the waiting entry, so the endpoint still hears it once.
pub async fn emit_with_id(
    host: &HtmlElement,
    config: &WidgetConfig,
    id: EventId,
    body: EventBody,
) -> Result<Event, EnqueueError> {
    queue(host, config, id, body, Vec::new()).await
}

/// Like [`emit`], with photos to upload before the result is sent. The result and its photos
/// are written in one IndexedDB transaction: a review is never queued without its photos, nor
/// photos without their review. Resolves once that transaction has committed.
pub async fn emit_with_photos(
    host: &HtmlElement,
    config: &WidgetConfig,
    body: EventBody,
    photos: Vec<PendingPhoto>,
) -> Result<Event, EnqueueError> {
    queue(host, config, new_event_id(), body, photos).await
}

async fn queue(
    host: &HtmlElement,
    config: &WidgetConfig,
    id: EventId,
    body: EventBody,
    photos: Vec<PendingPhoto>,
) -> Result<Event, EnqueueError> {
    let event = Event {
        id,
        store: config.store.clone(),
        occurred_at: now_ms(),
        body,
    };
    let json = serde_json::to_string(&event).map_err(|_| EnqueueError::TooLarge)?;
    let entry = StoredResult {
        id: event.id.to_string(),
        endpoint: config.endpoint.as_str().to_owned(),
        at: event.occurred_at,
        action: event.body.is_user_action(),
        body: json,
        attachments: photos.iter().map(|p| p.id.clone()).collect(),
    };
    let stored: Vec<StoredPhoto> = photos
        .iter()
        .map(|p| StoredPhoto::new(p, &entry.endpoint, &config.store))
        .collect();
    outbox::enqueue_with_photos(&entry, &stored).await?;
    sender::remember(&entry);
    sender::kick(&entry.endpoint);
    let detail = js_sys::JSON::parse(&entry.body).unwrap_or(JsValue::NULL);
    host_event::dispatch(host, RESULT_EVENT, &detail);
    Ok(event)
}
