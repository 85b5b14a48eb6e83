//! The console's one way to the server: every admin API call is built here, so the rules hold
//! everywhere: JSON both ways, `credentials: same-origin` (the session cookie), the session's
//! CSRF token on every change, and a `401 unauthenticated` sending the console to sign in with
//! the current address kept for afterwards.

use crate::route::Route;
use encore_core::admin::audit::{AuditFilter, AuditPage};
use encore_core::admin::people::{
    Invitation, InviteRequest, KeyLine, NewKey, NewKeyRequest, UserLine,
};
use encore_core::admin::queue::{
    BulkRequest, BulkResult, QueueFilter, QueueItem, QueuePage, RejectRequest, ReplyRequest,
};
use encore_core::admin::rules::ModerationRules;
use encore_core::admin::session::{SessionInfo, SetPasswordRequest, SignInRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCredentials, RequestInit, Response};

/// Where the admin API lives: the console is served by the same server, so a path suffices.
pub const BASE: &str = "/v1/admin";

thread_local! {
    /// The session's CSRF token: set at sign-in or when the session is read, sent on every
    /// change. In memory only: a reload reads it again from `GET /v1/admin/session`.
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Keeps `session`'s CSRF token for the changes that follow.
pub fn remember(session: &SessionInfo) {
    CSRF.with(|c| *c.borrow_mut() = session.csrf_token.clone());
}

/// Forgets the CSRF token (signed out).
pub fn forget() {
    CSRF.with(|c| c.borrow_mut().clear());
}

/// Why a call did not give the answer hoped for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: offline, the server down, the connection reset.
    Network,
    /// The server refused: its status, its `error` code and English `message`, and
    /// `Retry-After` in seconds when it said one.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The `error` field (`sign_in_failed`, `locked`, ...), empty when there was none.
        code: String,
        /// The `message` field, for the moderator when no better words exist.
        message: String,
        /// `Retry-After`, in seconds.
        retry_after: Option<u32>,
    },
    /// A success whose body is not what the contract says.
    Decode,
}

impl ApiError {
    /// The refusal's `error` code, if the server gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Refused { code, .. } if !code.is_empty() => Some(code),
            _ => None,
        }
    }
}

/// The body of a refusal (`{"error", "message"}`).
#[derive(Debug, Default, Deserialize)]
struct Problem {
    #[serde(default)]
    error: String,
    #[serde(default)]
    message: String,
}

/// A store one may sign in to (`GET /v1/admin/stores`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StoreChoice {
    /// Its id.
    pub id: String,
    /// Its name for people.
    pub name: String,
}

/// `segment` percent-encoded for a URL path (ids, e-mails, photo names).
pub fn path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The URL of a review photo through the admin API (served hidden or not, never cached).
pub fn photo_url(name: &str) -> String {
    format!("{BASE}/photos/{}", path_segment(name))
}

// --- the one exchange ------------------------------------------------------------------------

async fn exchange(method: &str, path: &str, body: Option<String>) -> Result<String, ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    // The cookie is `SameSite=Strict` and `__Host-`: same-origin is exactly where it goes.
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ApiError::Network)?;
    let _ = headers.set("Accept", "application/json");
    if let Some(body) = &body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(body));
    }
    if method != "GET" {
        let token = CSRF.with(|c| c.borrow().clone());
        let _ = headers.set("X-CSRF-Token", &token);
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let url = format!("{BASE}{path}");
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|_| ApiError::Network)?
        .dyn_into()
        .map_err(|_| ApiError::Network)?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|s| s.trim().parse().ok());
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if (200..300).contains(&status) {
        return Ok(text);
    }
    let problem: Problem = serde_json::from_str(&text).unwrap_or_default();
    if status == 401 && problem.error == "unauthenticated" {
        to_sign_in();
    }
    Err(ApiError::Refused {
        status,
        code: problem.error,
        message: problem.message,
        retry_after,
    })
}

/// Sends the console to sign in, keeping where it was (unless it already is there).
fn to_sign_in() {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let here = location.hash().unwrap_or_default();
    if !Route::parse(&here).needs_session() {
        return;
    }
    let _ = location.set_hash(&Route::sign_in_from(&here).to_hash());
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|_| ApiError::Decode)
}

fn json<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|_| ApiError::Decode)
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(&exchange("GET", path, None).await?)
}

async fn send<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<T, ApiError> {
    decode(&exchange(method, path, body).await?)
}

// --- session ---------------------------------------------------------------------------------

/// `GET /v1/admin/stores`.
pub async fn stores() -> Result<Vec<StoreChoice>, ApiError> {
    get("/stores").await
}

/// `POST /v1/admin/session`: signs in and keeps the CSRF token.
pub async fn sign_in(request: &SignInRequest) -> Result<SessionInfo, ApiError> {
    let session: SessionInfo = send("POST", "/session", Some(json(request)?)).await?;
    remember(&session);
    Ok(session)
}

/// `GET /v1/admin/session`: the current session (and its CSRF token).
pub async fn session() -> Result<SessionInfo, ApiError> {
    let session: SessionInfo = get("/session").await?;
    remember(&session);
    Ok(session)
}

/// `DELETE /v1/admin/session`.
pub async fn sign_out() -> Result<(), ApiError> {
    let result = exchange("DELETE", "/session", None).await.map(|_| ());
    forget();
    result
}

/// `POST /v1/admin/password`.
pub async fn set_password(request: &SetPasswordRequest) -> Result<(), ApiError> {
    exchange("POST", "/password", Some(json(request)?))
        .await
        .map(|_| ())
}

// --- reviews ---------------------------------------------------------------------------------

/// `GET /v1/admin/reviews?<filter>`.
pub async fn queue(filter: &QueueFilter) -> Result<QueuePage, ApiError> {
    let query = filter.to_query();
    get(&format!("/reviews?{query}")).await
}

/// `POST /v1/admin/reviews/{id}/approve`.
pub async fn approve(id: &str) -> Result<QueueItem, ApiError> {
    send(
        "POST",
        &format!("/reviews/{}/approve", path_segment(id)),
        None,
    )
    .await
}

/// `POST /v1/admin/reviews/{id}/reject`.
pub async fn reject(id: &str, reason: &str) -> Result<QueueItem, ApiError> {
    let body = json(&RejectRequest {
        reason: reason.to_owned(),
    })?;
    send(
        "POST",
        &format!("/reviews/{}/reject", path_segment(id)),
        Some(body),
    )
    .await
}

/// `PUT /v1/admin/reviews/{id}/reply`; an empty body removes the reply.
pub async fn reply(id: &str, body: &str) -> Result<QueueItem, ApiError> {
    let body = json(&ReplyRequest {
        body: body.to_owned(),
    })?;
    send(
        "PUT",
        &format!("/reviews/{}/reply", path_segment(id)),
        Some(body),
    )
    .await
}

/// `POST /v1/admin/reviews/{id}/photos/{name}/hide` (or `restore`).
pub async fn photo(id: &str, name: &str, hide: bool) -> Result<QueueItem, ApiError> {
    let verb = if hide { "hide" } else { "restore" };
    let path = format!(
        "/reviews/{}/photos/{}/{verb}",
        path_segment(id),
        path_segment(name)
    );
    send("POST", &path, None).await
}

/// `POST /v1/admin/reviews/bulk`.
pub async fn bulk(request: &BulkRequest) -> Result<BulkResult, ApiError> {
    send("POST", "/reviews/bulk", Some(json(request)?)).await
}

// --- rules and audit -------------------------------------------------------------------------

/// `GET /v1/admin/rules`.
pub async fn rules() -> Result<ModerationRules, ApiError> {
    get("/rules").await
}

/// `PUT /v1/admin/rules`.
pub async fn save_rules(rules: &ModerationRules) -> Result<ModerationRules, ApiError> {
    send("PUT", "/rules", Some(json(rules)?)).await
}

/// `GET /v1/admin/audit?<filter>`.
pub async fn audit(filter: &AuditFilter) -> Result<AuditPage, ApiError> {
    get(&format!("/audit?{}", filter.to_query())).await
}

// --- people ----------------------------------------------------------------------------------

/// `GET /v1/admin/users`.
pub async fn users() -> Result<Vec<UserLine>, ApiError> {
    get("/users").await
}

/// `POST /v1/admin/users`.
pub async fn invite(request: &InviteRequest) -> Result<Invitation, ApiError> {
    send("POST", "/users", Some(json(request)?)).await
}

/// `POST /v1/admin/users/{email}/disable`.
pub async fn disable(email: &str) -> Result<UserLine, ApiError> {
    send(
        "POST",
        &format!("/users/{}/disable", path_segment(email)),
        None,
    )
    .await
}

/// `GET /v1/admin/keys`.
pub async fn keys() -> Result<Vec<KeyLine>, ApiError> {
    get("/keys").await
}

/// `POST /v1/admin/keys`.
pub async fn add_key(request: &NewKeyRequest) -> Result<NewKey, ApiError> {
    send("POST", "/keys", Some(json(request)?)).await
}

/// `POST /v1/admin/keys/{id}/revoke`.
pub async fn revoke(id: &str) -> Result<KeyLine, ApiError> {
    send("POST", &format!("/keys/{}/revoke", path_segment(id)), None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(path_segment("mei+1@example.com"), "mei%2B1%40example.com");
        assert_eq!(path_segment("../x y"), "..%2Fx%20y");
        assert_eq!(photo_url("a1b2.jpg"), "/v1/admin/photos/a1b2.jpg");
    }
}
