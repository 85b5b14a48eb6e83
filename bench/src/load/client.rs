//! One keep-alive HTTP/1.1 connection's worth of client, and a timed exchange: from sending the
//! request to having read the whole answer, bounded by a timeout.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::RETRY_AFTER;
use hyper::{Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::{Duration, Instant};

/// The client type: plain HTTP, whole bodies.
pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Longest a request may take before it counts as failed; far above any healthy answer.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A client that keeps one connection open between requests: one per worker, so a worker's
/// requests ride one keep-alive connection as a browser's would.
pub fn keep_alive_client() -> HttpClient {
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(1)
        .build_http()
}

/// The answer to one request.
#[derive(Debug)]
pub struct Answer {
    /// Its status.
    pub status: StatusCode,
    /// Its whole body.
    pub body: Bytes,
    /// Its `Retry-After` header, if it has one.
    pub retry_after: Option<String>,
    /// From sending to the last byte of the body.
    pub elapsed: Duration,
}

/// Why a request got no answer; `kind` names it in the report's error counts.
#[derive(Debug)]
pub struct Failure {
    /// `connect`, `transport`, `body` or `timeout`.
    pub kind: &'static str,
    /// What went wrong, for the progress output.
    pub detail: String,
}

/// Sends `request` and reads the whole answer within [`REQUEST_TIMEOUT`].
pub async fn exchange(
    client: &HttpClient,
    request: Request<Full<Bytes>>,
) -> Result<Answer, Failure> {
    let started = Instant::now();
    match tokio::time::timeout(REQUEST_TIMEOUT, read(client, request)).await {
        Ok(Ok((status, retry_after, body))) => Ok(Answer {
            status,
            body,
            retry_after,
            elapsed: started.elapsed(),
        }),
        Ok(Err(failure)) => Err(failure),
        Err(_) => Err(Failure {
            kind: "timeout",
            detail: format!("no answer within {REQUEST_TIMEOUT:?}"),
        }),
    }
}

async fn read(
    client: &HttpClient,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Option<String>, Bytes), Failure> {
    let response = client.request(request).await.map_err(|e| Failure {
        kind: if e.is_connect() {
            "connect"
        } else {
            "transport"
        },
        detail: e.to_string(),
    })?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let body = response.into_body().collect().await.map_err(|e| Failure {
        kind: "body",
        detail: e.to_string(),
    })?;
    Ok((status, retry_after, body.to_bytes()))
}
