//! `server-load forged`: forged QR surprise codes (well formed, of a real campaign, with a wrong
//! tag) sent one at a time to `POST /v1/surprise/redeem` through the server's own router, in
//! process, each timed with `Instant`: the per-request spread that criterion's means and
//! medians (`cargo bench -p encore-server --bench forged_codes`) do not give.
//!
//! The router's database is a pool on a file that does not exist and may not be created: a
//! request that reached SQL would get a 500, so every `invalid` answer also shows that the
//! rejection needed no database.

use super::{Outcome, Result, rounded};
use crate::stats::percentile;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use encore_core::events::EventId;
use encore_core::surprise::code::{self, CodeId};
use encore_core::surprise::redeem::{RedeemRequest, Redemption};
use encore_server::{AppState, ServerConfig};
use http_body_util::BodyExt;
use hyper::header::{CONTENT_TYPE, ORIGIN};
use hyper::{Request, StatusCode};
use serde_json::json;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Instant;
use tower::ServiceExt;

/// Untimed requests first (allocator, caches, the limiter's keys).
const WARMUP: u32 = 1_000;
/// Distinct forged codes, sent in turn.
const CODES: usize = 4_096;
/// Distinct devices the attempts come from.
const DEVICES: u32 = 64;
/// The campaign the forged codes claim; it exists, so they fail on the tag.
const CAMPAIGN: u16 = 1;
/// The forger's key: a code tagged with it is well formed but not genuine.
const FORGER_KEY: &[u8] = b"not-the-campaign-key-0123456789ab";
const STORE: &str = "bench";
const PAGE_ORIGIN: &str = "https://shop.example";

/// One store with one open campaign, its invalid-code limits lifted: the criterion
/// benchmark's store, so the two figures are of the same path.
const CONFIG: &str = include_str!("../../../server/benches/forged-store.toml");

/// How many rejections to time.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Timed requests.
    pub count: u32,
}

/// Times `count` rejections of forged codes and reports their p50, p99 and mean in µs.
pub async fn run(options: Options) -> Result<Outcome> {
    let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let app = router(&dir.path().join("absent.db"))?;
    let codes: Vec<String> = (0..CODES).map(|_| forged_code()).collect();
    eprintln!("timing {} forged redemptions in process", options.count);
    let mut micros = Vec::new();
    for (i, code) in (0..WARMUP + options.count).zip(codes.iter().cycle()) {
        let request = redeem_request(code, i)?;
        let started = Instant::now();
        let Ok(response) = app.clone().oneshot(request).await;
        let elapsed = started.elapsed();
        check_invalid(response).await?;
        if i >= WARMUP {
            micros.push(elapsed.as_secs_f64() * 1e6);
        }
    }
    let mean = (!micros.is_empty()).then(|| micros.iter().sum::<f64>() / micros.len() as f64);
    let report = json!({
        "redeem_forged_p50_us": rounded(percentile(&micros, 50.0)),
        "redeem_forged_p99_us": rounded(percentile(&micros, 99.0)),
        "redeem_forged_mean_us": rounded(mean),
        "requests": options.count,
        "cpus": super::cpus(),
        "notes": [format!(
            "each request timed with Instant around encore_server::app(..).oneshot, in process \
             (no socket, no HTTP parsing), after {WARMUP} untimed; {CODES} distinct forged \
             codes from {DEVICES} devices and one address, the limiter counting every attempt; \
             the database is a file that does not exist, so no answer came from SQL"
        )],
    });
    Ok(Outcome {
        report,
        failed: None,
    })
}

/// The server's router over [`CONFIG`] and a database pool that can never connect.
fn router(absent: &Path) -> Result<Router> {
    let config = ServerConfig::from_toml_str(CONFIG).map_err(|e| format!("bench config: {e}"))?;
    // `create_if_missing` is off by default: opening the file fails, and so would any query.
    let pool =
        SqlitePoolOptions::new().connect_lazy_with(SqliteConnectOptions::new().filename(absent));
    Ok(encore_server::app(AppState::new(pool, config)))
}

/// A well-formed code of [`CAMPAIGN`] at a random serial, tagged with the wrong key.
fn forged_code() -> String {
    let id = CodeId {
        campaign: CAMPAIGN,
        serial: fastrand::u32(..),
    };
    code::mint(id, FORGER_KEY)
}

/// Attempt `n`: a fresh redemption id from one of [`DEVICES`], from a loopback peer address
/// (as `serve` records it for the limits).
fn redeem_request(code: &str, n: u32) -> Result<Request<Body>> {
    let body = RedeemRequest {
        store: STORE.to_owned(),
        code: code.to_owned(),
        redemption: EventId::from_random_bytes(fastrand::u128(..).to_le_bytes()),
        device: format!("device-{:08}", n % DEVICES),
        member_token: None,
        locale: Some("en".to_owned()),
    };
    let body = serde_json::to_vec(&body).map_err(|e| format!("encode: {e}"))?;
    let mut request = Request::post("/v1/surprise/redeem")
        .header(CONTENT_TYPE, "application/json")
        .header(ORIGIN, PAGE_ORIGIN)
        .body(Body::from(body))
        .map_err(|e| format!("request: {e}"))?;
    let peer = SocketAddr::from(([127, 0, 0, 1], 40_000));
    request.extensions_mut().insert(ConnectInfo(peer));
    Ok(request)
}

/// Fails unless the answer is a 200 saying `invalid`.
async fn check_invalid(response: axum::response::Response) -> Result<()> {
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("answer body: {e}"))?
        .to_bytes();
    match serde_json::from_slice::<Redemption>(&body) {
        Ok(Redemption::Invalid) if status == StatusCode::OK => Ok(()),
        _ => Err(format!(
            "a forged code got {status} {}",
            String::from_utf8_lossy(&body)
        )),
    }
}
