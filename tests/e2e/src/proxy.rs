//! A fault-injecting HTTP/1.1 proxy between the browser and `encore-server`, on loopback.
//!
//! It parses just enough of HTTP/1.1 to find where each request and response ends (keep-alive
//! connections carry many), so it can count requests, tell which page sent them (`Referer`)
//! and break exactly one exchange at a chosen point: late, never answered, reset after the
//! request headers, cut in the middle of the request body, or answered by the server and
//! then dropped before the browser hears anything.
//!
//! Faults apply only to paths under a prefix (the endpoint's API, `/v1/`): the demo store's
//! own pages share the server here, but in production they come from another host, which an
//! Encore outage would not take down.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Largest request or response head accepted.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Most requests served on one connection (a bound, far above what a test sends).
const MAX_REQUESTS_PER_CONNECTION: usize = 100_000;
/// A connection with nothing to say for this long is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// Longest a hung exchange is held (longer than any test runs).
const HANG_LIMIT: Duration = Duration::from_secs(1_800);

/// What the proxy does to each request under the faulted prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward as is.
    None,
    /// Wait this long before forwarding the request; a request whose browser hangs up
    /// meanwhile is dropped.
    Latency(Duration),
    /// Read the request and never answer, until the browser gives up.
    Hang,
    /// Reset the connection (TCP RST) as soon as the request headers are read.
    ResetAfterHeaders,
    /// Forward the headers and half the body to the server, then close both sides.
    CutBody,
    /// Forward the request, read the server's whole answer (it has committed), then close the
    /// browser's connection without a byte of it.
    DropResponse,
}

/// One request the proxy saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// `GET`, `POST`...
    pub method: String,
    /// The request target (`/v1/events`).
    pub path: String,
    /// The `Referer` header: which page (tab) sent it.
    pub referer: Option<String>,
    /// The fault applied to it.
    pub fault: Fault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Control {
    fault: Fault,
    /// Bumped on every fault change; idle connections close then, as they would when a real
    /// outage begins or ends.
    generation: u64,
    shutdown: bool,
}

struct Shared {
    prefix: String,
    seen: Mutex<Vec<Seen>>,
    in_flight: Mutex<usize>,
}

/// A running proxy; stopped when dropped.
pub struct Proxy {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    control: watch::Sender<Control>,
    shared: Arc<Shared>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `127.0.0.1:upstream`; faults apply to
    /// request paths starting with `faulted_prefix`.
    pub async fn start(upstream: u16, faulted_prefix: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let (control, watcher) = watch::channel(Control {
            fault: Fault::None,
            generation: 0,
            shutdown: false,
        });
        let shared = Arc::new(Shared {
            prefix: faulted_prefix.to_owned(),
            seen: Mutex::new(Vec::new()),
            in_flight: Mutex::new(0),
        });
        tokio::spawn(accept_loop(listener, upstream, watcher, shared.clone()));
        Proxy {
            port,
            url: format!("http://127.0.0.1:{port}"),
            control,
            shared,
        }
    }

    /// Applies `fault` to every request from now on; idle connections are closed.
    pub fn set_fault(&self, fault: Fault) {
        self.control.send_modify(|c| {
            c.fault = fault;
            c.generation += 1;
        });
    }

    /// The fault in force.
    pub fn fault(&self) -> Fault {
        self.control.borrow().fault
    }

    /// Every request seen so far, in order of arrival.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().expect("proxy log").clone()
    }

    /// How many `method` requests to `path` came from pages whose URL contains `page_marker`.
    pub fn count(&self, method: &str, path: &str, page_marker: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .filter(|s| {
                s.referer
                    .as_deref()
                    .is_some_and(|r| r.contains(page_marker))
            })
            .count()
    }

    /// Requests under the faulted prefix read in full but not yet answered or broken (hung
    /// ones excepted: they never end on the proxy's side).
    pub fn in_flight(&self) -> usize {
        *self.shared.in_flight.lock().expect("proxy counter")
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.control.send_modify(|c| c.shutdown = true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    upstream: u16,
    mut control: watch::Receiver<Control>,
    shared: Arc<Shared>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((client, _)) = accepted else { continue };
                let control = control.clone();
                let shared = shared.clone();
                tokio::spawn(async move {
                    // A broken exchange is what this proxy is for; nothing to report.
                    let _ = serve(client, upstream, control, shared).await;
                });
            }
            changed = control.changed() => {
                if changed.is_err() || control.borrow().shutdown {
                    return;
                }
            }
        }
    }
}

/// A parsed message head: its raw bytes and the headers the proxy needs.
struct Head {
    raw: Vec<u8>,
    first_line: String,
    content_length: Option<u64>,
    chunked: bool,
    close: bool,
    referer: Option<String>,
}

/// Reads a message head (up to the blank line); `None` at a clean end of stream.
async fn read_head<R: AsyncBufRead + Unpin>(reader: &mut R) -> std::io::Result<Option<Head>> {
    let mut raw = Vec::new();
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = (&mut *reader)
            .take((MAX_HEAD_BYTES - raw.len()) as u64 + 1)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return if raw.is_empty() {
                Ok(None)
            } else {
                Err(std::io::ErrorKind::UnexpectedEof.into())
            };
        }
        raw.extend_from_slice(&line);
        if raw.len() > MAX_HEAD_BYTES {
            return Err(std::io::Error::other("head too large"));
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_owned();
        if text.is_empty() {
            if lines.is_empty() {
                // Stray CRLF between messages is allowed; skip it.
                raw.clear();
                continue;
            }
            break;
        }
        lines.push(text);
    }
    let first_line = lines.first().cloned().unwrap_or_default();
    let header = |name: &str| {
        lines.iter().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    Ok(Some(Head {
        content_length: header("content-length").and_then(|v| v.parse().ok()),
        chunked: header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked")),
        close: header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close")),
        referer: header("referer"),
        first_line,
        raw,
    }))
}

/// Copies a message body framed by `head` from `from` to `to` (`None`: read and discard).
/// `until_close` bodies (a response without length) are copied to the end of the stream.
async fn copy_body<R, W>(
    head: &Head,
    from: &mut R,
    mut to: Option<&mut W>,
    until_close: bool,
) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    if head.chunked {
        // Bounded by the stream: every chunk consumes input, and the zero chunk ends it.
        loop {
            let mut line = Vec::new();
            (&mut *from).take(1024).read_until(b'\n', &mut line).await?;
            if line.is_empty() {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            if let Some(to) = to.as_deref_mut() {
                to.write_all(&line).await?;
            }
            let size_text = String::from_utf8_lossy(&line);
            let size_text = size_text.trim().split(';').next().unwrap_or_default();
            let size = u64::from_str_radix(size_text, 16)
                .map_err(|_| std::io::Error::other("bad chunk size"))?;
            if size == 0 {
                // Trailers, then the blank line.
                loop {
                    let mut trailer = Vec::new();
                    (&mut *from)
                        .take(8192)
                        .read_until(b'\n', &mut trailer)
                        .await?;
                    if trailer.is_empty() {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                    if let Some(to) = to.as_deref_mut() {
                        to.write_all(&trailer).await?;
                    }
                    if trailer == b"\r\n" || trailer == b"\n" {
                        return Ok(());
                    }
                }
            }
            copy_exact(from, to.as_deref_mut(), size + 2).await?;
        }
    } else if let Some(length) = head.content_length {
        copy_exact(from, to, length).await
    } else if until_close {
        copy_exact(from, to, u64::MAX).await
    } else {
        Ok(())
    }
}

async fn copy_exact<R, W>(from: &mut R, to: Option<&mut W>, n: u64) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut limited = from.take(n);
    let copied = match to {
        Some(to) => tokio::io::copy(&mut limited, to).await?,
        None => tokio::io::copy(&mut limited, &mut tokio::io::sink()).await?,
    };
    if n != u64::MAX && copied != n {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

/// Reads the whole request body (for faults that must hold it before deciding).
async fn read_body<R: AsyncBufRead + Unpin>(head: &Head, from: &mut R) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    copy_body(head, from, Some(&mut body), false).await?;
    Ok(body)
}

/// Whether the answer to a request with this first line has no body.
fn bodiless(request_line: &str, response_line: &str) -> bool {
    let status: u16 = response_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    request_line.starts_with("HEAD ")
        || (100..200).contains(&status)
        || status == 204
        || status == 304
}

struct InFlight(Arc<Shared>);

impl InFlight {
    fn new(shared: &Arc<Shared>) -> InFlight {
        *shared.in_flight.lock().expect("proxy counter") += 1;
        InFlight(shared.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut n) = self.0.in_flight.lock() {
            *n = n.saturating_sub(1);
        }
    }
}

/// Serves one browser connection: request by request, over one connection to the server.
async fn serve(
    client: TcpStream,
    upstream_port: u16,
    mut control: watch::Receiver<Control>,
    shared: Arc<Shared>,
) -> std::io::Result<()> {
    let _ = client.set_nodelay(true);
    let (client_read, mut client_write) = client.into_split();
    let mut client_read = BufReader::new(client_read);
    let mut upstream: Option<(
        BufReader<tokio::net::tcp::OwnedReadHalf>,
        tokio::net::tcp::OwnedWriteHalf,
    )> = None;
    for _ in 0..MAX_REQUESTS_PER_CONNECTION {
        let generation = control.borrow().generation;
        // Idle between requests: close when the fault changes, the proxy stops, or nothing comes.
        let head = tokio::select! {
            head = read_head(&mut client_read) => head?,
            () = wait_for_change(&mut control, generation) => return Ok(()),
            () = tokio::time::sleep(IDLE_TIMEOUT) => return Ok(()),
        };
        let Some(head) = head else { return Ok(()) };
        let mut parts = head.first_line.split(' ');
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        let current = *control.borrow();
        if current.shutdown {
            return Ok(());
        }
        let fault = if path.starts_with(&shared.prefix) {
            current.fault
        } else {
            Fault::None
        };
        shared.seen.lock().expect("proxy log").push(Seen {
            method,
            path: path.split('?').next().unwrap_or_default().to_owned(),
            referer: head.referer.clone(),
            fault,
        });

        if fault == Fault::ResetAfterHeaders {
            let client = client_read.into_inner().reunite(client_write);
            if let Ok(client) = client {
                let _ = client.set_zero_linger();
                drop(client);
            }
            return Ok(());
        }
        let body = read_body(&head, &mut client_read).await?;
        // A hung exchange is not "in flight": it never ends on the proxy's side.
        let _in_flight = (path.starts_with(&shared.prefix) && fault != Fault::Hang)
            .then(|| InFlight::new(&shared));
        match fault {
            Fault::Hang => {
                // Hold the connection until the browser gives up (it closes its side).
                let mut sink = Vec::new();
                let _ = tokio::time::timeout(HANG_LIMIT, async {
                    tokio::select! {
                        _ = client_read.read_to_end(&mut sink) => {}
                        () = wait_for_shutdown(&mut control) => {}
                    }
                })
                .await;
                return Ok(());
            }
            Fault::Latency(delay) => {
                // A browser that gives up meanwhile (its page closed) takes its request with it,
                // as it would from a slow server that had not started on it yet.
                let until = tokio::time::Instant::now() + delay;
                let gone = tokio::select! {
                    () = tokio::time::sleep_until(until) => false,
                    read = client_read.fill_buf() => read.map_or(true, |b| b.is_empty()),
                };
                if gone {
                    return Ok(());
                }
                tokio::time::sleep_until(until).await;
            }
            _ => {}
        }
        if upstream.is_none() {
            let stream = TcpStream::connect(("127.0.0.1", upstream_port)).await?;
            let _ = stream.set_nodelay(true);
            let (r, w) = stream.into_split();
            upstream = Some((BufReader::new(r), w));
        }
        let Some((up_read, up_write)) = upstream.as_mut() else {
            return Ok(());
        };
        if fault == Fault::CutBody {
            up_write.write_all(&head.raw).await?;
            up_write.write_all(&body[..body.len() / 2]).await?;
            up_write.flush().await?;
            // Closing both sides now: the server reads half a body, then the end of the stream.
            return Ok(());
        }
        up_write.write_all(&head.raw).await?;
        up_write.write_all(&body).await?;
        up_write.flush().await?;
        let Some(response) = read_head(up_read).await? else {
            return Ok(());
        };
        if fault == Fault::DropResponse {
            // The server has answered, so it has committed; the browser hears nothing.
            return Ok(());
        }
        client_write.write_all(&response.raw).await?;
        if !bodiless(&head.first_line, &response.first_line) {
            let until_close = response.content_length.is_none() && !response.chunked;
            copy_body(&response, up_read, Some(&mut client_write), until_close).await?;
            if until_close {
                return Ok(());
            }
        }
        client_write.flush().await?;
        if head.close || response.close {
            return Ok(());
        }
    }
    Ok(())
}

/// Resolves when the fault changes from `generation` or the proxy stops.
async fn wait_for_change(control: &mut watch::Receiver<Control>, generation: u64) {
    let _ = control
        .wait_for(|c| c.shutdown || c.generation != generation)
        .await;
}

async fn wait_for_shutdown(control: &mut watch::Receiver<Control>) {
    let _ = control.wait_for(|c| c.shutdown).await;
}
