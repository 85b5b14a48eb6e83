//! The page's one sender: posts waiting results in batches, one batch in flight per page,
//! backs off on failure, and flushes with `keepalive` when the page is hidden or left.
//!
//! A tab's requests stay within the retry policy's bound whatever happens: a post that gets
//! no answer is abandoned after [`http::TIMEOUT_MS`], new results wait out a backoff, coming
//! back online shortens a wait only down to the policy's shortest one, and hiding the page
//! during a backoff sends nothing (the results wait in the outbox).
//!
//! Before a batch is posted, the photos of its reviews are uploaded; after the endpoint has
//! answered, the components waiting on those results are told (see [`super::acks`]).

use super::http;
use super::outbox::{self, StoredResult};
use super::{acks, uploads};
use crate::browser::now_ms;
use crate::console::warn;
use crate::small_map::SmallMap;
use encore_core::backoff::RetryPolicy;
use encore_core::delivery::{self, Answer, Step};
use encore_core::events::{MAX_BATCH_BYTES, MAX_BATCH_EVENTS};
use encore_core::outbox::{MAX_ENTRIES, MAX_KEEPALIVE_BYTES, batch_len};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

/// Results this page knows are waiting, per endpoint, kept in memory so that `pagehide`
/// can send them synchronously (IndexedDB reads are asynchronous and would not finish).
type Waiting = SmallMap<String, Vec<WaitingResult>>;

#[derive(Clone)]
struct WaitingResult {
    id: String,
    body: String,
    /// False while its photos may not be uploaded: such a result is never flushed on unload.
    flushable: bool,
}

#[derive(Default)]
struct SenderState {
    endpoints: Vec<String>,
    running: bool,
    kicked_while_running: bool,
    failures: u32,
    retry_timer: Option<Timeout>,
    /// When the failure that set `retry_timer` happened, and the server's `Retry-After`.
    failed_at: u64,
    retry_after: Option<u64>,
    waiting: Waiting,
    hooked: bool,
    dead_letters: u32,
    /// Results whose photos this page has uploaded, each once.
    photos_uploaded: Vec<String>,
    /// Results already sent by a flush on hide, each once: one page hide after another
    /// (hidden, then closed) does not send them twice.
    flushed: Vec<String>,
}

/// Adds the ids of `ids` that `set` lacks.
fn add_new(set: &mut Vec<String>, ids: impl Iterator<Item = String>) {
    for id in ids {
        if !set.contains(&id) {
            set.push(id);
        }
    }
}

thread_local! {
    static STATE: RefCell<SenderState> = RefCell::new(SenderState::default());
}

fn with<R>(f: impl FnOnce(&mut SenderState) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

/// Notes a freshly queued result so that a flush on `pagehide` includes it.
pub fn remember(entry: &StoredResult) {
    with(|s| {
        let list = s.waiting.or_default(&entry.endpoint);
        list.push(WaitingResult {
            id: entry.id.clone(),
            body: entry.body.clone(),
            flushable: entry.attachments.is_empty(),
        });
        // Only a delivery pass rebuilds this list from the outbox, and none runs during a long
        // backoff: without a bound, a page emitting analytics behind a dead endpoint would grow
        // it without end. The outbox holds the results; this copy only feeds the unload flush
        // (at most 60 KiB), so the newest the outbox could hold are plenty.
        if let Some(excess) = list.len().checked_sub(MAX_ENTRIES) {
            list.drain(..excess);
        }
    });
}

/// Results the endpoint rejected for good since this page loaded.
pub fn dead_letters() -> u32 {
    with(|s| s.dead_letters)
}

/// Asks the sender to deliver what waits for `endpoint`. Cheap to call often: while a batch
/// is in flight it only notes that another pass is wanted, and during a backoff it waits.
pub fn kick(endpoint: &str) {
    hook_page_lifecycle();
    let start = with(|s| {
        if !s.endpoints.iter().any(|e| e == endpoint) {
            s.endpoints.push(endpoint.to_owned());
        }
        if s.running {
            s.kicked_while_running = true;
            false
        } else {
            s.retry_timer.is_none()
        }
    });
    if start {
        start_run();
    }
}

fn start_run() {
    with(|s| {
        s.running = true;
        s.retry_timer = None;
    });
    spawn_local(run());
}

async fn run() {
    loop {
        with(|s| s.kicked_while_running = false);
        match deliver_all().await {
            Pass::Drained if with(|s| s.kicked_while_running) => continue,
            Pass::Drained => {
                with(|s| s.running = false);
                return;
            }
            Pass::RetryAfter(retry_after) => {
                let delay = with(|s| {
                    s.failures = s.failures.saturating_add(1);
                    s.failed_at = now_ms();
                    s.retry_after = retry_after;
                    RetryPolicy::default().delay_ms(s.failures, js_sys::Math::random(), retry_after)
                });
                let timer = Timeout::new(u32::try_from(delay).unwrap_or(u32::MAX), start_run);
                with(|s| {
                    s.running = false;
                    s.retry_timer = Some(timer);
                });
                return;
            }
        }
    }
}

enum Pass {
    Drained,
    RetryAfter(Option<u64>),
}

async fn deliver_all() -> Pass {
    let endpoints = with(|s| s.endpoints.clone());
    for endpoint in endpoints {
        let mut max_events = MAX_BATCH_EVENTS;
        loop {
            let entries = match outbox::pending(&endpoint, now_ms()).await {
                Ok(entries) => entries,
                Err(err) => {
                    warn(&format!("cannot read the outbox: {err}"));
                    return Pass::Drained;
                }
            };
            with(|s| {
                let list = entries
                    .iter()
                    .map(|e| WaitingResult {
                        id: e.id.clone(),
                        body: e.body.clone(),
                        flushable: e.attachments.is_empty() || s.photos_uploaded.contains(&e.id),
                    })
                    .collect();
                s.waiting.insert(endpoint.clone(), list);
            });
            if entries.is_empty() {
                break;
            }
            let sizes: Vec<usize> = entries.iter().map(|e| e.body.len()).collect();
            let batch = &entries[..batch_len(&sizes, max_events, MAX_BATCH_BYTES)];
            let ids: Vec<&str> = batch.iter().map(|e| e.id.as_str()).collect();
            if let Err(retry_after) = uploads::upload_attachments(batch, now_ms()).await {
                return Pass::RetryAfter(retry_after);
            }
            with(|s| {
                let with_photos = batch.iter().filter(|e| !e.attachments.is_empty());
                add_new(&mut s.photos_uploaded, with_photos.map(|e| e.id.clone()));
            });
            let body = batch_body(batch.iter().map(|e| e.body.as_str()));
            let answer = http::post_for_reply(&events_url(&endpoint), &body).await;
            let answer = Answer {
                status: answer.as_ref().map(|a| a.status),
                retry_after: answer.as_ref().and_then(|a| a.retry_after.as_deref()),
                body: answer.as_ref().and_then(|a| a.body.as_deref()),
            };
            match delivery::after_answer(&ids, answer, now_ms()) {
                Step::Forget { settled } => {
                    let mut refused = 0;
                    for (id, reason) in delivery::refusals(&settled) {
                        warn(&format!("the endpoint refused result {id}: {reason}"));
                        refused += 1;
                    }
                    // The endpoint answered: whatever comes next starts a fresh backoff.
                    with(|s| {
                        s.failures = 0;
                        s.dead_letters += refused;
                    });
                    let ids = settled.iter().map(|ack| ack.id.clone()).collect();
                    let forgotten = forget(ids).await;
                    for ack in settled {
                        let id = ack.id.clone();
                        acks::settle(&id, ack.into());
                    }
                    if !forgotten {
                        // They would be read back and posted again at once, endlessly.
                        return Pass::RetryAfter(None);
                    }
                }
                Step::Resize(n) => max_events = n,
                Step::Retry(retry_after) => return Pass::RetryAfter(retry_after),
            }
        }
    }
    Pass::Drained
}

/// Drops settled results from memory and from the outbox; `false` when the outbox could not
/// be updated.
async fn forget(ids: Vec<String>) -> bool {
    with(|s| {
        for list in s.waiting.values_mut() {
            list.retain(|w| !ids.contains(&w.id));
        }
        s.photos_uploaded.retain(|id| !ids.contains(id));
        s.flushed.retain(|id| !ids.contains(id));
    });
    match outbox::remove(&ids).await {
        Ok(()) => true,
        Err(err) => {
            warn(&format!("cannot update the outbox: {err}"));
            false
        }
    }
}

fn batch_body<'a>(bodies: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::from(r#"{"events":["#);
    for (i, body) in bodies.enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(body);
    }
    text.push_str("]}");
    text
}

/// Where batches of results go at `endpoint`.
fn events_url(endpoint: &str) -> String {
    format!("{endpoint}/v1/events")
}

/// Sends what is waiting with `keepalive`, within the browser's 64 KiB budget. Results stay
/// in the outbox: the next page load sends them again and the endpoint answers `duplicate`.
///
/// Nothing is sent while the sender is backing off: the endpoint is failing, and a request
/// per page hide would escape the retry policy's bound. Nor is a result sent twice this way.
fn flush_on_hide() {
    let Some(waiting) = with(|s| {
        if s.failures > 0 {
            return None;
        }
        let waiting: Vec<(String, Vec<WaitingResult>)> = s
            .waiting
            .iter()
            .map(|(endpoint, list)| {
                let list = list
                    .iter()
                    .filter(|w| w.flushable && !s.flushed.contains(&w.id))
                    .cloned()
                    .collect();
                (endpoint.clone(), list)
            })
            .collect();
        Some(waiting)
    }) else {
        return;
    };
    for (endpoint, list) in waiting {
        let sizes: Vec<usize> = list.iter().map(|w| w.body.len()).collect();
        let n = batch_len(&sizes, MAX_BATCH_EVENTS, MAX_KEEPALIVE_BYTES);
        if n == 0 {
            continue;
        }
        let body = batch_body(list[..n].iter().map(|w| w.body.as_str()));
        with(|s| add_new(&mut s.flushed, list[..n].iter().map(|w| w.id.clone())));
        http::post_keepalive(&events_url(&endpoint), &body);
    }
}

fn hook_page_lifecycle() {
    if with(|s| std::mem::replace(&mut s.hooked, true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_hide = Closure::<dyn FnMut()>::new(flush_on_hide);
    let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    on_hide.forget();
    if let Some(document) = window.document() {
        let doc = document.clone();
        let on_visibility = Closure::<dyn FnMut()>::new(move || {
            if doc.visibility_state() == web_sys::VisibilityState::Hidden {
                flush_on_hide();
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            on_visibility.as_ref().unchecked_ref(),
        );
        on_visibility.forget();
    }
    // Back online: no point waiting out the whole backoff, but never less than the policy's
    // shortest wait (nor the server's `Retry-After`), so a flapping network cannot multiply
    // requests.
    let on_online = Closure::<dyn FnMut()>::new(|| {
        let earliest = with(|s| {
            s.retry_timer.as_ref()?;
            let min = RetryPolicy::default().min_delay_ms(s.failures, s.retry_after);
            Some(s.failed_at.saturating_add(min))
        });
        let Some(earliest) = earliest else {
            return;
        };
        let wait = earliest.saturating_sub(now_ms());
        let timer = Timeout::new(u32::try_from(wait).unwrap_or(u32::MAX), start_run);
        // Replacing the timer cancels the longer wait.
        with(|s| s.retry_timer = Some(timer));
    });
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    on_online.forget();
}
