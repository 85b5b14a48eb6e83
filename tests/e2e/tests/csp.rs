//! End-to-end: the widget under a strict Content-Security-Policy. `tests/pages/csp-strict.html`
//! allows scripts from its own origin (the loader's) with `'wasm-unsafe-eval'`, connections to
//! its own origin and the endpoint's (another origin: `http://localhost:PORT`), images from
//! the endpoint, and nothing else (`default-src 'none'`, no `style-src`): the product widget
//! renders the seeded reviews and its impression reaches the server with 0 violations.
//! `csp-no-wasm.html` is the same policy without `'wasm-unsafe-eval'`: the widget fails
//! quietly. Violations are collected by a listener that the page's first script installs
//! (`tests/pages/console-spy.js`), before the loader runs.

use encore_e2e::shop::{DemoShop, inside};
use encore_e2e::{eventually, stored_results};
use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Starts the demo store with its seeded reviews (some with photos) and opens `page` with the
/// endpoint on `http://localhost:PORT`, another origin than the page's `127.0.0.1`.
async fn open(page: &str) -> DemoShop {
    let shop = DemoShop::open(&[]).await;
    let config = shop.config.to_string_lossy().into_owned();
    shop.cli_with_db(&["demo-seed", "--config", &config]);
    shop.visit(&format!(
        "/tests/pages/{page}?endpoint=http://localhost:{}",
        shop.server.port
    ))
    .await;
    shop.browser
        .wait_until("the loader", "customElements.get('encore-widget')")
        .await;
    shop.browser
        .js("document.getElementById('w').scrollIntoView();")
        .await;
    shop
}

/// The violations the page has seen so far.
async fn violations(shop: &DemoShop) -> Vec<String> {
    let seen = shop.browser.js("return cspSeen;").await;
    seen.as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Checks the host page's own script ran and its button answers.
async fn assert_host_page_works(shop: &DemoShop) {
    assert_eq!(
        shop.browser
            .js("return document.getElementById('after').dataset.hostScript")
            .await,
        "ran"
    );
    assert_eq!(
        shop.browser
            .js("document.getElementById('host-button').click(); return document.getElementById('host-button').dataset.clicks;")
            .await,
        "1"
    );
}

#[tokio::test]
async fn under_a_strict_policy_the_widget_works_with_no_violation() {
    let shop = open("csp-strict.html").await;
    let browser = &shop.browser;
    browser
        .wait_until("the reviews", &inside(".product-reviews"))
        .await;
    // A seeded review's photo, from the endpoint's origin (img-src).
    browser
        .wait_until(
            "a review photo to load",
            &format!("{}?.naturalWidth > 0", inside("img[src*='/v1/photos/']")),
        )
        .await;
    let impression = eventually("the impression at the endpoint", WAIT, || async {
        stored_results(&shop.server.db, "demo")
            .await
            .into_iter()
            .find(|(_, kind, _)| kind == "widget.impression")
    })
    .await;
    assert_eq!(impression.2["data"]["mode"], "product");
    assert_eq!(
        browser
            .js("return document.getElementById('w').getAttribute('endpoint')")
            .await,
        Value::String(format!("http://localhost:{}", shop.server.port)),
        "the widget talked to the endpoint on the other origin"
    );
    // The JSON-LD block the widget writes into the head is data, which script-src allows.
    browser
        .wait_until(
            "the JSON-LD block",
            "document.head.querySelector('script[type=\"application/ld+json\"]')",
        )
        .await;
    assert_eq!(
        violations(&shop).await,
        Vec::<String>::new(),
        "no violation"
    );
    let console = browser.js("return consoleSeen;").await;
    assert_eq!(
        console,
        serde_json::json!([]),
        "no console warning or error"
    );
    assert_host_page_works(&shop).await;

    // The listener does see a violation when there is one: a connection the policy forbids.
    browser
        .js("fetch('http://127.0.0.2:9/').catch(() => {});")
        .await;
    browser
        .wait_until("the probe's violation", "cspSeen.length > 0")
        .await;
    let seen = violations(&shop).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].starts_with("connect-src http://127.0.0.2:9/"),
        "{seen:?}"
    );
    shop.browser.close().await;
}

#[tokio::test]
async fn without_wasm_unsafe_eval_the_widget_fails_quietly() {
    let shop = open("csp-no-wasm.html").await;
    let browser = &shop.browser;
    browser
        .wait_until(
            "the widget to give up",
            "document.getElementById('w').dataset.encore === 'failed'",
        )
        .await;
    assert_eq!(
        browser
            .js("return [document.getElementById('w').offsetHeight, document.getElementById('w').shadowRoot.querySelectorAll('.encore').length]")
            .await,
        serde_json::json!([0, 0]),
        "collapsed, nothing rendered"
    );
    let console = browser.js("return consoleSeen;").await;
    let console = console.as_array().cloned().unwrap_or_default();
    assert_eq!(
        console.len(),
        1,
        "one console message, nothing uncaught: {console:?}"
    );
    assert!(
        console[0][1]
            .as_str()
            .is_some_and(|m| m.starts_with("[encore]")),
        "{console:?}"
    );
    let seen = violations(&shop).await;
    assert!(
        !seen.is_empty() && seen.iter().all(|v| v.contains("wasm-eval")),
        "only WebAssembly compilation was refused: {seen:?}"
    );
    assert_host_page_works(&shop).await;
    assert!(
        stored_results(&shop.server.db, "demo").await.is_empty(),
        "nothing posted"
    );
    shop.browser.close().await;
}
