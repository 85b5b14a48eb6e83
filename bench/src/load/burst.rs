//! `server-load burst`: an open load, as when many shoppers' pages flush on their own
//! schedule. Batches of 10 results are sent at a steady rate for `seconds`, then at `factor`
//! times that rate for `burst_seconds`, each on time whether or not earlier ones have been
//! answered (a closed loop of workers would slow down with the server and never overload it).
//!
//! The steady phase should be served in full: every batch 2xx, its results accepted. In the
//! burst the server may shed, but only with 429 or 503 and `Retry-After`; a timeout or a
//! dropped connection means the shedding failed. Afterwards the `events` table is counted: a
//! shed batch must have stored nothing, so exactly the accepted results are stored.

use super::client::{Answer, Failure, HttpClient, exchange};
use super::events::{BATCH_EVENTS, batch_body};
use super::server::{self, ORIGIN, STORE};
use super::{Outcome, Result, millis, rounded};
use crate::stats::percentile;
use bytes::Bytes;
use encore_core::events::{AckStatus, BatchReply};
use encore_e2e::store_config;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, ORIGIN as ORIGIN_HEADER};
use hyper::{Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Events per second offered in the steady phase when none is asked for: 20% above the
/// 1,000/s goal, so that the goal is met even counting the time the last answers take.
pub const DEFAULT_RATE: u64 = 1_200;

/// Most requests the generator keeps in flight (each on its own connection); a send that
/// would exceed it is counted as `client_saturated`, never queued, so the schedule holds.
pub const MAX_IN_FLIGHT: usize = 512;

/// How hard and how long to load.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Seconds of the steady phase.
    pub seconds: u64,
    /// Events per second offered in the steady phase (in batches of [`BATCH_EVENTS`]).
    pub rate: u64,
    /// How many times the steady rate the burst offers.
    pub factor: u64,
    /// Seconds of the burst.
    pub burst_seconds: u64,
}

/// Statuses the burst may get: served, or shed with `Retry-After`.
pub const BURST_ALLOWED: [&str; 3] = ["2xx", "429", "503"];

/// What one phase saw.
#[derive(Debug, Default)]
struct Phase {
    /// Latencies of every answered request, ms.
    latencies_ms: Vec<f64>,
    /// Requests sent.
    requests: u64,
    /// Answers and failures by kind: `2xx`, `429` or `503` (with `Retry-After`),
    /// `503_without_retry_after`, `http_<code>`, or the client's failure kind (`timeout`...).
    statuses: BTreeMap<String, u64>,
    /// Results in 2xx answers that were not accepted, by status or reason.
    not_accepted: BTreeMap<String, u64>,
    /// Results accepted.
    events_accepted: u64,
    /// Sends skipped because [`MAX_IN_FLIGHT`] requests were waiting.
    client_saturated: u64,
    /// The latest a send left after its scheduled time, ms.
    lag_ms_max: f64,
    /// The schedule's span (`n` sends one interval apart take `n` intervals), or from the
    /// first send to the last answer when that is longer.
    elapsed: Duration,
}

impl Phase {
    fn count(&mut self, key: String) {
        *self.statuses.entry(key).or_default() += 1;
    }

    fn take(&mut self, answer: std::result::Result<Answer, Failure>) {
        let answer = match answer {
            Ok(answer) => answer,
            Err(failure) => {
                self.count(failure.kind.to_owned());
                return;
            }
        };
        self.latencies_ms.push(millis(answer.elapsed));
        let status = answer.status;
        if !status.is_success() {
            let shed = status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::SERVICE_UNAVAILABLE;
            self.count(match (shed, answer.retry_after.is_some()) {
                (true, true) => status.as_u16().to_string(),
                (true, false) => format!("{}_without_retry_after", status.as_u16()),
                (false, _) => format!("http_{}", status.as_u16()),
            });
            return;
        }
        self.count("2xx".to_owned());
        let Ok(reply) = serde_json::from_slice::<BatchReply>(&answer.body) else {
            *self
                .not_accepted
                .entry("unreadable_reply".into())
                .or_default() += 1;
            return;
        };
        for result in reply.results {
            let key = match (result.status, result.reason) {
                (AckStatus::Accepted, _) => {
                    self.events_accepted += 1;
                    continue;
                }
                (AckStatus::Duplicate, _) => "duplicate".to_owned(),
                (AckStatus::Rejected, reason) => format!("rejected_{}", reason.unwrap_or_default()),
            };
            *self.not_accepted.entry(key).or_default() += 1;
        }
    }

    /// Requests that did not end as `allowed` statuses, plus results not accepted and skipped
    /// sends.
    fn errors(&self, allowed: &[&str]) -> BTreeMap<String, u64> {
        let mut errors: BTreeMap<String, u64> = self
            .statuses
            .iter()
            .filter(|(k, _)| !allowed.contains(&k.as_str()))
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        errors.extend(self.not_accepted.clone());
        if self.client_saturated > 0 {
            errors.insert("client_saturated".into(), self.client_saturated);
        }
        errors
    }

    fn events_per_sec(&self) -> Option<f64> {
        let seconds = self.elapsed.as_secs_f64();
        (seconds > 0.0).then(|| self.events_accepted as f64 / seconds)
    }

    fn status(&self, key: &str) -> u64 {
        self.statuses.get(key).copied().unwrap_or(0)
    }
}

/// Loads a fresh server steadily, then in a burst, and reports both phases, the stored count
/// and the server's memory.
pub async fn run(options: Options) -> Result<Outcome> {
    // Many shoppers, each from an address of its own (see `events`).
    let running = server::start_with_args(
        &store_config(STORE, &[ORIGIN.to_owned()]),
        &server::BEHIND_PROXY,
    )?;
    let uri: Uri = running.events_uri()?;
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(MAX_IN_FLIGHT)
        .build_http();
    let pid = running.server.pid().ok_or("the server is not running")?;
    let batches_per_sec = options.rate as f64 / BATCH_EVENTS as f64;

    eprintln!(
        "steady: {} events/s for {} s",
        options.rate, options.seconds
    );
    let steady = phase(&client, &uri, batches_per_sec, options.seconds).await;
    let rss_steady = server::peak_rss_kb(pid);
    eprintln!(
        "burst: {} events/s for {} s",
        options.rate * options.factor,
        options.burst_seconds
    );
    let burst = phase(
        &client,
        &uri,
        batches_per_sec * options.factor as f64,
        options.burst_seconds,
    )
    .await;
    let rss_max = server::peak_rss_kb(pid);
    drop(client);

    let stored = running.stored_results(STORE).await?;
    drop(running);

    let mut notes: Vec<String> = server::build_note().into_iter().collect();
    let mut rss = |figure: &str, read: Result<u64>| match read {
        Ok(kb) => Some(kb),
        Err(e) => {
            notes.push(format!("{figure}: {e}"));
            None
        }
    };
    let rss_steady = rss("server_rss_kb_steady", rss_steady);
    let rss_max = rss("server_rss_kb_max", rss_max);
    notes.push(format!(
        "open load from one client thread beside the server: batches sent on schedule whether \
         or not earlier ones were answered, at most {MAX_IN_FLIGHT} in flight"
    ));
    let accepted = steady.events_accepted + burst.events_accepted;
    let failed = (u64::try_from(stored).ok() != Some(accepted))
        .then(|| format!("{stored} results stored of {accepted} accepted"));
    let steady_errors = steady.errors(&["2xx"]);
    let burst_errors = burst.errors(&BURST_ALLOWED);
    let report = json!({
        "events_per_sec": rounded(steady.events_per_sec()),
        "offered_events_per_sec": options.rate,
        "p50_ms": rounded(percentile(&steady.latencies_ms, 50.0)),
        "p99_ms": rounded(percentile(&steady.latencies_ms, 99.0)),
        "requests": steady.requests,
        "errors": steady_errors,
        "error_count": steady_errors.values().sum::<u64>(),
        "seconds": rounded(Some(steady.elapsed.as_secs_f64())),
        "burst_offered_events_per_sec": options.rate * options.factor,
        "burst_events_per_sec": rounded(burst.events_per_sec()),
        "burst_requests": burst.requests,
        "burst_statuses": burst.statuses,
        "burst_2xx": burst.status("2xx"),
        "burst_503": burst.status("503"),
        "burst_429": burst.status("429"),
        "burst_errors": burst_errors,
        "burst_error_count": burst_errors.values().sum::<u64>(),
        "burst_p50_ms": rounded(percentile(&burst.latencies_ms, 50.0)),
        "burst_p99_ms": rounded(percentile(&burst.latencies_ms, 99.0)),
        "burst_seconds": rounded(Some(burst.elapsed.as_secs_f64())),
        "events_accepted": accepted,
        "events_stored": stored,
        "client_lag_ms_max": rounded(Some(steady.lag_ms_max.max(burst.lag_ms_max))),
        "server_rss_kb_steady": rss_steady,
        "server_rss_kb_max": rss_max,
        "cpus": super::cpus(),
        "notes": notes,
    });
    Ok(Outcome { report, failed })
}

/// Sends `batches_per_sec` for `seconds`, each batch at its scheduled time, and waits for
/// every answer (each bounded by the client's timeout).
async fn phase(client: &HttpClient, uri: &Uri, batches_per_sec: f64, seconds: u64) -> Phase {
    let total = (batches_per_sec * seconds as f64).round() as u64;
    let interval = Duration::from_secs_f64(1.0 / batches_per_sec.max(f64::MIN_POSITIVE));
    let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let mut tally = Phase::default();
    let mut tasks = JoinSet::new();
    let started = Instant::now();
    for n in 0..total {
        let due = started + interval.mul_f64(n as f64);
        tokio::time::sleep_until(due).await;
        tally.lag_ms_max = tally.lag_ms_max.max(millis(Instant::now() - due));
        while let Some(done) = tasks.try_join_next() {
            take_joined(&mut tally, done);
        }
        let Ok(permit) = in_flight.clone().try_acquire_owned() else {
            tally.client_saturated += 1;
            continue;
        };
        let request = match request(uri) {
            Ok(request) => request,
            Err(e) => {
                eprintln!("cannot make a batch: {e}");
                tally.count("encode".to_owned());
                continue;
            }
        };
        tally.requests += 1;
        let client = client.clone();
        tasks.spawn(async move {
            let answer = exchange(&client, request).await;
            drop(permit);
            answer
        });
    }
    while let Some(done) = tasks.join_next().await {
        take_joined(&mut tally, done);
    }
    tally.elapsed = started.elapsed().max(interval.mul_f64(total as f64));
    tally
}

fn take_joined(
    tally: &mut Phase,
    done: std::result::Result<std::result::Result<Answer, Failure>, tokio::task::JoinError>,
) {
    match done {
        Ok(answer) => tally.take(answer),
        Err(e) => {
            eprintln!("request task: {e}");
            tally.count("task".to_owned());
        }
    }
}

fn request(uri: &Uri) -> Result<Request<Full<Bytes>>> {
    let body = batch_body().map_err(|e| format!("encode: {e}"))?;
    Request::post(uri.clone())
        .header(CONTENT_TYPE, "application/json")
        .header(ORIGIN_HEADER, ORIGIN)
        .header(server::FORWARDED_FOR, server::any_shopper())
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("request: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn answer(status: u16, retry_after: Option<&str>, body: &str) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).expect("a status"),
            body: Bytes::from(body.to_owned()),
            retry_after: retry_after.map(str::to_owned),
            elapsed: Duration::from_millis(3),
        }
    }

    #[test]
    fn answers_are_sorted_into_served_shed_and_failed() {
        let mut phase = Phase::default();
        let accepted =
            r#"{"results":[{"id":"a","status":"accepted"},{"id":"b","status":"duplicate"}]}"#;
        phase.take(Ok(answer(200, None, accepted)));
        phase.take(Ok(answer(503, Some("1"), "{}")));
        phase.take(Ok(answer(429, Some("3"), "{}")));
        phase.take(Ok(answer(503, None, "{}")));
        phase.take(Ok(answer(500, None, "{}")));
        phase.take(Err(Failure {
            kind: "timeout",
            detail: String::new(),
        }));
        assert_eq!(phase.events_accepted, 1);
        assert_eq!(phase.latencies_ms.len(), 5);
        let errors = phase.errors(&BURST_ALLOWED);
        let expected: BTreeMap<String, u64> = [
            ("503_without_retry_after", 1),
            ("http_500", 1),
            ("timeout", 1),
            ("duplicate", 1),
        ]
        .into_iter()
        .map(|(k, n)| (k.to_owned(), n))
        .collect();
        assert_eq!(errors, expected);
        assert_eq!(phase.errors(&["2xx"]).len(), 6);
    }
}
