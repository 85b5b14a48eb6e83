//! Rejecting forged QR surprise codes (well formed, of a real campaign, with a wrong tag) on the
//! path that refuses them without the database, in three layers: the tag check with the
//! campaign's key (`redemption::verify_code`), the gate before the database (`gate::admit`: the
//! tag, then the brute-force limits on misses), and a whole `POST /v1/surprise/redeem` through
//! the router, in process.
//!
//! Criterion gives means and medians; `server-load forged` (encore-bench) times single requests
//! for the p99.

#[path = "forged_fixture.rs"]
mod fixture;

use axum::http::StatusCode;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use encore_core::event_id::EventId;
use encore_server::rate_limit::RateLimiter;
use encore_server::surprise::gate::{Turned, admit};
use encore_server::surprise::redemption::verify_code;
use fixture::{STORE, app_without_database, config, forged_code, redeem_request};
use std::hint::black_box;
use std::net::IpAddr;
use tower::ServiceExt;

/// Distinct forged codes, used in turn.
const CODES: u32 = 4_096;
/// Distinct devices the attempts come from.
const DEVICES: usize = 64;
/// Any time: no member token is checked.
const NOW_SECS: u64 = 1_800_000_000;

/// Forged codes at spread-out serials.
fn forged_codes() -> Vec<String> {
    (0..CODES)
        .map(|i| forged_code(i.wrapping_mul(0x9E37_79B9)))
        .collect()
}

fn devices() -> Vec<String> {
    (0..DEVICES).map(|n| format!("device-{n:08}")).collect()
}

fn tag_and_gate(c: &mut Criterion) {
    let config = config().expect("the bench config is valid");
    let store = config.store(STORE).expect("the bench store");
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

/// Attempt `n` with `code` from `device`, under an id of its own.
fn attempt(code: &str, device: &str, n: usize) -> axum::http::Request<axum::body::Body> {
    let redemption = EventId::from_random_bytes((n as u128).to_le_bytes());
    redeem_request(code, device, redemption).expect("a valid request")
}

fn route(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    // The pool spawns its upkeep on the current runtime.
    let _entered = runtime.enter();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app = app_without_database(&dir.path().join("absent.db")).expect("the bench router");
    let codes = forged_codes();
    let devices = devices();

    let first = runtime.block_on(app.clone().oneshot(attempt(&codes[0], &devices[0], 0)));
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
                attempt(&codes[n % codes.len()], &devices[n % DEVICES], n)
            },
            |request| app.clone().oneshot(request),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, tag_and_gate, route);
criterion_main!(benches);
