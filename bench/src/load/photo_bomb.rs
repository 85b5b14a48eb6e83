//! `server-load photo-bomb`: decompression bombs against the real server, and its peak
//! resident set (`VmHWM`) read after each phase.
//!
//! First `uploads` parallel uploads of the bomb from the security review: a 155 KB PNG of
//! 8000 × 5000 all-zero RGBA pixels. Then `uploads` parallel uploads of the largest picture
//! the server accepts ([`MAX_PIXELS`], square, all-zero RGBA): the most a single accepted
//! photo can make it decode. Every upload comes from one address, as one client's would; the
//! store's photo limit is lifted so that the per-address count plays no part.

use super::server::{self, ORIGIN, STORE};
use super::{Outcome, Result, millis, rounded};
use bytes::Bytes;
use encore_core::event_id::EventId;
use encore_core::reviews::photo::MAX_PIXELS;
use encore_e2e::store_config;
use http_body_util::{BodyExt, Full};
use hyper::header::{CONTENT_TYPE, ORIGIN as ORIGIN_HEADER};
use hyper::{Request, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// The bomb's size in pixels, as the review sent it.
pub const BOMB: (u32, u32) = (8000, 5000);

/// Longest an upload may take: far above a decode, so that an unbounded server is measured
/// at its worst instead of cut short.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(300);

/// How many uploads at once.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Parallel uploads per phase.
    pub uploads: usize,
}

/// What one phase's uploads were answered.
struct Phase {
    /// Status (or failure kind) → count.
    answers: BTreeMap<String, u64>,
    /// From the first send to the last answer.
    elapsed: Duration,
    /// The server's peak resident set after the phase, KiB.
    peak_rss_kb: Option<u64>,
}

/// Starts a server, sends both phases and reports the peaks.
pub async fn run(options: Options) -> Result<Outcome> {
    let config = format!(
        "{}\n[store.reviews.limits]\nphotos_per_ip_per_hour = 100000\n",
        store_config(STORE, &[ORIGIN.to_owned()])
    );
    let running = server::start(&config)?;
    let pid = running.server.pid().ok_or("the server is not running")?;
    let idle_kb = server::peak_rss_kb(pid)?;

    let bomb = zero_png(BOMB.0, BOMB.1)?;
    let side = largest_square();
    let largest = zero_png(side, side)?;
    eprintln!(
        "bomb: {} × {} PNG of {} bytes; largest accepted: {side} × {side} PNG of {} bytes",
        BOMB.0,
        BOMB.1,
        bomb.len(),
        largest.len()
    );
    let url = &running.server.url;
    let bombs = phase(url, &bomb, options.uploads, pid).await?;
    let accepted = phase(url, &largest, options.uploads, pid).await?;
    drop(running);

    let mb = |kb: Option<u64>| rounded(kb.map(|kb| kb as f64 / 1024.0));
    let mut notes: Vec<String> = server::build_note().into_iter().collect();
    notes.push(format!(
        "photo bomb: {n} parallel uploads of a {bomb_bytes}-byte PNG claiming {w} × {h} RGBA \
         pixels, then {n} of the largest accepted picture ({side} × {side} RGBA, \
         {largest_bytes} bytes), all from one address; peak RSS is the server's VmHWM after \
         each phase (it never goes down, so the second figure covers both)",
        n = options.uploads,
        bomb_bytes = bomb.len(),
        w = BOMB.0,
        h = BOMB.1,
        largest_bytes = largest.len(),
    ));
    let report = json!({
        "server_rss_idle_mb": mb(Some(idle_kb)),
        "server_peak_rss_photo_bomb_mb": mb(bombs.peak_rss_kb),
        "server_peak_rss_photo_largest_mb": mb(accepted.peak_rss_kb),
        "uploads": options.uploads,
        "bomb": phase_json(&bombs),
        "largest": phase_json(&accepted),
        "largest_side": side,
        "cpus": super::cpus(),
        "notes": notes,
    });
    Ok(Outcome {
        report,
        failed: None,
    })
}

/// The side of the largest square picture within [`MAX_PIXELS`].
fn largest_square() -> u32 {
    let mut side = u32::try_from(MAX_PIXELS.isqrt()).unwrap_or(u32::MAX);
    while u64::from(side) * u64::from(side) > MAX_PIXELS {
        side -= 1;
    }
    side
}

/// A PNG of `width` × `height` all-zero RGBA pixels, compressed hard: 155 KB for the bomb.
fn zero_png(width: u32, height: u32) -> Result<Vec<u8>> {
    let pixels = vec![0u8; usize::try_from(u64::from(width) * u64::from(height) * 4).unwrap_or(0)];
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Best, FilterType::NoFilter)
        .write_image(&pixels, width, height, image::ExtendedColorType::Rgba8)
        .map_err(|e| format!("encoding the bomb: {e}"))?;
    Ok(png)
}

/// Sends `count` uploads of `png` at once, each on its own connection, and reads the peak.
async fn phase(url: &str, png: &[u8], count: usize, pid: u32) -> Result<Phase> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let png = Bytes::copy_from_slice(png);
    let started = Instant::now();
    let mut uploads = JoinSet::new();
    for _ in 0..count {
        let id = EventId::from_random_bytes(fastrand::u128(..).to_le_bytes());
        let uri: Uri = format!("{url}/v1/photos?store={STORE}&id={id}")
            .parse()
            .map_err(|e| format!("photo URL: {e}"))?;
        let request = Request::post(uri)
            .header(CONTENT_TYPE, "image/png")
            .header(ORIGIN_HEADER, ORIGIN)
            .body(Full::new(png.clone()))
            .map_err(|e| format!("request: {e}"))?;
        let client = client.clone();
        uploads.spawn(async move {
            let answer = async {
                let response = client.request(request).await.map_err(|_| "transport")?;
                let status = response.status();
                response.into_body().collect().await.map_err(|_| "body")?;
                Ok::<_, &str>(status.as_u16().to_string())
            };
            match tokio::time::timeout(UPLOAD_TIMEOUT, answer).await {
                Ok(Ok(status)) => status,
                Ok(Err(kind)) => kind.to_owned(),
                Err(_) => "timeout".to_owned(),
            }
        });
    }
    let mut answers = BTreeMap::new();
    while let Some(answer) = uploads.join_next().await {
        let answer = answer.map_err(|e| format!("upload task: {e}"))?;
        *answers.entry(answer).or_insert(0) += 1;
    }
    let elapsed = started.elapsed();
    let peak_rss_kb = server::peak_rss_kb(pid).ok();
    eprintln!(
        "{count} uploads in {:.2} s: {answers:?}; peak RSS {} KiB",
        elapsed.as_secs_f64(),
        peak_rss_kb.map_or("?".to_owned(), |kb| kb.to_string())
    );
    Ok(Phase {
        answers,
        elapsed,
        peak_rss_kb,
    })
}

fn phase_json(phase: &Phase) -> Value {
    let answers: Map<String, Value> = phase
        .answers
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    json!({
        "answers": answers,
        "elapsed_ms": rounded(Some(millis(phase.elapsed))),
    })
}
