//! The server under load, from this separate process over loopback (`server-load burst`'s own
//! code): 60 s of results at 1,200 events/s must be held at ≥ 1,000 events/s with p99 < 100 ms
//! and no error; then a 5× burst may be shed, but only with 429/503 and `Retry-After`, never
//! with a timeout or a dropped connection; and the server's memory stays bounded.
//!
//! Needs ENCORE_SERVER_BIN pointing to a release build (`cargo xtask test --long` builds one
//! and sets it): a debug server cannot hold the rate, and its figures would mean nothing.

use encore_bench::load::burst::{self, Options};
use serde_json::Value;

/// Peak resident memory the server may reach, KiB. An idle release server holds about 12 MiB;
/// on top of that the load can only add the line for the writer (at most 64 batches of at most
/// 64 KiB, a few times that once decoded: ≤ 16 MiB), SQLite's page caches (2 MiB per pooled
/// connection, at most 10: 20 MiB) and the buffers of the generator's connections (at most 512
/// in flight, a few KiB each). Anything above means memory grows with the load, unbounded.
const RSS_BOUND_KB: u64 = 64 * 1024;

fn number(report: &Value, key: &str) -> f64 {
    report[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} was not measured: {report}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
#[ignore = "long: run by cargo xtask test --long"]
async fn the_server_holds_1000_events_per_second_and_sheds_a_burst_cleanly() {
    let server = std::env::var("ENCORE_SERVER_BIN")
        .expect("ENCORE_SERVER_BIN is not set: run through `cargo xtask test --long`");
    assert!(
        !server.contains("/debug/"),
        "{server} is a debug build; the load test needs a release server"
    );
    let outcome = burst::run(Options {
        seconds: 60,
        rate: burst::DEFAULT_RATE,
        factor: 5,
        burst_seconds: 10,
    })
    .await
    .expect("the load runs");
    let report = outcome.report;
    eprintln!("{report}");
    assert_eq!(outcome.failed, None, "{report}");

    // Steady: held in full.
    assert!(number(&report, "events_per_sec") >= 1000.0, "{report}");
    assert!(number(&report, "seconds") >= 60.0, "{report}");
    assert!(number(&report, "p99_ms") < 100.0, "{report}");
    assert_eq!(number(&report, "error_count"), 0.0, "{report}");

    // Burst: every request answered, served or shed with Retry-After.
    assert_eq!(number(&report, "burst_error_count"), 0.0, "{report}");
    let answered =
        number(&report, "burst_2xx") + number(&report, "burst_503") + number(&report, "burst_429");
    assert_eq!(answered, number(&report, "burst_requests"), "{report}");

    let rss = number(&report, "server_rss_kb_max");
    assert!(rss <= RSS_BOUND_KB as f64, "server RSS {rss} KiB: {report}");
}
