//! `kill -9` under load: the `encore-server` binary is loaded by several keep-alive clients
//! posting result batches, killed with SIGKILL mid-load, and restarted on the same SQLite file.
//! Every id that got a 2xx must then be stored exactly once, `PRAGMA integrity_check` must say
//! `ok`, and the batches whose answer the kill swallowed, sent again as the widget would, must
//! be stored too, each once.

use axum::body::Bytes;
use axum::http::{Request, StatusCode, header};
use encore_e2e::{Env, Server, eventually, free_port, store_config, stored_results};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

const STORE: &str = "crash";
const ORIGIN: &str = "https://shop.example";
/// Clients posting at once, each on its own keep-alive connection.
const CLIENTS: u32 = 6;
/// Results per batch, as the widget and the load generator send them.
const BATCH: u32 = 10;
/// Far above a healthy answer; a request without an answer by then is counted unanswered.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A guard on each client's loop; the kill ends it long before.
const MAX_BATCHES_PER_CLIENT: u32 = 1_000_000;
/// Acknowledged results to see before the kill, so that it lands under real load.
const MIN_ACKED_BEFORE_KILL: usize = 200;
/// Generous, for a debug server on a loaded machine.
const CONDITION_TIMEOUT: Duration = Duration::from_secs(120);

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// The batch `seq` of client `client` in kill cycle `cycle`: always the same ids and content,
/// so that a retry is the same batch again.
fn batch_body(cycle: u32, client: u32, seq: u32) -> String {
    let events: Vec<Value> = (0..BATCH)
        .map(|i| {
            json!({
                "id": event_id(cycle, client, seq, i),
                "store": STORE,
                "occurred_at": 1_700_000_000_000u64,
                "type": "widget.impression",
                "data": {"mode": "product", "product": "sku-42"}
            })
        })
        .collect();
    json!({ "events": events }).to_string()
}

fn event_id(cycle: u32, client: u32, seq: u32, i: u32) -> String {
    let n = u64::from(seq) * u64::from(BATCH) + u64::from(i);
    format!("{cycle:08x}-{client:04x}-4000-8000-{n:012x}")
}

/// What one client sent and what the server acknowledged with a 2xx.
#[derive(Default)]
struct Ledger {
    /// Batches sent, by (client, seq): their answer may have been lost in the kill.
    sent: Vec<(u32, u32)>,
    /// Ids a 2xx answer acknowledged as accepted or duplicate.
    acked: Vec<String>,
}

/// Posts one batch; the acknowledged ids of a 2xx answer, or why there was none.
async fn post(http: &HttpClient, url: &str, body: String) -> Result<Vec<String>, String> {
    let request = Request::post(url)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, ORIGIN)
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("request: {e}"))?;
    let exchange = async {
        let response = http.request(request).await.map_err(|e| e.to_string())?;
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok::<_, String>((status, bytes))
    };
    let (status, bytes) = tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .map_err(|_| "no answer in time".to_owned())??;
    if status != StatusCode::OK {
        return Err(format!("HTTP {status}"));
    }
    let reply: Value = serde_json::from_slice(&bytes).map_err(|e| format!("reply: {e}"))?;
    let results = reply["results"]
        .as_array()
        .ok_or("a reply without results")?;
    Ok(results
        .iter()
        .filter(|r| r["status"] == "accepted" || r["status"] == "duplicate")
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect())
}

/// Posts batches until `stop` is set or the server stops answering.
async fn client(
    url: String,
    cycle: u32,
    client: u32,
    stop: Arc<AtomicBool>,
    acked_total: Arc<AtomicUsize>,
) -> Ledger {
    let http: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    let mut ledger = Ledger::default();
    for seq in 0..MAX_BATCHES_PER_CLIENT {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        ledger.sent.push((client, seq));
        match post(&http, &url, batch_body(cycle, client, seq)).await {
            Ok(ids) => {
                acked_total.fetch_add(ids.len(), Ordering::SeqCst);
                ledger.acked.extend(ids);
            }
            // Refused connections after the kill: this client's part is over.
            Err(_) => break,
        }
    }
    ledger
}

async fn open(db: &Path) -> SqlitePool {
    SqlitePool::connect_with(SqliteConnectOptions::new().filename(db))
        .await
        .expect("open the server's database")
}

/// How many times each id is stored for the store.
async fn stored_counts(db: &Path) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for (id, _, _) in stored_results(db, STORE).await {
        *counts.entry(id).or_default() += 1;
    }
    counts
}

/// Loads, kills and restarts the server `cycles` times, each after at least `load` of posting.
async fn crash_under_load(cycles: u32, load: Duration) {
    let env = Env {
        server_bin: PathBuf::from(env!("CARGO_BIN_EXE_encore-server")),
        site: PathBuf::new(),
        chromedriver: PathBuf::new(),
        chromium: PathBuf::new(),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("encore.db");
    let config = store_config(STORE, &[ORIGIN.to_owned()]);
    let mut server = Server::start(&env, dir.path(), free_port(), &config, &db, None);
    let url = format!("{}/v1/events", server.url);
    let (mut acked, mut sent) = (BTreeSet::new(), Vec::new());

    for cycle in 0..cycles {
        let stop = Arc::new(AtomicBool::new(false));
        let acked_now = Arc::new(AtomicUsize::new(0));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                tokio::spawn(client(
                    url.clone(),
                    cycle,
                    c,
                    stop.clone(),
                    acked_now.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(load).await;
        eventually("results acknowledged under load", CONDITION_TIMEOUT, || {
            let n = acked_now.load(Ordering::SeqCst);
            async move { (n >= MIN_ACKED_BEFORE_KILL).then_some(()) }
        })
        .await;
        let pid = server.pid().expect("the server runs");
        // `Child::kill` is SIGKILL on Unix: no graceful shutdown, no WAL checkpoint.
        server.kill();
        stop.store(true, Ordering::SeqCst);
        let mut in_flight = 0;
        for handle in clients {
            let ledger = handle.await.expect("a client ends");
            in_flight += ledger.sent.len() * BATCH as usize - ledger.acked.len();
            acked.extend(ledger.acked);
            sent.extend(ledger.sent.into_iter().map(|(c, seq)| (cycle, c, seq)));
        }
        eprintln!(
            "cycle {cycle}: killed pid {pid} with {} results acknowledged so far, {in_flight} sent \
             without an answer",
            acked.len()
        );
        server.restart();

        let counts = stored_counts(&db).await;
        let lost: Vec<&String> = acked
            .iter()
            .filter(|id| !counts.contains_key(*id))
            .collect();
        assert!(
            lost.is_empty(),
            "cycle {cycle}: {} acknowledged results lost, e.g. {:?}",
            lost.len(),
            lost.first()
        );
        assert!(counts.values().all(|&n| n == 1), "a result stored twice");
        let pool = open(&db).await;
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&pool)
            .await
            .expect("integrity check runs");
        pool.close().await;
        assert_eq!(integrity, vec!["ok".to_owned()], "cycle {cycle}");
    }

    // The widget sends again what was never acknowledged; the server's dedup keeps it once.
    let http: HttpClient = Client::builder(TokioExecutor::new()).build_http();
    let mut expected = BTreeSet::new();
    for &(cycle, c, seq) in &sent {
        expected.extend((0..BATCH).map(|i| event_id(cycle, c, seq, i)));
        if (0..BATCH).all(|i| acked.contains(&event_id(cycle, c, seq, i))) {
            continue;
        }
        let ids = post(&http, &url, batch_body(cycle, c, seq))
            .await
            .expect("a retry after the restart is answered 200");
        assert_eq!(
            ids.len(),
            BATCH as usize,
            "every result of a retry is settled"
        );
    }
    let counts = stored_counts(&db).await;
    assert!(counts.values().all(|&n| n == 1), "a result stored twice");
    assert_eq!(
        counts.keys().cloned().collect::<BTreeSet<_>>(),
        expected,
        "after the retries, exactly what was sent is stored"
    );
}

/// A few seconds of load, one kill: runs in the normal suite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_results_survive_a_kill_under_load() {
    crash_under_load(1, Duration::from_secs(3)).await;
}

/// Five kills, each after 20 s of load, on the same database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run by cargo xtask test --long"]
async fn acknowledged_results_survive_repeated_kills_under_load() {
    crash_under_load(5, Duration::from_secs(20)).await;
}
