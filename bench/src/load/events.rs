//! `server-load load`: `concurrency` workers, each on one keep-alive connection, post batches
//! of 10 results to `POST /v1/events` for `seconds`, then the `events` table is counted to
//! check that everything sent was stored.
//!
//! The batches are what a widget sends from a store's pages: impressions of its surfaces, a
//! referral landing and a share, each with a random UUID id, posted from the shop's origin.
//! Each batch comes from one of many shoppers' addresses (`X-Forwarded-For` from loopback, which
//! the server is told to trust), so that no address comes near its limits per client and type:
//! the load is many shoppers, not one client, and no limit had to be lifted for it.

use super::client::{Answer, HttpClient, exchange, keep_alive_client};
use super::server::{self, ORIGIN, STORE};
use super::{Outcome, Result, millis, rounded};
use crate::stats::percentile;
use bytes::Bytes;
use encore_core::event_id::EventId;
use encore_core::events::{
    AckStatus, BatchReply, Event, EventBatch, EventBody, Impression, ReferralLanded,
};
use encore_core::referral::results::{ReferralShared, SharedVia};
use encore_e2e::store_config;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, ORIGIN as ORIGIN_HEADER};
use hyper::{Request, Uri};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Results per batch.
pub const BATCH_EVENTS: usize = 10;

/// A guard on each worker's loop; the deadline ends it long before.
const MAX_BATCHES_PER_WORKER: u64 = 10_000_000;

const PRODUCTS: [&str; 4] = [
    "jasmine-silver-needle",
    "osmanthus-oolong",
    "dragon-well",
    "white-peony",
];
const MODES: [&str; 5] = ["product", "thank-you", "offers", "referral", "review"];
const VIAS: [SharedVia; 4] = [
    SharedVia::Copy,
    SharedVia::Native,
    SharedVia::Whatsapp,
    SharedVia::Email,
];

/// How long and how wide to load the server.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Seconds of posting.
    pub seconds: u64,
    /// Workers, each with one connection and one request in flight.
    pub concurrency: usize,
}

/// Workers when none are asked for: two per CPU, so the server always has more batches in
/// flight than cores, as when many shoppers' pages flush at once. Throughput does not grow
/// with more (every batch commits alone on SQLite's single writer, with an fsync); the extra
/// requests show what waiting for that writer does to the latency.
pub fn default_concurrency() -> usize {
    2 * super::cpus().unwrap_or(1)
}

/// Loads a fresh server and reports throughput, latency, errors, stored rows and memory.
pub async fn run(options: Options) -> Result<Outcome> {
    let running = server::start_with_args(
        &store_config(STORE, &[ORIGIN.to_owned()]),
        &server::BEHIND_PROXY,
    )?;
    let uri: Uri = running.events_uri()?;
    eprintln!(
        "posting {BATCH_EVENTS}-result batches for {} s on {} connections",
        options.seconds, options.concurrency
    );
    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let workers: Vec<_> = (0..options.concurrency)
        .map(|_| tokio::spawn(worker(uri.clone(), deadline)))
        .collect();
    let mut tally = Tally::default();
    for worker in workers {
        tally.merge(worker.await.map_err(|e| format!("worker: {e}"))?);
    }
    let elapsed = started.elapsed();

    let stored = running.stored_results(STORE).await?;
    let mut notes = Vec::new();
    let rss = match running.server.pid().map(server::peak_rss_kb) {
        Some(Ok(kb)) => Some(kb),
        Some(Err(e)) => {
            notes.push(format!("server_rss_kb_max: {e}"));
            None
        }
        None => {
            notes.push("server_rss_kb_max: the server is not running".to_owned());
            None
        }
    };
    drop(running);
    Ok(report(options, &tally, elapsed, stored, rss, notes))
}

fn report(
    options: Options,
    tally: &Tally,
    elapsed: Duration,
    stored: i64,
    rss: Option<u64>,
    mut notes: Vec<String>,
) -> Outcome {
    notes.extend(server::build_note());
    notes.push(format!(
        "the load generator shares the machine: one client thread beside the server; mean batch \
         body {} bytes (the server refuses bodies over {} bytes); each batch from one of {} \
         shopper addresses, far inside the limits per address",
        tally.body_bytes.checked_div(tally.requests).unwrap_or(0),
        encore_server::MAX_BODY_BYTES,
        server::SHOPPERS
    ));
    let seconds = elapsed.as_secs_f64();
    let failed = (u64::try_from(stored).ok() != Some(tally.events_sent)).then(|| {
        format!(
            "{stored} results stored of {} sent ({} acknowledged as accepted)",
            tally.events_sent, tally.events_accepted
        )
    });
    let report = json!({
        "events_per_sec": rounded((seconds > 0.0).then(|| tally.events_accepted as f64 / seconds)),
        "p50_ms": rounded(percentile(&tally.latencies_ms, 50.0)),
        "p99_ms": rounded(percentile(&tally.latencies_ms, 99.0)),
        "requests": tally.requests,
        "errors": tally.errors,
        "events_sent": tally.events_sent,
        "events_accepted": tally.events_accepted,
        "events_stored": stored,
        "seconds": rounded(Some(seconds)),
        "concurrency": options.concurrency,
        "cpus": super::cpus(),
        "server_rss_kb_max": rss,
        "notes": notes,
    });
    Outcome { report, failed }
}

/// What one worker (or all, merged) saw.
#[derive(Debug, Default)]
struct Tally {
    latencies_ms: Vec<f64>,
    requests: u64,
    body_bytes: u64,
    events_sent: u64,
    events_accepted: u64,
    errors: BTreeMap<String, u64>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.latencies_ms.extend(other.latencies_ms);
        self.requests += other.requests;
        self.body_bytes += other.body_bytes;
        self.events_sent += other.events_sent;
        self.events_accepted += other.events_accepted;
        for (kind, n) in other.errors {
            *self.errors.entry(kind).or_default() += n;
        }
    }

    fn error(&mut self, kind: String) {
        *self.errors.entry(kind).or_default() += 1;
    }

    /// Counts the accepted results of an answer, and everything else as an error by kind.
    fn judge(&mut self, answer: &Answer) {
        if !answer.status.is_success() {
            self.error(format!("http_{}", answer.status.as_u16()));
            return;
        }
        let Ok(reply) = serde_json::from_slice::<BatchReply>(&answer.body) else {
            self.error("unreadable_reply".to_owned());
            return;
        };
        for result in reply.results {
            match (result.status, result.reason) {
                (AckStatus::Accepted, _) => self.events_accepted += 1,
                (AckStatus::Duplicate, _) => self.error("duplicate".to_owned()),
                (AckStatus::Rejected, reason) => {
                    self.error(format!("rejected_{}", reason.unwrap_or_default()));
                }
            }
        }
    }
}

/// Posts batches on one connection until `deadline`.
async fn worker(uri: Uri, deadline: Instant) -> Tally {
    let client = keep_alive_client();
    let mut tally = Tally::default();
    for _ in 0..MAX_BATCHES_PER_WORKER {
        if Instant::now() >= deadline {
            break;
        }
        post_one(&client, &uri, &mut tally).await;
    }
    tally
}

async fn post_one(client: &HttpClient, uri: &Uri, tally: &mut Tally) {
    let body = match batch_body() {
        Ok(body) => body,
        Err(e) => {
            eprintln!("cannot make a batch (encode): {e}");
            tally.error("encode".to_owned());
            return;
        }
    };
    let body_bytes = body.len() as u64;
    let request = Request::post(uri.clone())
        .header(CONTENT_TYPE, "application/json")
        .header(ORIGIN_HEADER, ORIGIN)
        .header(server::FORWARDED_FOR, server::any_shopper())
        .body(Full::new(Bytes::from(body)));
    let request = match request {
        Ok(request) => request,
        Err(e) => {
            eprintln!("cannot make a batch (request): {e}");
            tally.error("request".to_owned());
            return;
        }
    };
    tally.requests += 1;
    tally.body_bytes += body_bytes;
    tally.events_sent += BATCH_EVENTS as u64;
    match exchange(client, request).await {
        Ok(answer) => {
            tally.latencies_ms.push(millis(answer.elapsed));
            tally.judge(&answer);
        }
        Err(failure) => {
            eprintln!("request failed ({}): {}", failure.kind, failure.detail);
            tally.error(failure.kind.to_owned());
        }
    }
}

/// The JSON body of one batch, as the widget's transport sends it.
pub(crate) fn batch_body() -> serde_json::Result<Vec<u8>> {
    let now = super::now_ms();
    let events = (0..BATCH_EVENTS)
        .map(|i| serde_json::to_value(event(i, now)))
        .collect::<serde_json::Result<Vec<Value>>>()?;
    serde_json::to_vec(&EventBatch { events })
}

/// Result `i` of a batch made at `now` (ms): impressions, then a landing, then a share.
fn event(i: usize, now: u64) -> Event {
    let product = PRODUCTS[fastrand::usize(..PRODUCTS.len())];
    let page = Some(format!("https://shop.example/products/{product}"));
    let code = format!("ADV{:05}", fastrand::u32(..100_000));
    let body = match i {
        8 => EventBody::ReferralLanded(ReferralLanded {
            code,
            landed_at: now.saturating_sub(2_000),
            page,
            device: None,
        }),
        9 => EventBody::ReferralShared(ReferralShared {
            code,
            via: VIAS[fastrand::usize(..VIAS.len())],
        }),
        _ => EventBody::Impression(Impression {
            mode: MODES[fastrand::usize(..MODES.len())].to_owned(),
            product: Some(product.to_owned()),
            page,
        }),
    };
    Event {
        id: EventId::from_random_bytes(fastrand::u128(..).to_le_bytes()),
        store: STORE.to_owned(),
        // Results wait a little in the widget's outbox before they are sent.
        occurred_at: now.saturating_sub(i as u64 * 150),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::events::decode_event;

    #[test]
    fn batches_decode_as_the_contract_says() {
        let body = batch_body().expect("encodes");
        let batch: EventBatch = serde_json::from_slice(&body).expect("a batch");
        assert_eq!(batch.events.len(), BATCH_EVENTS);
        for raw in &batch.events {
            assert!(decode_event(raw).is_ok(), "{raw}");
        }
    }
}
