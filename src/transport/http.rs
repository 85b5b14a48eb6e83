//! The widget's one way to the endpoint: every request is built here (CORS, no cookies, a
//! deadline), so a rule about requests is kept in one place.
//!
//! JSON in, JSON out, one error enum, for data the widget shows (reviews; and, by `POST` so
//! that no token is ever in a URL, review requests, offers and the referral panel) and for
//! idempotent writes that are safe to repeat (helpful votes, photo uploads); the answer of
//! any status for the sender's batches; and a fire-and-forget `keepalive` post for the batch
//! sent while the page goes away.

use gloo_timers::callback::Timeout;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCredentials, RequestInit, RequestMode, Response};

/// How long a request may go unanswered before it counts as failed and its connection is
/// closed. An endpoint that accepts the connection and never answers must not hold the
/// sender (a batch is at most 60 KiB), a photo upload or a spinner for as long as it stays
/// open.
pub const TIMEOUT_MS: u32 = 30_000;

/// Why a call to the endpoint did not give a usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// No answer: offline, DNS, CORS refusal, connection reset.
    Network,
    /// An answer with this status (4xx/5xx), with `Retry-After` seconds when given.
    Status {
        /// The HTTP status.
        status: u16,
        /// The server's `Retry-After`, raw.
        retry_after: Option<String>,
    },
    /// A 2xx answer whose body is not the JSON expected.
    Decode,
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Network => f.write_str("the endpoint could not be reached"),
            HttpError::Status { status, .. } => write!(f, "the endpoint answered {status}"),
            HttpError::Decode => f.write_str("the endpoint's answer could not be read"),
        }
    }
}

/// `GET url`, decoding a JSON answer.
pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, HttpError> {
    decode(&get_text(url).await?)
}

/// `POST url` with `body` as JSON, decoding a JSON answer.
pub async fn post_json<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<T, HttpError> {
    let text = serde_json::to_string(body).map_err(|_| HttpError::Decode)?;
    let body = JsValue::from_str(&text);
    decode(&post_text(url, "application/json", &body).await?)
}

/// The type a token-carrying read's JSON body is sent as: `text/plain` keeps the `POST` a CORS
/// simple request, so the browser sends it without an `OPTIONS` preflight (an extra round trip
/// per origin that `application/json` or a custom header such as `Authorization` would cost).
pub const READ_BODY_TYPE: &str = "text/plain;charset=UTF-8";

/// A read that carries a token: `POST url` with `fields` as a JSON body typed
/// [`READ_BODY_TYPE`], decoding a JSON answer. The token travels in the body, never in the
/// URL, where proxy and CDN logs would keep it.
pub async fn read_json<B: Serialize, T: DeserializeOwned>(
    url: &str,
    fields: &B,
) -> Result<T, HttpError> {
    let text = serde_json::to_string(fields).map_err(|_| HttpError::Decode)?;
    let body = JsValue::from_str(&text);
    decode(&post_text(url, READ_BODY_TYPE, &body).await?)
}

/// `POST url` with a raw body (a `Blob`, a string) of `content_type`, decoding a JSON answer.
pub async fn post_body<T: DeserializeOwned>(
    url: &str,
    content_type: &str,
    body: &JsValue,
) -> Result<T, HttpError> {
    decode(&post_text(url, content_type, body).await?)
}

/// The endpoint's answer to a request, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The server's `Retry-After`, raw.
    pub retry_after: Option<String>,
    /// The body, when it could be read.
    pub body: Option<String>,
}

/// `POST url` with a JSON `body`, for an answer of any status: the sender reads per-result
/// answers from refusals too. `None` when no answer came (offline, refused, timed out).
pub async fn post_for_reply(url: &str, body: &str) -> Option<Reply> {
    let init = post_init(&JsValue::from_str(body));
    set_content_type(&init, "application/json").ok()?;
    exchange(url, &init, true).await.ok()
}

/// Starts `POST url` with `body` marked `keepalive`, so the browser sends it even as the page
/// goes away, and never reads the answer. The body goes as a plain string (`text/plain`) with
/// no custom header, so it needs no CORS preflight that the browser could drop meanwhile.
pub fn post_keepalive(url: &str, body: &str) {
    let init = post_init(&JsValue::from_str(body));
    // Not in web-sys's RequestInit bindings; it is a plain dictionary member.
    if js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE).is_err() {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.fetch_with_str_and_init(url, &init);
    // The answer may never be read; swallow a rejection so it is not reported as unhandled.
    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
    let _ = promise.catch(&ignore);
    ignore.forget();
}

// The fetches below are not generic, so their state machines exist once in the wasm rather
// than once per answer type; only the decoding above is.

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, HttpError> {
    serde_json::from_str(text).map_err(|_| HttpError::Decode)
}

/// A request as the widget sends every one: CORS, and never a cookie.
fn request_init(method: &str) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init
}

fn post_init(body: &JsValue) -> RequestInit {
    let init = request_init("POST");
    init.set_body(body);
    init
}

fn set_content_type(init: &RequestInit, content_type: &str) -> Result<(), JsValue> {
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", content_type)?;
    init.set_headers(&headers);
    Ok(())
}

async fn get_text(url: &str) -> Result<String, HttpError> {
    text_of(exchange(url, &request_init("GET"), false).await?)
}

async fn post_text(url: &str, content_type: &str, body: &JsValue) -> Result<String, HttpError> {
    let init = post_init(body);
    set_content_type(&init, content_type).map_err(|_| HttpError::Network)?;
    text_of(exchange(url, &init, false).await?)
}

/// The body of a 2xx reply, else the refusal.
fn text_of(reply: Reply) -> Result<String, HttpError> {
    if !(200..300).contains(&reply.status) {
        return Err(HttpError::Status {
            status: reply.status,
            retry_after: reply.retry_after,
        });
    }
    reply.body.ok_or(HttpError::Network)
}

/// Sends `init` to `url` within [`TIMEOUT_MS`] and reads the answer; the body of a non-2xx
/// answer only when `body_of_refusals` (the caller has a use for it).
async fn exchange(
    url: &str,
    init: &RequestInit,
    body_of_refusals: bool,
) -> Result<Reply, HttpError> {
    let abort = AbortController::new().map_err(|_| HttpError::Network)?;
    init.set_signal(Some(&abort.signal()));
    // Aborting rejects the fetch, or the body read if the answer had begun.
    let _deadline = Timeout::new(TIMEOUT_MS, move || abort.abort());
    let window = web_sys::window().ok_or(HttpError::Network)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await
        .map_err(|_| HttpError::Network)?
        .dyn_into()
        .map_err(|_| HttpError::Network)?;
    let retry_after = response.headers().get("Retry-After").ok().flatten();
    let body = if response.ok() || body_of_refusals {
        match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|t| t.as_string()),
            Err(_) => None,
        }
    } else {
        None
    };
    Ok(Reply {
        status: response.status(),
        retry_after,
        body,
    })
}

/// Percent-encodes `value` for a URL path segment or query value.
pub fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}
