//! Helpers for the console's browser tests: a fetch stub answering canned JSON per method and
//! path and logging every request (with its CSRF header and credentials mode), containers,
//! waiting, and key presses.

use gloo_timers::future::TimeoutFuture;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

/// The test page's document.
pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A fresh container on the page.
pub fn container() -> Element {
    let div = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div
}

/// Runs `js`; a script error fails the test.
pub fn eval(js: &str) -> JsValue {
    js_sys::eval(js).unwrap_or_else(|e| panic!("{js}: {e:?}"))
}

/// Replaces `window.fetch` with the stub and forgets earlier routes and requests.
pub fn stub_fetch() {
    eval(
        "window.__cs = { routes: [], log: [] };\
         window.fetch = async function (url, init) {\
           const u = new URL(String(url), location.href);\
           const method = (init && init.method) || 'GET';\
           const h = init && init.headers;\
           window.__cs.log.push({ path: u.pathname, search: u.search, method,\
             body: init && typeof init.body === 'string' ? init.body : null,\
             csrf: h && h.get ? h.get('X-CSRF-Token') : null,\
             credentials: (init && init.credentials) || null });\
           for (const r of window.__cs.routes.slice().reverse()) {\
             if (r.method === method && u.pathname === r.path) {\
               return new Response(r.body, { status: r.status, headers: r.headers });\
             }\
           }\
           return new Response('{\"error\":\"not_found\",\"message\":\"\"}', { status: 404 });\
         };",
    );
}

/// Answers `method path` with `status` and `body` (and `headers`).
pub fn serve(method: &str, path: &str, status: u16, body: &str, headers: &[(&str, &str)]) {
    let headers: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
        .collect();
    let route = serde_json::json!({
        "method": method, "path": path, "status": status, "body": body, "headers": headers,
    });
    eval(&format!("window.__cs.routes.push({route});"));
}

/// A request the stub saw.
#[derive(Debug, Clone, Deserialize)]
pub struct Seen {
    /// The path.
    pub path: String,
    /// The query, with `?`.
    pub search: String,
    /// The method.
    pub method: String,
    /// The body, if a string.
    pub body: Option<String>,
    /// `X-CSRF-Token`.
    pub csrf: Option<String>,
    /// The credentials mode.
    pub credentials: Option<String>,
}

/// Every request so far.
pub fn requests() -> Vec<Seen> {
    let json = eval("JSON.stringify(window.__cs.log)")
        .as_string()
        .unwrap_or_default();
    serde_json::from_str(&json).expect("the log")
}

/// Waits until `ready`, at most 5 s.
pub async fn until(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..500 {
        yew::scheduler::flush().await;
        if ready() {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for {what}");
}

/// The elements under `root` matching `selector`.
pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// The first element under `root` matching `selector`.
pub fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("selector")
        .unwrap_or_else(|| panic!("no {selector}"))
}

/// The text of `selector` under `root`.
pub fn text(root: &Element, selector: &str) -> String {
    one(root, selector).text_content().unwrap_or_default()
}

/// Clicks `element`.
pub fn click(element: &Element) {
    element
        .dyn_ref::<HtmlElement>()
        .expect("an HTML element")
        .click();
}

/// Presses `key` on `target` (a bubbling keydown).
pub fn press(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    target.dispatch_event(&event).expect("dispatch");
}

/// The element with focus.
pub fn focused() -> Option<Element> {
    document().active_element()
}
