//! Slow and stalled clients over real TCP on loopback (`listener::serve`, short limits so the
//! tests take seconds): a client that never finishes its headers, or whose body stalls, is
//! dropped after its timeout; past the connection cap clients wait for a place; and while
//! 1,000 stalled connections are open the server still answers everyone else at once.

mod common;

use common::Fixture;
use encore_server::listener::{ConnectionLimits, serve};
use encore_server::write_queue::QueueLimits;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Far above every limit the tests set: a connection still open then was never dropped.
const NEVER: Duration = Duration::from_secs(10);

/// The server on a loopback port, stopped (gracefully) when dropped.
struct Served {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    _fixture: Fixture,
}

impl Served {
    async fn start(limits: ConnectionLimits) -> Served {
        let mut fixture = Fixture::new().await;
        // Every connection here comes from one address, and the write line lets one client
        // hold only a few batches before reading them (its own defence, in tests/flood.rs),
        // which would answer most stalled bodies 429 at once: lifted, so that these tests
        // reach the body deadline itself.
        fixture.state = fixture.state.clone().with_queue_limits(QueueLimits {
            per_client: usize::MAX,
            ..QueueLimits::default()
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, fixture.app(), limits, async {
            let _ = stopped.await;
        }));
        Served {
            addr,
            stop: Some(stop),
            task: Some(task),
            _fixture: fixture,
        }
    }

    /// Stops accepting and waits for the open connections to end.
    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let served = tokio::time::timeout(NEVER, task)
                .await
                .expect("the server stops");
            served.expect("joins").expect("served without error");
        }
    }
}

fn limits(header: Duration, body: Duration, max_connections: usize) -> ConnectionLimits {
    ConnectionLimits {
        header_timeout: header,
        body_timeout: body,
        max_connections,
    }
}

/// A connection that has sent `bytes` and then nothing more.
async fn stalled(addr: SocketAddr, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(bytes).await.expect("write");
    stream
}

/// What the server sends until it closes the connection, and when it closed (measured from
/// `since`); `None` if it is still open after [`NEVER`].
async fn until_closed(stream: &mut TcpStream, since: Instant) -> Option<(String, Duration)> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(NEVER, async {
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    read.ok()?;
    Some((
        String::from_utf8_lossy(&received).into_owned(),
        since.elapsed(),
    ))
}

/// Whether the server has neither answered nor closed `stream` yet.
fn still_open(stream: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    matches!(stream.try_read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

/// `GET /v1/health` on a fresh connection: the status line and how long the answer took.
async fn health(addr: SocketAddr) -> (String, Duration) {
    let started = Instant::now();
    let mut stream = stalled(
        addr,
        b"GET /v1/health HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n",
    )
    .await;
    let (answer, took) = until_closed(&mut stream, started)
        .await
        .expect("answered and closed");
    let status = answer.lines().next().unwrap_or_default().to_owned();
    (status, took)
}

/// Half a request head: no blank line ever ends it.
const HALF_HEAD: &[u8] = b"GET /v1/health HTTP/1.1\r\nHost: shop\r\nX-Slow: ";

/// A whole head announcing 1,000 bytes of batch, and the first 10 of them.
const STALLED_BODY: &[u8] = b"POST /v1/events HTTP/1.1\r\nHost: shop\r\n\
    Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"events\":";

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_dropped() {
    let timeout = Duration::from_millis(500);
    let server = Served::start(limits(timeout, NEVER, 100)).await;
    let started = Instant::now();
    let mut silent = stalled(server.addr, b"").await;
    let mut half = stalled(server.addr, HALF_HEAD).await;
    for stream in [&mut silent, &mut half] {
        let (_, closed_after) = until_closed(stream, started)
            .await
            .expect("dropped, not left open");
        assert!(
            closed_after >= timeout.mul_f32(0.8),
            "dropped after {closed_after:?}, before the timeout"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_stalled_body_is_dropped_with_408() {
    let timeout = Duration::from_millis(500);
    let server = Served::start(limits(NEVER, timeout, 100)).await;
    let started = Instant::now();
    let mut stream = stalled(server.addr, STALLED_BODY).await;
    let (answer, closed_after) = until_closed(&mut stream, started)
        .await
        .expect("dropped, not left open");
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "answered {answer:?} instead of 408"
    );
    assert!(answer.contains("body_timeout"), "{answer}");
    assert!(closed_after >= timeout.mul_f32(0.8), "{closed_after:?}");
    server.stop().await;
}

#[tokio::test]
async fn past_the_connection_cap_clients_wait_for_a_place() {
    let timeout = Duration::from_millis(1500);
    let server = Served::start(limits(timeout, timeout, 4)).await;
    let started = Instant::now();
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(stalled(server.addr, HALF_HEAD).await);
    }
    // Give the server time to take all four before the fifth comes.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, _) = health(server.addr).await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    let waited = started.elapsed();
    assert!(
        waited >= timeout.mul_f32(0.8),
        "answered after {waited:?}: the cap of 4 did not hold"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_server_answers_while_1000_stalled_connections_are_open() {
    const STALLED: usize = 1000;
    // Both ends of every connection live in this process: raise the soft open-file limit
    // (often 1,024) towards the hard one.
    let open_files = rlimit::increase_nofile_limit(4096).expect("the open-file limit");
    assert!(
        open_files >= 2 * STALLED as u64 + 200,
        "this test needs 2,200 open files; the hard limit allows {open_files}"
    );
    let timeout = Duration::from_secs(4);
    let server = Served::start(limits(timeout, timeout, 4096)).await;
    let started = Instant::now();
    let mut held = Vec::with_capacity(STALLED);
    for n in 0..STALLED {
        // Half never finish their headers, half stall their bodies.
        let bytes = if n % 2 == 0 { HALF_HEAD } else { STALLED_BODY };
        held.push(stalled(server.addr, bytes).await);
    }
    let opened = started.elapsed();
    assert!(
        opened < timeout / 2,
        "opening {STALLED} connections took {opened:?}; the test needs them open together"
    );

    let (status, took) = health(server.addr).await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(took < Duration::from_secs(1), "answered after {took:?}");
    let open = held.iter().filter(|s| still_open(s)).count();
    assert_eq!(open, STALLED, "stalled connections closed too early");

    // Then every stalled connection is dropped at its timeout.
    let closings = held.iter_mut().map(|s| until_closed(s, started));
    let closed = futures_util::future::join_all(closings).await;
    assert!(
        closed.iter().all(Option::is_some),
        "a stalled one is still open"
    );
    server.stop().await;
}
