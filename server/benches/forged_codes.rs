//! Rejecting forged QR surprise codes (well formed, of a real campaign, with a wrong tag) on the
//! path that refuses them without the database, in three layers: the tag check with the
//! campaign's key (`redemption::verify_code`), the gate before the database (`gate::admit`: the
//! brute-force limits, then the tag), and a whole `POST /v1/surprise/redeem` through the router,
//! in process.
//!
//! Criterion gives means and medians; `server-load forged` (encore-bench) times single requests
//! for the p99.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use encore_core::surprise::code::{self, CodeId};
use encore_server::rate_limit::RateLimiter;
use encore_server::surprise::gate::{Turned, admit};
use encore_server::surprise::redemption::verify_code;
use encore_server::{AppState, ServerConfig};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::hint::black_box;
use std::net::{IpAddr, SocketAddr};
use tower::ServiceExt;

/// One store with one open campaign, its invalid-code limits lifted (see the file).
const CONFIG: &str = include_str!("forged-store.toml");

/// Distinct forged codes, used in turn.
const CODES: u32 = 4_096;
/// Distinct devices the attempts come from.
const DEVICES: usize = 64;
/// The forger's key: a code tagged with it is well formed but not genuine.
const FORGER_KEY: &[u8] = b"not-the-campaign-key-0123456789ab";
/// Any time: no member token is checked.
const NOW_SECS: u64 = 1_800_000_000;

/// Well-formed codes of campaign 1 at spread-out serials, tagged with the wrong key.
fn forged_codes() -> Vec<String> {
    (0..CODES)
        .map(|i| {
            let id = CodeId {
                campaign: 1,
                serial: i.wrapping_mul(0x9E37_79B9),
            };
            code::mint(id, FORGER_KEY)
        })
        .collect()
}

fn devices() -> Vec<String> {
    (0..DEVICES).map(|n| format!("device-{n:08}")).collect()
}

fn config() -> ServerConfig {
    ServerConfig::from_toml_str(CONFIG).expect("the bench config is valid")
}

fn tag_and_gate(c: &mut Criterion) {
    let config = config();
    let store = config.store("bench").expect("the bench store");
    let codes = forged_codes();
    let devices = devices();
    let limiter = RateLimiter::default();
    let ip = Some(IpAddr::from([127, 0, 0, 1]));
    let refused = admit(store, &limiter, &codes[0], &devices[0], ip, None, NOW_SECS);
    assert_eq!(refused.err(), Some(Turned::Invalid));

    let mut group = c.benchmark_group("forged_codes");
    let mut n = 0;
    group.bench_function("verify_code", |b| {
        b.iter(|| {
            n = (n + 1) % codes.len();
            black_box(verify_code(store, black_box(&codes[n])).is_none())
        });
    });
    group.bench_function("gate_admit", |b| {
        b.iter(|| {
            n = (n + 1) % codes.len();
            let device = &devices[n % DEVICES];
            black_box(admit(store, &limiter, &codes[n], device, ip, None, NOW_SECS).is_err())
        });
    });
    group.finish();
}

/// A redemption of `code` from `device` at a loopback address, as `serve` records the peer.
fn redeem_request(code: &str, device: &str, n: usize) -> Request<Body> {
    let body = serde_json::json!({
        "store": "bench", "code": code, "device": device, "locale": "en",
        "redemption": format!("00000000-0000-4000-8000-{n:012x}"),
    });
    let mut request = Request::post("/v1/surprise/redeem")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, "https://shop.example")
        .body(Body::from(body.to_string()))
        .expect("a valid request");
    let peer = SocketAddr::from(([127, 0, 0, 1], 40_000));
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

fn route(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    // The pool spawns its upkeep on the current runtime.
    let _entered = runtime.enter();
    let dir = tempfile::tempdir().expect("a temporary directory");
    // A file that does not exist and may not be created (`create_if_missing` is off): a request
    // that reached SQL would get a 500, so the checked 200 shows the database was not needed.
    let pool = SqlitePoolOptions::new()
        .connect_lazy_with(SqliteConnectOptions::new().filename(dir.path().join("absent.db")));
    let app = encore_server::app(AppState::new(pool, config()));
    let codes = forged_codes();
    let devices = devices();

    let first = runtime.block_on(
        app.clone()
            .oneshot(redeem_request(&codes[0], &devices[0], 0)),
    );
    let Ok(first) = first;
    assert_eq!(first.status(), StatusCode::OK);
    let body = runtime
        .block_on(axum::body::to_bytes(first.into_body(), 4096))
        .expect("a body");
    assert_eq!(&body[..], br#"{"status":"invalid"}"#);

    let mut group = c.benchmark_group("forged_codes");
    let mut n = 0;
    group.bench_function("redeem_route", |b| {
        b.to_async(&runtime).iter_batched(
            || {
                n += 1;
                redeem_request(&codes[n % codes.len()], &devices[n % DEVICES], n)
            },
            |request| app.clone().oneshot(request),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, tag_and_gate, route);
criterion_main!(benches);
