//! Shared test fixtures: a server state over a real SQLite file in a temporary directory.

#![allow(dead_code)] // each test file uses a different part of this module

pub mod admin;
pub mod offers;
pub mod referral;
pub mod reviews;
pub mod surprise;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use encore_server::{AppState, ServerConfig, db};
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

/// The origin the `demo` store allows.
pub const DEMO_ORIGIN: &str = "http://127.0.0.1:8080";
/// The origin only the `other` store allows.
pub const OTHER_ORIGIN: &str = "https://other.example";

const CONFIG: &str = r#"
[[store]]
id = "demo"
name = "Demo"
allowed_origins = ["http://127.0.0.1:8080"]
[[store.keys]]
id = "k1"
secret = "0123456789abcdef0123456789abcdef"

[[store]]
id = "other"
name = "Other"
allowed_origins = ["https://other.example"]
"#;

/// A fresh database and configuration; the directory lives as long as this value.
pub struct Fixture {
    pub dir: TempDir,
    pub state: AppState,
}

impl Fixture {
    pub async fn new() -> Self {
        Self::with_config(CONFIG).await
    }

    /// A fresh database with the stores `config` (TOML) describes.
    pub async fn with_config(config: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = db::open(&dir.path().join("encore.db"))
            .await
            .expect("database opens");
        let config = ServerConfig::from_toml_str(config).expect("test config is valid");
        encore_server::offers::load_code_pools(&pool, &config)
            .await
            .expect("pools load");
        encore_server::surprise::load_prize_pools(&pool, &config)
            .await
            .expect("prize codes load");
        Fixture {
            dir,
            state: AppState::new(pool, config),
        }
    }

    pub fn app(&self) -> Router {
        encore_server::app(self.state.clone())
    }

    /// Sends `request` to the API and returns the status, headers and JSON body (Null if empty).
    pub async fn send(&self, request: Request<Body>) -> Reply {
        send(self.app(), request).await
    }

    /// Posts `body` as `application/json` with no Origin (a server-to-server post).
    pub async fn post(&self, body: &Value) -> Reply {
        self.send(events_request(body.to_string(), "application/json", None))
            .await
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db)
            .await
            .expect("count query")
    }
}

/// What a request got back.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
}

impl Reply {
    /// The `(id, status, reason)` of every result in a batch reply.
    pub fn acks(&self) -> Vec<(String, String, Option<String>)> {
        let results = self.json["results"]
            .as_array()
            .expect("a batch reply")
            .clone();
        results
            .into_iter()
            .map(|r| {
                (
                    r["id"].as_str().expect("id").to_owned(),
                    r["status"].as_str().expect("status").to_owned(),
                    r.get("reason").and_then(Value::as_str).map(str::to_owned),
                )
            })
            .collect()
    }

    /// Asserts a JSON error body with this code and a human message.
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "body: {}", self.json);
        assert_eq!(self.json["error"], code, "body: {}", self.json);
        assert!(self.json["message"].as_str().is_some_and(|m| !m.is_empty()));
        let content_type = self
            .headers
            .get(header::CONTENT_TYPE)
            .expect("content type");
        assert_eq!(content_type, "application/json");
    }
}

/// What a request got back, body as bytes (for images and other non-JSON answers).
pub struct RawReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

pub async fn send_raw(app: Router, request: Request<Body>) -> RawReply {
    let response = app.oneshot(request).await.expect("router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    RawReply {
        status,
        headers,
        bytes: bytes.to_vec(),
    }
}

pub async fn send(app: Router, request: Request<Body>) -> Reply {
    let response = app.oneshot(request).await.expect("router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Reply {
        status,
        headers,
        json,
    }
}

/// A `POST /v1/events` request.
pub fn events_request(
    body: impl Into<Body>,
    content_type: &str,
    origin: Option<&str>,
) -> Request<Body> {
    let mut builder = Request::post("/v1/events").header(header::CONTENT_TYPE, content_type);
    if let Some(origin) = origin {
        builder = builder.header(header::ORIGIN, origin);
    }
    builder.body(body.into()).expect("valid request")
}

/// A UUID made from `n`, so tests read as "event 1", "event 2".
pub fn id(n: u8) -> String {
    format!("00000000-0000-4000-8000-0000000000{n:02x}")
}

/// A valid `widget.impression` for `store`.
pub fn impression(id: &str, store: &str) -> Value {
    json!({
        "id": id,
        "store": store,
        "occurred_at": 1_700_000_000_000u64,
        "type": "widget.impression",
        "data": {"mode": "product", "product": "sku-42"}
    })
}

pub fn batch(events: Vec<Value>) -> Value {
    json!({ "events": events })
}

/// A token-carrying read as the widget sends it: `POST path` from the demo origin with the
/// fields of `query` (`key=value&…`, values not encoded, the first of each key) as a JSON body
/// typed `text/plain;charset=UTF-8`.
pub fn read_request(path: &str, query: &str) -> Request<Body> {
    let mut fields = serde_json::Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        fields
            .entry(key.to_owned())
            .or_insert_with(|| Value::String(value.to_owned()));
    }
    Request::post(path)
        .header(header::ORIGIN, DEMO_ORIGIN)
        .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
        .body(Body::from(Value::Object(fields).to_string()))
        .expect("request")
}

/// Asserts that `reply` says the query form is deprecated (RFC 9745 `Deprecation`, RFC 8594
/// `Sunset`, a `Link` to the docs), or that it says nothing of the kind.
pub fn assert_deprecated(reply: &Reply, deprecated: bool) {
    let header = |name: &str| reply.headers.get(name).map(|v| v.to_str().expect("ascii"));
    if deprecated {
        assert!(header("deprecation").is_some_and(|v| v.starts_with('@')));
        assert_eq!(header("sunset"), Some("Wed, 30 Jun 2027 00:00:00 GMT"));
        assert!(
            header("link").is_some_and(
                |v| v.contains("docs/endpoint.md") && v.contains("rel=\"deprecation\"")
            )
        );
    } else {
        for name in ["deprecation", "sunset", "link"] {
            assert_eq!(header(name), None, "{name}");
        }
    }
}
