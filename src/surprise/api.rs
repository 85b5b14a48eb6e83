//! The QR landing page's network side: queueing `surprise.redeemed` through the outbox,
//! calling `POST /v1/surprise/redeem` with retries, and the published odds; and the code the
//! page was opened with. What this browser remembers per code is in [`super::storage`].

use super::codes;
use super::record::CodeRecord;
use super::storage;
use crate::browser::{now_ms, offline};
use crate::transport::acks;
use crate::transport::http::{self, HttpError};
use crate::transport::results;
use encore_core::backoff::{RetryPolicy, parse_retry_after};
use encore_core::config::WidgetConfig;
use encore_core::events::EventBody;
use encore_core::surprise::redeem::{PublishedOdds, RedeemRequest, Redemption, SurpriseRedeemed};
use gloo_timers::future::TimeoutFuture;
use std::cell::Cell;
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

/// The code this landing page was opened with: the element's `code` attribute, else the
/// page URL's `?c=`.
pub fn initial_code(config: &WidgetConfig) -> Option<String> {
    if let Some(code) = config.attached_code() {
        return Some(code.to_owned());
    }
    let search = web_sys::window()?.location().search().ok()?;
    codes::from_query(&search)
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
    let record = storage::record(&config.store, code);
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
                    let mut now = storage::record(&config.store, &code);
                    now.queued = true;
                    storage::save(&config.store, &code, &now);
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
