//! Load shedding on `POST /v1/events`: the line for SQLite's writer is bounded in length and
//! in waiting time; a batch beyond either bound is answered 503 with `Retry-After` at once,
//! having stored nothing, so that the client's retry stores it exactly once.

mod common;

use axum::http::{StatusCode, header};
use common::{Fixture, Reply, batch, events_request, id, impression};
use encore_server::write_queue::{QueueLimits, RETRY_AFTER_SECS};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Generous: an answer that takes this long on a loaded machine is a hang, not slowness.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

async fn fixture(limits: QueueLimits) -> Fixture {
    let mut f = Fixture::new().await;
    f.state = f.state.clone().with_queue_limits(limits);
    f
}

/// Posts a batch of one impression with id `n`, answered within [`ANSWER_TIMEOUT`] or failing.
fn post(f: &Fixture, n: u8) -> JoinHandle<Reply> {
    let app = f.app();
    let body = batch(vec![impression(&id(n), "demo")]).to_string();
    tokio::spawn(async move {
        let request = events_request(body, "application/json", None);
        tokio::time::timeout(ANSWER_TIMEOUT, common::send(app, request))
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

fn assert_shed(reply: &Reply) {
    reply.assert_error(StatusCode::SERVICE_UNAVAILABLE, "overloaded");
    let retry_after = reply
        .headers
        .get(header::RETRY_AFTER)
        .expect("a shed batch says when to retry");
    assert_eq!(retry_after, RETRY_AFTER_SECS.to_string().as_str());
}

async fn stored_ids(f: &Fixture) -> Vec<String> {
    sqlx::query_scalar("SELECT id FROM events ORDER BY id")
        .fetch_all(&f.state.db)
        .await
        .expect("read stored ids")
}

/// Ten batches at once while the writer is busy and four may wait: six are shed at once with
/// `Retry-After`, the four that waited are stored when the writer is free, and the shed ones,
/// sent again, are stored too: every id exactly once.
#[tokio::test]
async fn a_burst_beyond_the_line_is_shed_and_its_retry_stored_once() {
    let f = fixture(QueueLimits {
        max_waiting: 4,
        max_wait: Duration::from_secs(600),
        ..QueueLimits::default()
    })
    .await;
    let writing = f.state.batch_writer.lock().await;
    let burst: Vec<(u8, JoinHandle<Reply>)> = (1..=10).map(|n| (n, post(&f, n))).collect();
    until("four batches wait and six are answered", || {
        f.state.write_queue.waiting() == 4
            && burst.iter().filter(|(_, h)| h.is_finished()).count() == 6
    })
    .await;
    assert!(
        stored_ids(&f).await.is_empty(),
        "stored while the writer was busy"
    );
    drop(writing);

    let (mut accepted, mut shed) = (BTreeSet::new(), Vec::new());
    for (n, handle) in burst {
        let reply = handle.await.expect("the request task ends");
        if reply.status == StatusCode::OK {
            assert_eq!(reply.acks()[0].1, "accepted", "{}", reply.json);
            accepted.insert(id(n));
        } else {
            assert_shed(&reply);
            shed.push(n);
        }
    }
    assert_eq!((accepted.len(), shed.len()), (4, 6));
    assert_eq!(
        stored_ids(&f).await,
        accepted.iter().cloned().collect::<Vec<_>>(),
        "exactly the batches answered 200 are stored"
    );

    // The clients retry: the line is empty now, so every retry is stored.
    for n in shed {
        let reply = post(&f, n).await.expect("the retry task ends");
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
        assert_eq!(reply.acks()[0].1, "accepted", "{}", reply.json);
    }
    // A retry of a batch that was stored is a duplicate, not a second row.
    let again = post(&f, 1).await.expect("the repeat task ends");
    assert_eq!(again.acks()[0].1, "duplicate", "{}", again.json);
    let expected: Vec<String> = (1..=10).map(id).collect();
    assert_eq!(
        stored_ids(&f).await,
        expected,
        "every id stored exactly once"
    );
    assert_eq!(
        f.state.write_queue.waiting(),
        0,
        "places in line were given back"
    );
}

/// A batch that waits longer than `max_wait` for a stalled writer is answered 503 while the
/// writer is still stalled, and stored nothing.
#[tokio::test]
async fn a_batch_that_waits_too_long_is_shed() {
    let f = fixture(QueueLimits {
        max_waiting: 8,
        max_wait: Duration::from_millis(300),
        ..QueueLimits::default()
    })
    .await;
    let writing = f.state.batch_writer.lock().await;
    let reply = post(&f, 1).await.expect("the request task ends");
    assert_shed(&reply);
    drop(writing);
    assert!(
        stored_ids(&f).await.is_empty(),
        "a shed batch stored something"
    );
    assert_eq!(
        f.state.write_queue.waiting(),
        0,
        "the place in line was given back"
    );

    let retry = post(&f, 1).await.expect("the retry task ends");
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.json);
    assert_eq!(stored_ids(&f).await, vec![id(1)]);
}

/// A line of one sheds nothing when batches come one after another: the bound is on waiting,
/// not on writing.
#[tokio::test]
async fn a_short_line_sheds_nothing_without_contention() {
    let f = fixture(QueueLimits {
        max_waiting: 1,
        max_wait: Duration::from_secs(600),
        ..QueueLimits::default()
    })
    .await;
    for n in 1..=5 {
        let reply = post(&f, n).await.expect("the request task ends");
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    }
    assert_eq!(stored_ids(&f).await.len(), 5);
}
