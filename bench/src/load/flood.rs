//! `server-load flood`: what one address flooding `POST /v1/events` costs every other shopper.
//! Shoppers post batches of 10 results as the widget does, each from an address of its own, at
//! a steady rate (an open load: each batch on time whether or not earlier ones were answered):
//! first alone (`calm`), then while `flooders` connections from one address post batches of 50
//! impressions back to back (`flood`). The server is told to trust `X-Forwarded-For` from
//! loopback, so this one process can be both the flooding address and the shoppers.
//!
//! The figure is the shoppers' batch latency during the flood, and the check is that not one
//! of their batches is shed (503) or otherwise refused: the flood may only cost the flooder.

use super::client::{Answer, Failure, HttpClient, exchange, keep_alive_client};
use super::events::{BATCH_EVENTS, batch_body};
use super::server::{self, FORWARDED_FOR, ORIGIN, STORE};
use super::{Outcome, Result, millis, rounded};
use crate::stats::percentile;
use bytes::Bytes;
use encore_core::event_id::EventId;
use encore_core::events::{AckStatus, BatchReply, Event, EventBody, Impression};
use encore_e2e::store_config;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, ORIGIN as ORIGIN_HEADER};
use hyper::{Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// The flooding address (TEST-NET-3, never a shopper's).
pub const FLOOD_ADDRESS: &str = "203.0.113.66";
/// Results in one flood batch: as many as the widget ever sends in one.
pub const FLOOD_BATCH: usize = encore_core::events::MAX_BATCH_EVENTS;
/// Flooding connections when none are asked for: twice the 64 batches the server's line holds,
/// so that a server without a share per client would find its line full.
pub const DEFAULT_FLOODERS: usize = 128;
/// Shoppers' batches per second when none are asked for: a busy shop's worth of pages.
pub const DEFAULT_RATE: u64 = 20;

/// How long, how hard and how many.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Seconds of each phase (calm, then flood).
    pub seconds: u64,
    /// Connections flooding from the one address.
    pub flooders: usize,
    /// Shoppers' batches per second.
    pub rate: u64,
}

/// What the shoppers saw in one phase.
#[derive(Debug, Default)]
struct Shoppers {
    /// Latency of every answered batch, ms.
    latencies_ms: Vec<f64>,
    /// Batches sent.
    requests: u64,
    /// Answers by kind: `2xx`, `http_<code>`, or the client's failure kind.
    statuses: BTreeMap<String, u64>,
    /// Results in 2xx answers that were not accepted, by status and reason.
    not_accepted: BTreeMap<String, u64>,
    /// Results accepted.
    accepted: u64,
}

impl Shoppers {
    fn take(&mut self, answer: std::result::Result<Answer, Failure>) {
        let answer = match answer {
            Ok(answer) => answer,
            Err(failure) => {
                *self.statuses.entry(failure.kind.to_owned()).or_default() += 1;
                return;
            }
        };
        self.latencies_ms.push(millis(answer.elapsed));
        *self.statuses.entry(status_key(answer.status)).or_default() += 1;
        if !answer.status.is_success() {
            return;
        }
        let (accepted, others) = judge(&answer.body);
        self.accepted += accepted;
        for (key, n) in others {
            *self.not_accepted.entry(key).or_default() += n;
        }
    }

    /// Everything but a 2xx with every result accepted.
    fn errors(&self) -> BTreeMap<String, u64> {
        let mut errors: BTreeMap<String, u64> = self
            .statuses
            .iter()
            .filter(|(k, _)| k.as_str() != "2xx")
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        errors.extend(self.not_accepted.clone());
        errors
    }

    fn status(&self, key: &str) -> u64 {
        self.statuses.get(key).copied().unwrap_or(0)
    }
}

/// What the flooder saw.
#[derive(Debug, Default)]
struct Flooder {
    requests: u64,
    statuses: BTreeMap<String, u64>,
    accepted: u64,
    not_accepted: BTreeMap<String, u64>,
}

impl Flooder {
    fn take(&mut self, answer: std::result::Result<Answer, Failure>) {
        self.requests += 1;
        let key = match &answer {
            Ok(answer) => status_key(answer.status),
            Err(failure) => failure.kind.to_owned(),
        };
        *self.statuses.entry(key).or_default() += 1;
        // Only these carry per-result answers; a 429 or 503 is one error for the whole batch.
        if let Some(answer) = answer
            .ok()
            .filter(|a| a.status.is_success() || a.status == StatusCode::UNPROCESSABLE_ENTITY)
        {
            let (accepted, others) = judge(&answer.body);
            self.accepted += accepted;
            for (key, n) in others {
                *self.not_accepted.entry(key).or_default() += n;
            }
        }
    }

    fn merge(&mut self, other: Flooder) {
        self.requests += other.requests;
        self.accepted += other.accepted;
        for (k, n) in other.statuses {
            *self.statuses.entry(k).or_default() += n;
        }
        for (k, n) in other.not_accepted {
            *self.not_accepted.entry(k).or_default() += n;
        }
    }
}

fn status_key(status: StatusCode) -> String {
    if status.is_success() {
        "2xx".to_owned()
    } else {
        format!("http_{}", status.as_u16())
    }
}

/// Results accepted in a batch's answer, and the others by status and reason.
fn judge(body: &[u8]) -> (u64, BTreeMap<String, u64>) {
    let mut others = BTreeMap::new();
    let Ok(reply) = serde_json::from_slice::<BatchReply>(body) else {
        others.insert("unreadable_reply".to_owned(), 1);
        return (0, others);
    };
    let mut accepted = 0;
    for result in reply.results {
        let key = match (result.status, result.reason) {
            (AckStatus::Accepted, _) => {
                accepted += 1;
                continue;
            }
            (AckStatus::Duplicate, _) => "duplicate".to_owned(),
            (AckStatus::Rejected, reason) => format!("rejected_{}", reason.unwrap_or_default()),
        };
        *others.entry(key).or_default() += 1;
    }
    (accepted, others)
}

/// Runs both phases against a fresh server and reports the shoppers' latency and answers.
pub async fn run(options: Options) -> Result<Outcome> {
    let running = server::start_with_args(
        &store_config(STORE, &[ORIGIN.to_owned()]),
        &server::BEHIND_PROXY,
    )?;
    let uri: Uri = running.events_uri()?;
    let pid = running.server.pid().ok_or("the server is not running")?;
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(64)
        .build_http();

    eprintln!(
        "calm: {} shoppers' batches/s for {} s",
        options.rate, options.seconds
    );
    let calm = shoppers(&client, &uri, options.rate, options.seconds).await;

    eprintln!(
        "flood: {} connections from {FLOOD_ADDRESS}, {} shoppers' batches/s for {} s",
        options.flooders, options.rate, options.seconds
    );
    let stop = Arc::new(AtomicBool::new(false));
    let flooding = {
        let (uri, stop, flooders) = (uri.clone(), stop.clone(), options.flooders);
        std::thread::spawn(move || flood_thread(&uri, &stop, flooders))
    };
    let started = Instant::now();
    let during = shoppers(&client, &uri, options.rate, options.seconds).await;
    stop.store(true, Ordering::Relaxed);
    let flooded = flooding
        .join()
        .map_err(|_| "the flooding thread panicked".to_owned())??;
    let flood_seconds = started.elapsed().as_secs_f64();
    let rss_max = server::peak_rss_kb(pid);
    drop(client);

    let stored = running.stored_results(STORE).await?;
    drop(running);

    let mut notes: Vec<String> = server::build_note().into_iter().collect();
    notes.push(format!(
        "flood: {} connections from one address posting {FLOOD_BATCH}-impression batches back \
         to back; shoppers: {} batches of {BATCH_EVENTS} results a second, each from one of {} \
         addresses; one client thread beside the server",
        options.flooders,
        options.rate,
        server::SHOPPERS
    ));
    let rss_max = rss_max
        .map_err(|e| notes.push(format!("server_rss_kb_max: {e}")))
        .ok();
    let errors = during.errors();
    let accepted = calm.accepted + during.accepted + flooded.accepted;
    let failed = if !errors.is_empty() {
        Some(format!(
            "shoppers' batches not served during the flood: {errors:?}"
        ))
    } else if u64::try_from(stored).ok() != Some(accepted) {
        Some(format!("{stored} results stored of {accepted} accepted"))
    } else {
        None
    };
    let report = json!({
        "genuine_batch_p99_ms_during_flood": rounded(percentile(&during.latencies_ms, 99.0)),
        "genuine_batch_p50_ms_during_flood": rounded(percentile(&during.latencies_ms, 50.0)),
        "genuine_503_during_flood": during.status("http_503"),
        "genuine_requests_during_flood": during.requests,
        "genuine_errors_during_flood": errors,
        "genuine_error_count_during_flood": errors.values().sum::<u64>(),
        "genuine_batch_p99_ms_calm": rounded(percentile(&calm.latencies_ms, 99.0)),
        "genuine_batch_p50_ms_calm": rounded(percentile(&calm.latencies_ms, 50.0)),
        "genuine_error_count_calm": calm.errors().values().sum::<u64>(),
        "flood_requests": flooded.requests,
        "flood_requests_per_sec": rounded(Some(flooded.requests as f64 / flood_seconds.max(1e-9))),
        "flood_statuses": flooded.statuses,
        "flood_results_accepted": flooded.accepted,
        "flood_results_not_accepted": flooded.not_accepted,
        "events_accepted": accepted,
        "events_stored": stored,
        "server_rss_kb_max": rss_max,
        "cpus": super::cpus(),
        "notes": notes,
    });
    Ok(Outcome { report, failed })
}

/// Shoppers' batches at `rate` a second for `seconds`, each on time and from a shopper's
/// address, and what they got.
async fn shoppers(client: &HttpClient, uri: &Uri, rate: u64, seconds: u64) -> Shoppers {
    let total = rate * seconds;
    let interval = Duration::from_secs_f64(1.0 / rate.max(1) as f64);
    let mut tally = Shoppers::default();
    let mut tasks = JoinSet::new();
    let started = Instant::now();
    for n in 0..total {
        tokio::time::sleep_until(started + interval.mul_f64(n as f64)).await;
        while let Some(done) = tasks.try_join_next() {
            tally.take(done.unwrap_or_else(|e| Err(task_failure(&e))));
        }
        let body = match batch_body() {
            Ok(body) => body,
            Err(e) => {
                eprintln!("cannot make a batch: {e}");
                continue;
            }
        };
        let request = post(uri, body, &server::any_shopper());
        tally.requests += 1;
        let client = client.clone();
        tasks.spawn(async move { exchange(&client, request?).await });
    }
    while let Some(done) = tasks.join_next().await {
        tally.take(done.unwrap_or_else(|e| Err(task_failure(&e))));
    }
    tally
}

/// `flooders` connections flooding until `stop`, on a thread and runtime of their own: making
/// the flood's batches must not hold up the shoppers' requests in this process, or their
/// latency would be the load generator's, not the server's.
fn flood_thread(uri: &Uri, stop: &Arc<AtomicBool>, flooders: usize) -> Result<Flooder> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("flood runtime: {e}"))?;
    runtime.block_on(async {
        let tasks: Vec<_> = (0..flooders)
            .map(|_| tokio::spawn(flood(uri.clone(), stop.clone())))
            .collect();
        let mut flooded = Flooder::default();
        for task in tasks {
            flooded.merge(task.await.map_err(|e| format!("flooder: {e}"))?);
        }
        Ok(flooded)
    })
}

/// One flooding connection: batches back to back from [`FLOOD_ADDRESS`] until `stop`.
async fn flood(uri: Uri, stop: Arc<AtomicBool>) -> Flooder {
    let client = keep_alive_client();
    let mut tally = Flooder::default();
    while !stop.load(Ordering::Relaxed) {
        let body = match flood_body() {
            Ok(body) => body,
            Err(e) => {
                eprintln!("cannot make a flood batch: {e}");
                break;
            }
        };
        match post(&uri, body, FLOOD_ADDRESS) {
            Ok(request) => tally.take(exchange(&client, request).await),
            Err(failure) => tally.take(Err(failure)),
        }
    }
    tally
}

/// A POST of `body` to `uri` from `address`.
fn post(
    uri: &Uri,
    body: Vec<u8>,
    address: &str,
) -> std::result::Result<Request<Full<Bytes>>, Failure> {
    Request::post(uri.clone())
        .header(CONTENT_TYPE, "application/json")
        .header(ORIGIN_HEADER, ORIGIN)
        .header(FORWARDED_FOR, address)
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| Failure {
            kind: "request",
            detail: e.to_string(),
        })
}

/// A flood batch: [`FLOOD_BATCH`] impressions with fresh ids, each a result a server without
/// limits would store. Written from a template, as cheaply as a flooder would: the load
/// generator's time is better spent sending.
fn flood_body() -> serde_json::Result<Vec<u8>> {
    let template = serde_json::to_string(&Event {
        id: EventId::from_random_bytes([0; 16]),
        store: STORE.to_owned(),
        occurred_at: super::now_ms(),
        body: EventBody::Impression(Impression {
            mode: "product".to_owned(),
            product: Some("flood".to_owned()),
            page: None,
        }),
    })?;
    let zero = EventId::from_random_bytes([0; 16]);
    let mut body = String::from(r#"{"events":["#);
    for n in 0..FLOOD_BATCH {
        if n > 0 {
            body.push(',');
        }
        let id = EventId::from_random_bytes(fastrand::u128(..).to_le_bytes());
        body.push_str(&template.replacen(zero.as_str(), id.as_str(), 1));
    }
    body.push_str("]}");
    Ok(body.into_bytes())
}

fn task_failure(e: &tokio::task::JoinError) -> Failure {
    Failure {
        kind: "task",
        detail: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).expect("a status"),
            body: Bytes::from(body.to_owned()),
            retry_after: None,
            elapsed: Duration::from_millis(4),
        }
    }

    #[test]
    fn a_shopper_counts_every_answer_but_an_accepted_batch_as_an_error() {
        let mut shoppers = Shoppers::default();
        shoppers.take(Ok(answer(
            200,
            r#"{"results":[{"id":"a","status":"accepted"}]}"#,
        )));
        shoppers.take(Ok(answer(503, "{}")));
        shoppers.take(Ok(answer(
            200,
            r#"{"results":[{"id":"b","status":"rejected","reason":"rate_limited"}]}"#,
        )));
        assert_eq!(shoppers.accepted, 1);
        assert_eq!(shoppers.status("http_503"), 1);
        let errors: Vec<(String, u64)> = shoppers.errors().into_iter().collect();
        assert_eq!(
            errors,
            [
                ("http_503".to_owned(), 1),
                ("rejected_rate_limited".to_owned(), 1)
            ]
        );
    }

    #[test]
    fn flood_batches_are_as_large_as_a_widget_sends_and_decode_with_fresh_ids() {
        let body = flood_body().expect("encodes");
        assert!(body.len() < encore_core::events::MAX_BATCH_BYTES);
        let batch: encore_core::events::EventBatch =
            serde_json::from_slice(&body).expect("a batch");
        assert_eq!(batch.events.len(), FLOOD_BATCH);
        let ids: std::collections::BTreeSet<EventId> = batch
            .events
            .iter()
            .map(|raw| encore_core::events::decode_event(raw).map(|e| e.id))
            .collect::<std::result::Result<_, _>>()
            .expect("every result decodes");
        assert_eq!(ids.len(), FLOOD_BATCH);
    }
}
