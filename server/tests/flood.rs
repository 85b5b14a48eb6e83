//! A flood of results from one address on `POST /v1/events`: each client has limits per type of
//! result (an analytics result past its limit is refused for good, a shopper's action is left
//! unanswered so that it is sent again later), and each client holds only a few places in the
//! line for the writer, so that a flood from one address costs other shoppers no 503.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::reviews::from_ip;
use common::{Fixture, Reply, batch, events_request, send};
use encore_server::client_limits;
use encore_server::write_queue::QueueLimits;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Generous: an answer that takes this long on a loaded machine is a hang, not slowness.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// The limits docs/endpoint.md promises per client address and 10 minutes.
const IMPRESSIONS_PER_WINDOW: usize = 600;
const SHARES_PER_WINDOW: usize = 2000;

/// A UUID made from `n`, for tests that need more ids than `common::id` makes.
fn uid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

fn impression(n: u32) -> Value {
    common::impression(&uid(n), "demo")
}

fn share(n: u32) -> Value {
    json!({
        "id": uid(n),
        "store": "demo",
        "occurred_at": 1_700_000_000_000u64,
        "type": "referral.shared",
        "data": {"code": "ALEX-15", "via": "copy"}
    })
}

/// A batch of `events` posted from `ip`.
fn from(ip: &str, events: Vec<Value>) -> Request<Body> {
    let request = events_request(batch(events).to_string(), "application/json", None);
    from_ip(request, ip)
}

/// Sends `request` in a task, answered within [`ANSWER_TIMEOUT`] or failing.
fn spawn(f: &Fixture, request: Request<Body>) -> JoinHandle<Reply> {
    let app = f.app();
    tokio::spawn(async move {
        tokio::time::timeout(ANSWER_TIMEOUT, send(app, request))
            .await
            .expect("every request is answered, none hangs")
    })
}

/// Polls `done` every 10 ms until it holds, failing with `what` after [`ANSWER_TIMEOUT`].
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < ANSWER_TIMEOUT,
            "timed out waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn stored(f: &Fixture, ty: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE type = $1")
        .bind(ty)
        .fetch_one(&f.state.db)
        .await
        .expect("count")
}

/// 80 batches at once from one address while the writer is busy, then one batch from each of
/// 20 other shoppers: the flood keeps only its share of the line (the rest of it is told 429
/// with `Retry-After`), and every shopper's batch waits its turn and is stored.
#[tokio::test]
async fn a_flood_from_one_address_costs_other_shoppers_no_503() {
    let mut f = Fixture::new().await;
    f.state = f.state.clone().with_queue_limits(QueueLimits {
        max_waiting: QueueLimits::DEFAULT_MAX_WAITING,
        // Long enough that no batch is shed for waiting while the test holds the writer.
        max_wait: Duration::from_secs(600),
        ..QueueLimits::default()
    });
    let writing = f.state.batch_writer.lock().await;

    let flood: Vec<JoinHandle<Reply>> = (0..80)
        .map(|n| spawn(&f, from("203.0.113.66", vec![impression(n)])))
        .collect();
    until("every flood batch is answered or waits", || {
        let answered = flood.iter().filter(|h| h.is_finished()).count();
        answered + f.state.write_queue.waiting() == flood.len()
    })
    .await;
    let flood_waiting = f.state.write_queue.waiting();

    let shoppers: Vec<JoinHandle<Reply>> = (1..=20u32)
        .map(|n| {
            spawn(
                &f,
                from(&format!("198.51.100.{n}"), vec![impression(1000 + n)]),
            )
        })
        .collect();
    until("every shopper's batch is answered or waits", || {
        let answered = shoppers.iter().filter(|h| h.is_finished()).count();
        answered + f.state.write_queue.waiting() == flood_waiting + shoppers.len()
    })
    .await;
    drop(writing);

    for (n, shopper) in shoppers.into_iter().enumerate() {
        let reply = shopper.await.expect("the shopper's task ends");
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "shopper {n} got {}: {}",
            reply.status,
            reply.json
        );
        assert_eq!(reply.acks()[0].1, "accepted", "{}", reply.json);
    }
    let mut refused = 0;
    for handle in flood {
        let reply = handle.await.expect("the flood's task ends");
        if reply.status != StatusCode::OK {
            reply.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
            assert!(reply.headers.contains_key(header::RETRY_AFTER));
            refused += 1;
        }
    }
    assert_eq!(
        refused,
        80 - QueueLimits::DEFAULT_PER_CLIENT,
        "the flood holds its share of the line, no more"
    );
    assert_eq!(f.state.write_queue.waiting(), 0, "places were given back");
}

/// Impressions past the limit from one address are refused with `rate_limited`, which the
/// widget takes as final (they are analytics); another address is not affected.
#[tokio::test]
async fn impressions_past_the_limit_from_one_address_are_refused_for_good() {
    let f = Fixture::new().await;
    assert_eq!(
        client_limits::IMPRESSIONS.per_window as usize,
        IMPRESSIONS_PER_WINDOW
    );
    let (mut accepted, mut limited) = (0, 0);
    for b in 0..7u32 {
        let events = (0..100).map(|i| impression(b * 100 + i)).collect();
        let reply = send(f.app(), from("203.0.113.7", events)).await;
        for (_, status, reason) in reply.acks() {
            match (status.as_str(), reason.as_deref()) {
                ("accepted", None) => accepted += 1,
                ("rejected", Some("rate_limited")) => limited += 1,
                other => panic!("unexpected answer {other:?}"),
            }
        }
    }
    assert_eq!(
        (accepted, limited),
        (IMPRESSIONS_PER_WINDOW, 700 - IMPRESSIONS_PER_WINDOW)
    );
    assert_eq!(
        stored(&f, "widget.impression").await,
        IMPRESSIONS_PER_WINDOW as i64
    );

    let other = send(f.app(), from("198.51.100.7", vec![impression(5000)])).await;
    assert_eq!(other.acks()[0].1, "accepted", "{}", other.json);
}

/// A share past the limit is a person's action: it is left out of the answer, so the widget
/// keeps it and sends it again; a batch of nothing else is answered 429 with `Retry-After`
/// and stores nothing.
#[tokio::test]
async fn a_user_action_past_the_limit_is_left_unanswered_to_be_sent_again_later() {
    let f = Fixture::new().await;
    assert_eq!(client_limits::SHARES.per_window as usize, SHARES_PER_WINDOW);
    let ip = "203.0.113.8";
    let first: Vec<Value> = (0..SHARES_PER_WINDOW as u32).map(share).collect();
    for batch in first.chunks(100) {
        let reply = send(f.app(), from(ip, batch.to_vec())).await;
        assert!(
            reply.acks().iter().all(|(_, s, _)| s == "accepted"),
            "{}",
            reply.json
        );
    }

    let over = uid(SHARES_PER_WINDOW as u32);
    let mixed = send(
        f.app(),
        from(ip, vec![share(SHARES_PER_WINDOW as u32), impression(9000)]),
    )
    .await;
    assert_eq!(mixed.status, StatusCode::OK, "{}", mixed.json);
    assert_eq!(
        mixed.acks(),
        vec![(uid(9000), "accepted".to_owned(), None)],
        "the share past the limit is not answered, so not settled"
    );

    let alone = send(f.app(), from(ip, vec![share(SHARES_PER_WINDOW as u32)])).await;
    alone.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let wait: u64 = alone
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=600).contains(&wait), "Retry-After {wait}");
    let shares = stored(&f, "referral.shared").await;
    assert_eq!(shares, SHARES_PER_WINDOW as i64, "{over} was not stored");

    let other = send(f.app(), from("198.51.100.8", vec![share(9001)])).await;
    assert_eq!(other.acks()[0].1, "accepted", "{}", other.json);
}
