//! `server-load forged`: forged QR surprise codes (well formed, of a real campaign, with a wrong
//! tag) sent one at a time to `POST /v1/surprise/redeem` through the server's own router, in
//! process, each timed with `Instant`: the per-request spread that criterion's means and
//! medians (`cargo bench -p encore-server --bench forged_codes`) do not give.
//!
//! The router's database is a pool on a file that does not exist and may not be created: a
//! request that reached SQL would get a 500, so every `invalid` answer also shows that the
//! rejection needed no database.

#[path = "../../../server/benches/forged_fixture.rs"]
mod fixture;

use super::{Outcome, Result, rounded};
use crate::stats::percentile;
use encore_core::event_id::EventId;
use encore_core::surprise::redeem::Redemption;
use fixture::{app_without_database, forged_code, redeem_request};
use http_body_util::BodyExt;
use hyper::StatusCode;
use serde_json::json;
use std::time::Instant;
use tower::ServiceExt;

/// Untimed requests first (allocator, caches, the limiter's keys).
const WARMUP: u32 = 1_000;
/// Distinct forged codes, sent in turn.
const CODES: usize = 4_096;
/// Distinct devices the attempts come from.
const DEVICES: u32 = 64;

/// How many rejections to time.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Timed requests.
    pub count: u32,
}

/// Times `count` rejections of forged codes and reports their p50, p99 and mean in µs.
pub async fn run(options: Options) -> Result<Outcome> {
    let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let app = app_without_database(&dir.path().join("absent.db"))?;
    let codes: Vec<String> = (0..CODES).map(|_| forged_code(fastrand::u32(..))).collect();
    eprintln!("timing {} forged redemptions in process", options.count);
    let mut micros = Vec::new();
    for (i, code) in (0..WARMUP + options.count).zip(codes.iter().cycle()) {
        let device = format!("device-{:08}", i % DEVICES);
        let redemption = EventId::from_random_bytes(fastrand::u128(..).to_le_bytes());
        let request = redeem_request(code, &device, redemption)?;
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
