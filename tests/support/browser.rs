//! What every browser test file shares: the page and a fresh container per test, hosts with
//! an open shadow root, waiting for the widget (a flush, a poll, a turn of the event loop)
//! rather than for time, queries inside a shadow root, listening to the host's events, and
//! one stub endpoint in place of `window.fetch`.
//!
//! Included by each `tests/browser*.rs` with `#[path = "support/browser.rs"] mod browser;`;
//! each file uses a part of it.
#![allow(dead_code)]

use encore::context::WidgetContext;
use encore::embed::{Setup, read};
use encore::i18n::strings;
use gloo_timers::future::TimeoutFuture;
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

// --- the page ----------------------------------------------------------------------------

/// The test page's document.
pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A fresh container on the page, removed by the test when done.
pub fn container() -> Element {
    let div = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div
}

/// Runs `js` on the page; a script error fails the test.
pub fn eval(js: &str) -> JsValue {
    js_sys::eval(js).unwrap_or_else(|e| panic!("{js}: {e:?}"))
}

/// The page's global `name`.
pub fn global(name: &str) -> JsValue {
    let window = web_sys::window().expect("window");
    js_sys::Reflect::get(&window, &name.into()).expect("global")
}

/// An `<encore-widget>` in `parent` with `attrs` (in order) and an open shadow root.
pub fn widget_host(parent: &Element, attrs: &[(&str, &str)]) -> (HtmlElement, ShadowRoot) {
    let host: HtmlElement = document()
        .create_element("encore-widget")
        .expect("element")
        .unchecked_into();
    for (name, value) in attrs {
        host.set_attribute(name, value).expect("attribute");
    }
    parent.append_child(&host).expect("append");
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .expect("shadow root");
    (host, shadow)
}

/// The widget's stylesheet and a fresh element to render into, inside `shadow` (what
/// `encore::mount` sets up, for tests that render one component).
pub fn styled_root(shadow: &ShadowRoot) -> Element {
    let style = document().create_element("style").expect("style");
    style.set_text_content(Some(encore::stylesheet::STYLE));
    shadow.append_child(&style).expect("style");
    let root = document().create_element("div").expect("div");
    shadow.append_child(&root).expect("root");
    root
}

/// The context the widget would give its components for `host`'s attributes.
pub fn context(host: &HtmlElement) -> WidgetContext {
    let Setup::Ready(config) = read(host) else {
        panic!("valid attributes");
    };
    WidgetContext {
        strings: strings(config.locale),
        config: Rc::new(config),
        host: host.clone(),
    }
}

// --- waiting for the widget --------------------------------------------------------------

/// How often a poll looks again.
const POLL_MS: u32 = 20;

/// Flushes the widget's renders and polls every 20 ms, at most `ms`, until `ready` holds.
pub async fn until_within(ms: u32, what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..ms / POLL_MS {
        yew::scheduler::flush().await;
        if ready() {
            return;
        }
        TimeoutFuture::new(POLL_MS).await;
    }
    panic!("timed out waiting for {what}");
}

/// [`until_within`] two seconds.
pub async fn until(what: &str, ready: impl FnMut() -> bool) {
    until_within(2_000, what, ready).await;
}

/// Polls `probe` (an asynchronous read, such as of the outbox) every 20 ms for at most two
/// seconds until it gives something.
pub async fn eventually<T, F: Future<Output = Option<T>>>(
    what: &str,
    mut probe: impl FnMut() -> F,
) -> T {
    for _ in 0..2_000 / POLL_MS {
        if let Some(found) = probe().await {
            return found;
        }
        TimeoutFuture::new(POLL_MS).await;
    }
    panic!("timed out waiting for {what}");
}

/// Lets the widget finish what a promise already settled has set going (a share sheet
/// cancelled, an answer read): one turn of the event loop runs every queued microtask, where
/// the widget's futures resume, then its renders are flushed. For checking that something
/// did not happen when nothing on the page shows that it is over.
pub async fn settle() {
    TimeoutFuture::new(0).await;
    yew::scheduler::flush().await;
}

// --- inside a shadow root ----------------------------------------------------------------

/// Every element matching `selector`.
pub fn all(root: &ShadowRoot, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("query");
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// The first element matching `selector`, if any.
pub fn find(root: &ShadowRoot, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// The first element matching `selector`; the test fails without one.
pub fn one(root: &ShadowRoot, selector: &str) -> Element {
    find(root, selector).unwrap_or_else(|| panic!("no {selector}"))
}

/// Whether an element matches `selector`.
pub fn has(root: &ShadowRoot, selector: &str) -> bool {
    find(root, selector).is_some()
}

/// The text of the first element matching `selector`.
pub fn text(root: &ShadowRoot, selector: &str) -> String {
    one(root, selector).text_content().unwrap_or_default()
}

/// How many elements match `selector`.
pub fn count(root: &ShadowRoot, selector: &str) -> usize {
    all(root, selector).len()
}

/// Clicks the first element matching `selector`.
pub fn click(root: &ShadowRoot, selector: &str) {
    one(root, selector).unchecked_into::<HtmlElement>().click();
}

// --- the host's events -------------------------------------------------------------------

/// The `detail`s of the events a listener heard.
pub type Heard = Rc<RefCell<Vec<JsValue>>>;
/// The listener itself, kept alive as long as the test listens.
pub type Listener = Closure<dyn FnMut(web_sys::CustomEvent)>;

/// Events named `name` heard on `target`.
pub fn listen(target: &Element, name: &str) -> (Heard, Listener) {
    let seen: Heard = Rc::default();
    let sink = seen.clone();
    let listener: Listener = Closure::new(move |e: web_sys::CustomEvent| {
        sink.borrow_mut().push(e.detail());
    });
    target
        .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
        .expect("listen");
    (seen, listener)
}

// --- the stub endpoint -------------------------------------------------------------------

/// Which requests a stubbed answer is for: the path's ending, and query parameters or fields
/// of a JSON body that must be equal.
#[derive(Debug, Clone, Default)]
pub struct Route {
    path: String,
    query: Vec<(String, String)>,
    json: Vec<(String, String)>,
}

impl Route {
    /// Every request whose path ends with `path` (`/v1/offers`).
    pub fn path(path: &str) -> Self {
        Route {
            path: path.to_owned(),
            ..Route::default()
        }
    }

    /// Only requests whose query parameter `key` is `value`.
    pub fn query(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Only requests whose JSON body has `key` equal to the string `value`.
    pub fn json(mut self, key: &str, value: &str) -> Self {
        self.json.push((key.to_owned(), value.to_owned()));
        self
    }

    fn key(&self) -> String {
        serde_json::json!([self.path, self.query, self.json]).to_string()
    }
}

/// What the stub answers a route with.
#[derive(Clone, Copy)]
pub struct Reply<'a> {
    /// The status.
    pub status: u16,
    /// The body.
    pub body: &'a str,
    /// Response headers.
    pub headers: &'a [(&'a str, &'a str)],
    /// Milliseconds before answering (a slow network: the test is about time).
    pub delay_ms: u32,
    /// How many requests get a 503 first.
    pub fail: u32,
    /// Whether the answer waits until [`release_held`].
    pub held: bool,
    /// Whether other routes for the same requests come first.
    pub fallback: bool,
}

impl<'a> Reply<'a> {
    /// `status` with `body`, at once.
    pub fn new(status: u16, body: &'a str) -> Self {
        Reply {
            status,
            body,
            headers: &[],
            delay_ms: 0,
            fail: 0,
            held: false,
            fallback: false,
        }
    }
}

/// Replaces `window.fetch` with the stub (once per page; again after [`restore_fetch`]). The
/// stub logs every request, answers from the routes (the latest registered first, fallbacks
/// last), and everything else (the sender's `POST /v1/events`) with 503, so results stay
/// queued where tests read them.
pub fn stub_fetch() {
    eval(
        "if (!window.__encoreStub) {\
           const stub = { routes: [], log: [], real: window.fetch };\
           stub.hold = () => { stub.held = new Promise((go) => { stub.release = go; }); };\
           stub.hold();\
           stub.fetch = async function (url, init) {\
             const u = new URL(String(url), location.href);\
             const body = init && typeof init.body === 'string' ? init.body : null;\
             let json = null;\
             try { json = body === null ? null : JSON.parse(body); } catch (_) {}\
             const type = init && init.headers && init.headers.get ? init.headers.get('Content-Type') : null;\
             stub.log.push({ url: u.pathname + u.search, method: (init && init.method) || 'GET', body, type });\
             const order = stub.routes.filter((r) => !r.fallback).reverse()\
               .concat(stub.routes.filter((r) => r.fallback));\
             for (const r of order) {\
               if (!u.pathname.endsWith(r.path)) continue;\
               if (r.query.some(([k, v]) => u.searchParams.get(k) !== v)) continue;\
               if (r.json.some(([k, v]) => !json || json[k] !== v)) continue;\
               if (r.delay) await new Promise((go) => setTimeout(go, r.delay));\
               if (r.held) await stub.held;\
               if (r.fail > 0) { r.fail -= 1; return new Response('', { status: 503 }); }\
               if (r.network > 0) { r.network -= 1; throw new TypeError('Failed to fetch'); }\
               return new Response(r.body, { status: r.status, headers: r.headers });\
             }\
             return new Response('', { status: 503 });\
           };\
           window.__encoreStub = stub;\
         }\
         if (window.fetch !== window.__encoreStub.fetch) window.fetch = window.__encoreStub.fetch;",
    );
}

fn stub_object() -> JsValue {
    stub_fetch();
    global("__encoreStub")
}

fn set(target: &JsValue, key: &str, value: impl Into<JsValue>) {
    js_sys::Reflect::set(target, &key.into(), &value.into()).expect("set");
}

fn pairs(list: &[(String, String)]) -> js_sys::Array {
    list.iter()
        .map(|(k, v)| js_sys::Array::of2(&k.into(), &v.into()))
        .collect()
}

/// Answers requests matching `route` with `answer`, in place of an earlier answer for the
/// same route.
pub fn serve(route: &Route, answer: Reply) {
    let stub = stub_object();
    let entry = js_sys::Object::new();
    set(&entry, "key", route.key());
    set(&entry, "path", route.path.as_str());
    set(&entry, "query", pairs(&route.query));
    set(&entry, "json", pairs(&route.json));
    set(&entry, "status", answer.status);
    set(&entry, "body", answer.body);
    let headers = js_sys::Object::new();
    for (k, v) in answer.headers {
        set(&headers, k, *v);
    }
    set(&entry, "headers", headers);
    set(&entry, "delay", answer.delay_ms);
    set(&entry, "fail", answer.fail);
    set(&entry, "network", 0);
    set(&entry, "held", answer.held);
    set(&entry, "fallback", answer.fallback);
    let routes: js_sys::Array = js_sys::Reflect::get(&stub, &"routes".into())
        .expect("routes")
        .unchecked_into();
    let kept: js_sys::Array = routes
        .iter()
        .filter(|r| {
            js_sys::Reflect::get(r, &"key".into())
                .ok()
                .and_then(|k| k.as_string())
                != Some(route.key())
        })
        .collect();
    kept.push(&entry);
    set(&stub, "routes", kept);
}

/// Changes one setting of `route`'s answer: `fail` or `network` (how many requests get a 503,
/// or fail to connect, before the answer).
pub fn change(route: &Route, field: &str, value: u32) {
    let routes: js_sys::Array = js_sys::Reflect::get(&stub_object(), &"routes".into())
        .expect("routes")
        .unchecked_into();
    let entry = routes
        .iter()
        .find(|r| {
            js_sys::Reflect::get(r, &"key".into())
                .ok()
                .and_then(|k| k.as_string())
                == Some(route.key())
        })
        .expect("a route served before");
    set(&entry, field, value);
}

/// Lets every held answer go, and those that come later (until [`reset_stub`]).
pub fn release_held() {
    eval("window.__encoreStub.release();");
}

/// One request the stub heard.
#[derive(Debug, Clone)]
pub struct Request {
    /// The path and query.
    pub url: String,
    /// The method.
    pub method: String,
    /// A string body.
    pub body: Option<String>,
    /// The `Content-Type` header the request was sent with.
    pub content_type: Option<String>,
}

/// Every request the stub heard, oldest first.
pub fn requests() -> Vec<Request> {
    let log: js_sys::Array = js_sys::Reflect::get(&stub_object(), &"log".into())
        .expect("log")
        .unchecked_into();
    log.iter()
        .map(|r| {
            let field = |k: &str| {
                js_sys::Reflect::get(&r, &k.into())
                    .ok()
                    .and_then(|v| v.as_string())
            };
            Request {
                url: field("url").unwrap_or_default(),
                method: field("method").unwrap_or_default(),
                body: field("body"),
                content_type: field("type"),
            }
        })
        .collect()
}

/// The JSON bodies of the `POST`s to a path ending with `path` (no query string): the
/// token-carrying reads. Asserts each went as a CORS simple request (`text/plain`), with no
/// token in its URL.
pub fn reads_of(path: &str) -> Vec<serde_json::Value> {
    let mut reads = Vec::new();
    for r in requests() {
        let url_path = r.url.split('?').next().unwrap_or_default();
        if !url_path.ends_with(path) {
            continue;
        }
        assert_eq!(r.method, "POST", "a read that may carry a token: {}", r.url);
        assert!(!r.url.contains('?'), "nothing in the URL: {}", r.url);
        assert_eq!(
            r.content_type.as_deref(),
            Some("text/plain;charset=UTF-8"),
            "no preflight"
        );
        let body = r.body.expect("a string body");
        reads.push(serde_json::from_str(&body).expect("a JSON body"));
    }
    reads
}

/// How many requests' path and query contain `fragment`.
pub fn requested(fragment: &str) -> usize {
    requests()
        .iter()
        .filter(|r| r.url.contains(fragment))
        .count()
}

/// Forgets every route and the log, for a test that sets up its own endpoint.
pub fn reset_stub() {
    let stub = stub_object();
    set(&stub, "routes", js_sys::Array::new());
    set(&stub, "log", js_sys::Array::new());
    eval("window.__encoreStub.hold();");
}

/// Puts the browser's own `fetch` back.
pub fn restore_fetch() {
    eval("if (window.__encoreStub) window.fetch = window.__encoreStub.real;");
}
