//! Reading from and writing to the endpoint outside the outbox: JSON in, JSON out, one error
//! enum. Used for data the widget shows (reviews, review requests) and for idempotent writes
//! that are safe to repeat (helpful votes, photo uploads).

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCredentials, RequestInit, RequestMode, Response};

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

/// `POST url` with a raw body (a `Blob`, a string) of `content_type`, decoding a JSON answer.
pub async fn post_body<T: DeserializeOwned>(
    url: &str,
    content_type: &str,
    body: &JsValue,
) -> Result<T, HttpError> {
    decode(&post_text(url, content_type, body).await?)
}

// The fetches below are not generic, so their state machines exist once in the wasm rather
// than once per answer type; only the decoding above is.

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, HttpError> {
    serde_json::from_str(text).map_err(|_| HttpError::Decode)
}

async fn get_text(url: &str) -> Result<String, HttpError> {
    let init = RequestInit::new();
    init.set_method("GET");
    send(url, &init).await
}

async fn post_text(url: &str, content_type: &str, body: &JsValue) -> Result<String, HttpError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(body);
    let headers = web_sys::Headers::new().map_err(|_| HttpError::Network)?;
    headers
        .set("Content-Type", content_type)
        .map_err(|_| HttpError::Network)?;
    init.set_headers(&headers);
    send(url, &init).await
}

/// The body of a 2xx answer to `url`, as text.
async fn send(url: &str, init: &RequestInit) -> Result<String, HttpError> {
    init.set_mode(RequestMode::Cors);
    // The widget never sends or receives cookies.
    init.set_credentials(RequestCredentials::Omit);
    // An endpoint that never answers must not hold a photo upload (and the sender behind it)
    // or a spinner forever.
    let abort = AbortController::new().map_err(|_| HttpError::Network)?;
    init.set_signal(Some(&abort.signal()));
    let _deadline =
        gloo_timers::callback::Timeout::new(super::sender::POST_TIMEOUT_MS, move || abort.abort());
    let window = web_sys::window().ok_or(HttpError::Network)?;
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await
        .map_err(|_| HttpError::Network)?
        .dyn_into()
        .map_err(|_| HttpError::Network)?;
    if !response.ok() {
        return Err(HttpError::Status {
            status: response.status(),
            retry_after: response.headers().get("Retry-After").ok().flatten(),
        });
    }
    JsFuture::from(response.text().map_err(|_| HttpError::Network)?)
        .await
        .map_err(|_| HttpError::Network)?
        .as_string()
        .ok_or(HttpError::Decode)
}

/// Percent-encodes `value` for a URL path segment or query value.
pub fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}
