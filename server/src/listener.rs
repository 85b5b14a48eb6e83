//! Accepting connections and serving the router on them over HTTP/1.1, with the limits that
//! keep slow or idle clients from holding the server: a deadline for a request's headers
//! (which also closes idle keep-alive connections), one for its body, and a cap on open
//! connections.
//!
//! `axum::serve` has none of these: a client that never finished its headers, or stalled its
//! body, kept its connection for as long as it liked.

use crate::body_deadline::DeadlineBody;
use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a client may take, and how many may be connected at once (`serve
/// --header-timeout-secs`, `--body-timeout-secs`, `--max-connections`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Longest a client may take to send a request's headers, counted from the end of its
    /// previous request (so it is also how long an idle keep-alive connection stays open).
    pub header_timeout: Duration,
    /// Longest a request's body may take to arrive in full once the handler reads it.
    pub body_timeout: Duration,
    /// Most connections open at once; further clients wait in the listen queue until one
    /// closes. At least 1.
    pub max_connections: usize,
}

impl ConnectionLimits {
    /// 20 s: a browser sends its headers in one packet, so only a stalled or hostile client
    /// needs more; also the idle keep-alive time, so a reverse proxy in front should keep its
    /// idle upstream connections for less (nginx: `keepalive_timeout 15s;` in the upstream).
    pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(20);
    /// 60 s: the largest body the widget sends, a 500 KB photo, arrives in that time at
    /// 70 kbit/s; the 5 MB most any upload may be at 700 kbit/s.
    pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(60);
    /// 4,096: a few KB each while idle, so their memory is small beside the photo decoders;
    /// each needs a file descriptor (see [`serve`]).
    pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_timeout: Self::DEFAULT_HEADER_TIMEOUT,
            body_timeout: Self::DEFAULT_BODY_TIMEOUT,
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// File descriptors kept back from connections for the database, the listener and the log.
const RESERVED_FDS: usize = 64;

/// Serves `router` on `listener` until `shutdown` resolves; then stops accepting, lets the
/// requests in flight finish and closes idle connections before returning. Each request
/// carries the peer's address (`ConnectInfo<SocketAddr>`), which feeds the rate limits.
///
/// When the process may open fewer files than `limits.max_connections` needs, the cap is
/// lowered to fit, with a warning: past it `accept` would fail instead of waiting.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let max_connections = fit_to_open_files(limits.max_connections);
    let places = Arc::new(Semaphore::new(max_connections));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let connections = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        // A place first: at the cap, clients wait in the kernel's listen queue.
        let place = tokio::select! {
            place = Arc::clone(&places).acquire_owned() => place.map_err(io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let body_timeout = limits.body_timeout;
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let request = request.map(|body| DeadlineBody::new(body, body_timeout));
            router.clone().oneshot(request)
        });
        let connection = connections.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                // Timeouts and resets are the client's doing: nothing for the operator.
                tracing::debug!(%peer, error = %e, "connection ended");
            }
            drop(place);
        });
    }
    drop(listener);
    connections.shutdown().await;
    Ok(())
}

/// After a failed `accept`: nothing for a connection the client gave up on; otherwise (out of
/// file descriptors, say) a log line and a pause, so the loop does not spin.
async fn accept_failed(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "cannot accept a connection");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// `wanted` connections, or as many as the open-file limit leaves room for.
fn fit_to_open_files(wanted: usize) -> usize {
    let wanted = wanted.clamp(1, Semaphore::MAX_PERMITS);
    match open_files_limit() {
        Some(limit) if limit < wanted.saturating_add(RESERVED_FDS) => {
            let fitted = limit.saturating_sub(RESERVED_FDS).max(1);
            tracing::warn!(
                wanted,
                open_files = limit,
                max_connections = fitted,
                "the open-file limit is too low for --max-connections; raise it (ulimit -n, \
                 systemd LimitNOFILE=) or the connection cap stays lowered"
            );
            fitted
        }
        _ => wanted,
    }
}

/// The process's soft limit on open files, where the system says (`/proc/self/limits`).
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line
        .trim_start_matches("Max open files")
        .split_whitespace()
        .next()?;
    if soft == "unlimited" {
        return None;
    }
    soft.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_fits_the_open_file_limit() {
        let limit = open_files_limit();
        if cfg!(target_os = "linux") {
            assert!(limit.is_some_and(|l| l > 0), "{limit:?}");
        }
        assert_eq!(fit_to_open_files(0), 1);
        assert_eq!(fit_to_open_files(10), 10);
        if let Some(limit) = limit {
            assert_eq!(fit_to_open_files(limit + 1), limit - RESERVED_FDS);
        }
    }
}
