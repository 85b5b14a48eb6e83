//! The QR landing page's side effects: this browser's device id and per-code records (in
//! `localStorage`, in memory when storage is refused), queueing `surprise.redeemed`, calling
//! `POST /v1/surprise/redeem` with retries, the published odds, and what the page and its
//! element say (the code in the URL or the `code` attribute, the reveal style).

use super::codes;
use super::record::{CodeRecord, device_key, record_key};
use crate::transport::acks;
use crate::transport::http::{self, HttpError};
use crate::transport::results;
use encore_core::backoff::{RetryPolicy, parse_retry_after};
use encore_core::config::WidgetConfig;
use encore_core::events::EventBody;
use encore_core::surprise::redeem::{
    PublishedOdds, RedeemRequest, Redemption, SurpriseRedeemed, is_device_id,
};
use gloo_timers::future::TimeoutFuture;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::HtmlElement;

/// Retries of a redemption: quick at first, never more than half a minute apart, so a shopper
/// coming back online sees the prize soon.
const POLICY: RetryPolicy = RetryPolicy {
    base_ms: 1_000,
    cap_ms: 30_000,
    max_retry_after_ms: 3_600_000,
};

/// How often a wait between tries looks whether it may end early.
const WAIT_STEP_MS: u64 = 250;

thread_local! {
    /// What could not be kept in `localStorage` (private mode, storage disabled).
    static MEMORY: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load(key: &str) -> Option<String> {
    let stored = local_storage().and_then(|s| s.get_item(key).ok().flatten());
    stored.or_else(|| MEMORY.with(|m| m.borrow().get(key).cloned()))
}

fn store(key: &str, value: &str) {
    MEMORY.with(|m| m.borrow_mut().insert(key.to_owned(), value.to_owned()));
    if let Some(storage) = local_storage() {
        // Quota or a blocked storage: the memory copy lasts as long as the page.
        let _ = storage.set_item(key, value);
    }
}

/// This browser's device id for `store`: a random UUID made once and kept.
pub fn device_id(store_id: &str) -> String {
    let key = device_key(store_id);
    if let Some(id) = load(&key).filter(|id| is_device_id(id)) {
        return id;
    }
    let id = results::new_event_id().to_string();
    store(&key, &id);
    id
}

/// This browser's record of `code` (canonical) for `store`, made and kept on first use.
pub fn record(store_id: &str, code: &str) -> CodeRecord {
    let key = record_key(store_id, code);
    if let Some(record) = load(&key).as_deref().and_then(CodeRecord::parse) {
        return record;
    }
    let record = CodeRecord::new(results::new_event_id());
    store(&key, &record.to_json());
    record
}

/// Keeps `record` for `code`.
pub fn save(store_id: &str, code: &str, record: &CodeRecord) {
    store(&record_key(store_id, code), &record.to_json());
}

/// Remembers that the prize of `code` was revealed.
pub fn mark_revealed(store_id: &str, code: &str) {
    let mut record = record(store_id, code);
    if !record.revealed {
        record.revealed = true;
        save(store_id, code, &record);
    }
}

/// The code this landing page was opened with: the element's `code` attribute, else the
/// page URL's `?c=`.
pub fn initial_code(host: &HtmlElement) -> Option<String> {
    if let Some(code) = host.get_attribute("code").filter(|c| !c.trim().is_empty()) {
        return Some(code);
    }
    let search = web_sys::window()?.location().search().ok()?;
    codes::from_query(&search)
}

/// How the prize is revealed: `reveal="box"` for a tap-to-open box, else a scratch card.
pub fn reveal_box(host: &HtmlElement) -> bool {
    host.get_attribute("reveal")
        .is_some_and(|r| r.trim().eq_ignore_ascii_case("box"))
}

/// How long the redemption waits for the browser's storage before it calls the endpoint
/// without a durable copy: storage can be held up for long (Chromium keeps the database busy
/// behind a page frozen in the back/forward cache), and the shopper is watching a spinner.
pub const STORAGE_WAIT_MS: u32 = 3_000;

/// Queues the `surprise.redeemed` result under the redemption id, once per record, waiting
/// for storage at most [`STORAGE_WAIT_MS`]. Queueing goes on after that: once it is stored,
/// the sender delivers it under the same id as the direct call, so the endpoint redeems once.
pub async fn queue_result(
    host: &HtmlElement,
    config: &WidgetConfig,
    code: &str,
    device: &str,
) -> CodeRecord {
    let record = record(&config.store, code);
    if record.queued {
        return record;
    }
    let body = EventBody::SurpriseRedeemed(SurpriseRedeemed {
        code: code.to_owned(),
        device: device.to_owned(),
        member_token: config.member_token.clone(),
    });
    let settled = Rc::new(Cell::new(false));
    {
        let (host, config, code) = (host.clone(), config.clone(), code.to_owned());
        let (id, settled) = (record.redemption.clone(), settled.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match results::emit_with_id(&host, &config, id, body).await {
                Ok(_) => {
                    // Read again: the prize may have been revealed meanwhile.
                    let mut now = self::record(&config.store, &code);
                    now.queued = true;
                    save(&config.store, &code, &now);
                }
                // The direct call still redeems; the page simply has no durable copy.
                Err(err) => crate::console::warn(&format!("could not queue the redemption: {err}")),
            }
            settled.set(true);
        });
    }
    let mut waited = 0;
    while !settled.get() && waited < STORAGE_WAIT_MS {
        TimeoutFuture::new(STORAGE_STEP_MS).await;
        waited += STORAGE_STEP_MS;
    }
    if !settled.get() {
        crate::console::warn("storage is slow: redeeming before the result is queued");
    }
    record
}

/// How often the wait for storage looks whether it is over.
const STORAGE_STEP_MS: u32 = 20;

/// How one attempt to redeem ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The endpoint's answer.
    Answer(Redemption),
    /// 429: try again at this device time (ms), when the server said.
    RateLimited(Option<u64>),
    /// An answer that will not change by asking again (another 4xx, an unreadable body).
    Failed,
    /// The page no longer wants the answer.
    Cancelled,
}

/// What the page hears while an attempt is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The browser is offline; retrying when it is back.
    Offline,
    /// Retrying online.
    Retrying,
}

/// `POST /v1/surprise/redeem` until it gives an answer: network errors, 408 and 5xx are
/// retried with backoff (the same redemption id, so the answer is the same), for as long as
/// `wanted()` holds. A wait is cut short when the browser comes back online or the queued
/// result is acknowledged (then the code is redeemed and the answer is ready).
pub async fn redeem(
    config: &WidgetConfig,
    request: &RedeemRequest,
    wanted: impl Fn() -> bool,
    progress: impl Fn(Progress),
) -> Outcome {
    let url = config.endpoint.join("/v1/surprise/redeem");
    let acknowledged = Rc::new(Cell::new(false));
    let _subscription = {
        let acknowledged = acknowledged.clone();
        acks::on_settled(request.redemption.as_str(), move |_| acknowledged.set(true))
    };
    let mut failures = 0u32;
    while wanted() {
        let retry_after = match http::post_json::<_, Redemption>(&url, request).await {
            Ok(answer) => return Outcome::Answer(answer),
            Err(HttpError::Status {
                status: 429,
                retry_after,
            }) => {
                let now = now_ms();
                let wait = retry_after.and_then(|r| parse_retry_after(&r, now));
                return Outcome::RateLimited(wait.map(|w| now.saturating_add(w)));
            }
            Err(HttpError::Network) => None,
            Err(HttpError::Status {
                status,
                retry_after,
            }) if status == 408 || status >= 500 => {
                retry_after.and_then(|r| parse_retry_after(&r, now_ms()))
            }
            Err(_) => return Outcome::Failed,
        };
        failures += 1;
        progress(if offline() {
            Progress::Offline
        } else {
            Progress::Retrying
        });
        let wait = POLICY.delay_ms(failures, js_sys::Math::random(), retry_after);
        let was_offline = offline();
        // At least a moment between tries, even when jitter says zero.
        let mut waited = 0;
        while waited < wait.max(WAIT_STEP_MS) && wanted() {
            if acknowledged.replace(false) || (was_offline && !offline()) {
                break;
            }
            TimeoutFuture::new(WAIT_STEP_MS as u32).await;
            waited += WAIT_STEP_MS;
        }
    }
    Outcome::Cancelled
}

/// The request for `code` with this browser's record and device.
pub fn request(
    config: &WidgetConfig,
    code: &str,
    record: &CodeRecord,
    device: &str,
) -> RedeemRequest {
    RedeemRequest {
        store: config.store.clone(),
        code: code.to_owned(),
        redemption: record.redemption.clone(),
        device: device.to_owned(),
        member_token: config.member_token.clone(),
        locale: Some(config.locale.tag().to_owned()),
    }
}

/// "How winners are chosen" for `campaign`.
pub async fn odds(config: &WidgetConfig, campaign: u16) -> Result<PublishedOdds, HttpError> {
    let url = format!(
        "{}?store={}&locale={}",
        config
            .endpoint
            .join(&format!("/v1/surprise/campaigns/{campaign}")),
        http::encode(&config.store),
        http::encode(config.locale.tag()),
    );
    http::get_json(&url).await
}

/// Whether the browser says it is offline.
pub fn offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

/// The device's clock (ms since the epoch).
pub fn now_ms() -> u64 {
    crate::transport::sender::now_ms()
}

/// Whether this browser revealed the prize of `code` before (without making a record).
pub fn was_revealed(store_id: &str, code: &str) -> bool {
    load(&record_key(store_id, code))
        .as_deref()
        .and_then(CodeRecord::parse)
        .is_some_and(|r| r.revealed)
}
