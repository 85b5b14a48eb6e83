//! End-to-end: the demo storefront and test pages in headless Chromium, against the real
//! `encore-server` on loopback with a temporary SQLite file.

use encore_e2e::{
    Browser, Env, Server, eventually, free_port, store_config, stored_results, strings,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// A server on its own port that serves the site and is the endpoint for it (`endpoint="/"`),
/// and a browser with a fresh profile.
struct Shop {
    env: Env,
    dir: tempfile::TempDir,
    server: Server,
    browser: Browser,
}

impl Shop {
    async fn open() -> Shop {
        let env = Env::get();
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let config = store_config("demo", &[format!("http://127.0.0.1:{port}")]);
        let db = dir.path().join("storefront.db");
        let server = Server::start(&env, dir.path(), port, &config, &db, Some(&env.site));
        let browser = Browser::start(&env).await;
        Shop {
            env,
            dir,
            server,
            browser,
        }
    }

    /// Opens a page of the site by its path.
    async fn visit(&self, path: &str) {
        let url = format!("{}{path}", self.server.url);
        self.browser.open(&url).await;
    }
}

/// A JS expression: the widget matching `selector` has rendered its surface.
fn rendered(selector: &str) -> String {
    format!("document.querySelector({selector:?})?.shadowRoot?.querySelector('.encore h2')")
}

/// Names of the widget files the page has fetched so far.
async fn fetched_widget_files(browser: &Browser) -> Vec<String> {
    strings(
        &browser
            .js(
                "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)\
                 .filter(p => p.startsWith('/dist/'));",
            )
            .await,
    )
}

#[tokio::test]
async fn the_product_page_loads_the_module_only_near_the_widget_and_records_an_impression() {
    let shop = Shop::open().await;
    let browser = &shop.browser;
    shop.visit("/www/product.html").await;
    browser
        .wait_until(
            "the loader to define the element",
            "customElements.get('encore-widget')",
        )
        .await;
    browser
        .js("window.ledger = []; document.addEventListener('encore:result', e => ledger.push(e.detail.id));")
        .await;
    // Give a wrongly eager loader every chance to fetch the module before checking it did not.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        fetched_widget_files(browser).await,
        ["/dist/encore.js"],
        "only the loader before scrolling"
    );
    assert_eq!(
        browser
            .js("return document.querySelector('encore-widget:not([mode=referral-welcome])').dataset.encore")
            .await,
        "waiting"
    );

    browser
        .js("document.querySelector('encore-widget:not([mode=referral-welcome])').scrollIntoView();")
        .await;
    browser
        .wait_until(
            "the widget to render",
            &rendered("encore-widget[mode=product]"),
        )
        .await;
    let files = fetched_widget_files(browser).await;
    let wasm: Vec<&String> = files.iter().filter(|f| f.ends_with(".wasm")).collect();
    assert_eq!(
        wasm,
        ["/dist/encore-product_bg.wasm"],
        "the product page's bundle is fetched once, and no other: {files:?}"
    );

    browser
        .wait_until("the impression to be queued", "ledger.length === 1")
        .await;
    let ledger: BTreeSet<String> = strings(&browser.js("return ledger;").await)
        .into_iter()
        .collect();
    let stored = eventually("the impression in the database", WAIT, || async {
        let rows = stored_results(&shop.server.db, "demo").await;
        (!rows.is_empty()).then_some(rows)
    })
    .await;
    let ids: BTreeSet<String> = stored.iter().map(|(id, _, _)| id.clone()).collect();
    assert_eq!(
        ids, ledger,
        "exactly the results the page emitted are stored"
    );
    let (_, kind, body) = &stored[0];
    assert_eq!(kind, "widget.impression");
    assert_eq!(body["data"]["mode"], "product");
    assert_eq!(body["data"]["product"], "jasmine-silver-needle");
    shop.browser.close().await;
}

#[tokio::test]
async fn the_scan_page_loads_at_once() {
    let shop = Shop::open().await;
    shop.visit("/www/scan.html").await;
    shop.browser
        .wait_until(
            "the scan widget to render without scrolling",
            &rendered("encore-widget[mode=scan]"),
        )
        .await;
    assert_eq!(shop.browser.js("return window.scrollY").await, 0);
    let files = fetched_widget_files(&shop.browser).await;
    assert!(
        files.contains(&"/dist/encore-scan_bg.wasm".to_owned())
            && files.iter().filter(|f| f.ends_with(".wasm")).count() == 1,
        "the QR landing loads only its own bundle: {files:?}"
    );
    shop.browser.close().await;
}

/// Waits for the playground's two widgets' results and returns their ids.
async fn collect(browser: &Browser) -> Vec<String> {
    browser
        .wait_until("two results", "(window.encoreResults || []).length === 2")
        .await;
    strings(&browser.js("return encoreResults.map(r => r.id);").await)
}

/// Reloads the page and collects its results.
async fn reload_and_collect(browser: &Browser) -> Vec<String> {
    browser.client.refresh().await.expect("reload");
    collect(browser).await
}

/// How many results wait in the page origin's outbox.
async fn outbox_len(browser: &Browser) -> u64 {
    let count = browser
        .js_async(
            "const db = await new Promise((ok, fail) => { const r = indexedDB.open('encore'); \
             r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });\
             const n = await new Promise((ok, fail) => { const r = db.transaction('outbox').objectStore('outbox').count();\
             r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });\
             db.close(); return n;",
        )
        .await;
    count
        .as_u64()
        .unwrap_or_else(|| panic!("outbox count: {count}"))
}

#[tokio::test]
async fn results_wait_while_the_endpoint_is_down_and_arrive_exactly_once() {
    let shop = Shop::open().await;
    let browser = &shop.browser;
    let mut endpoint = Server::start(
        &shop.env,
        shop.dir.path(),
        free_port(),
        &store_config("demo", std::slice::from_ref(&shop.server.url)),
        &shop.dir.path().join("endpoint.db"),
        None,
    );
    let mut ledger: Vec<String> = Vec::new();

    shop.visit(&format!(
        "/tests/pages/playground.html?endpoint={}&count=2",
        endpoint.url
    ))
    .await;
    ledger.extend(collect(browser).await);
    let delivered = eventually("the first results to arrive", WAIT, || async {
        let n = stored_results(&endpoint.db, "demo").await.len();
        (n == 2).then_some(n)
    })
    .await;

    endpoint.kill();
    for _ in 0..3 {
        ledger.extend(reload_and_collect(browser).await);
    }
    let queued = outbox_len(browser).await;
    assert!(
        queued >= 6,
        "every result emitted during the outage waits in the outbox ({queued})"
    );
    assert_eq!(
        stored_results(&endpoint.db, "demo").await.len(),
        delivered,
        "nothing arrived while down"
    );

    endpoint.restart();
    // The open page retries on its own after its backoff, and sends what the earlier pages of
    // the same store left in the outbox too.
    let during_outage: BTreeSet<String> = ledger.iter().cloned().collect();
    eventually("the retry to deliver the queued results", WAIT, || async {
        let rows = stored_results(&endpoint.db, "demo").await;
        let ids: BTreeSet<String> = rows.into_iter().map(|(id, _, _)| id).collect();
        ids.is_superset(&during_outage).then_some(())
    })
    .await;
    // And a later visit adds its own without sending anything twice.
    ledger.extend(reload_and_collect(browser).await);
    let expected: BTreeSet<String> = ledger.iter().cloned().collect();
    assert_eq!(
        expected.len(),
        ledger.len(),
        "every emitted result has its own id"
    );

    let stored = eventually("all results to arrive", WAIT, || async {
        let rows = stored_results(&endpoint.db, "demo").await;
        let ids: BTreeSet<String> = rows.iter().map(|(id, _, _)| id.clone()).collect();
        ids.is_superset(&expected).then_some(rows)
    })
    .await;
    let ids: Vec<String> = stored.iter().map(|(id, _, _)| id.clone()).collect();
    let distinct: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), distinct.len(), "no result stored twice");
    assert_eq!(
        distinct, expected,
        "exactly the results the pages emitted are stored"
    );
    eventually("the outbox to empty", WAIT, || async {
        (outbox_len(browser).await == 0).then_some(())
    })
    .await;
    shop.browser.close().await;
}

#[tokio::test]
async fn widgets_added_and_removed_later_mount_and_unmount() {
    let shop = Shop::open().await;
    let browser = &shop.browser;
    shop.visit("/tests/pages/playground.html?count=1").await;
    let count = "[...document.querySelectorAll('encore-widget')]\
                 .filter(e => e.shadowRoot && e.shadowRoot.querySelector('.encore h2')).length";
    browser
        .wait_until("one widget", &format!("{count} === 1"))
        .await;

    browser
        .js("addWidget({mode: 'scan', locale: 'zh-CN'});")
        .await;
    browser
        .wait_until("a second widget added later", &format!("{count} === 2"))
        .await;
    let title = browser
        .js("return document.querySelector('encore-widget[mode=scan]').shadowRoot.querySelector('h2').textContent;")
        .await;
    assert_eq!(title, "您的惊喜");

    browser
        .js("window.removed = [...document.querySelectorAll('encore-widget')]; removeWidgets();")
        .await;
    browser
        .wait_until(
            "removed widgets to unmount",
            "removed.every(e => !e.shadowRoot.querySelector('.encore'))",
        )
        .await;
    browser.js("addWidget({});").await;
    browser
        .wait_until("a widget after removal", &format!("{count} === 1"))
        .await;
    shop.browser.close().await;
}

/// Computed styles and boxes of everything the widget renders, to compare two pages.
const SNAPSHOT: &str = "const host = document.getElementById('w');\
    const box = e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };\
    const props = ['display', 'font-family', 'font-size', 'font-weight', 'line-height', 'color',\
        'background-color', 'padding-top', 'margin-top', 'border-top-width', 'visibility',\
        'font-style', 'letter-spacing', 'word-spacing', 'text-transform', 'text-align', 'white-space'];\
    const all = [...host.shadowRoot.querySelectorAll('.encore, .encore *')];\
    return { host: box(host), display: getComputedStyle(host).display, count: all.length,\
        nodes: all.map(e => [e.tagName, box(e), props.map(p => getComputedStyle(e).getPropertyValue(p))]) };";

#[tokio::test]
async fn hostile_page_css_does_not_change_the_widget() {
    let shop = Shop::open().await;
    let mut snapshots = Vec::new();
    for page in ["plain", "hostile"] {
        shop.visit(&format!("/tests/pages/{page}.html")).await;
        shop.browser
            .wait_until("the widget to render", &rendered("#w"))
            .await;
        snapshots.push(shop.browser.js(SNAPSHOT).await);
    }
    let hostile_applies = shop
        .browser
        .js("return getComputedStyle(document.body).display")
        .await;
    assert_eq!(
        hostile_applies, "inline",
        "the hostile CSS is really in force on the host page"
    );
    assert!(
        snapshots[0]["count"].as_u64().unwrap_or(0) >= 3,
        "the widget rendered: {}",
        snapshots[0]
    );
    assert_eq!(snapshots[0]["display"], Value::from("block"));
    assert_eq!(
        snapshots[0], snapshots[1],
        "the widget looks the same on both pages"
    );
    shop.browser.close().await;
}

#[tokio::test]
async fn a_referral_landing_is_remembered_by_the_loader_and_reported_by_the_widget() {
    let shop = Shop::open().await;
    let browser = &shop.browser;
    // The home page has no widget: the loader alone remembers the landing.
    shop.visit("/index.html?ref=ALEX-15").await;
    browser
        .wait_until("the loader to run", "customElements.get('encore-widget')")
        .await;
    let remembered = browser
        .js("return JSON.parse(localStorage.getItem('encore:ref')).code")
        .await;
    assert_eq!(remembered, "ALEX-15");
    assert_eq!(
        fetched_widget_files(browser).await,
        ["/dist/encore.js"],
        "no module for this"
    );

    // The next page where a widget runs reports it, once.
    shop.visit("/www/scan.html").await;
    let landed = eventually("the landing in the database", WAIT, || async {
        let rows = stored_results(&shop.server.db, "demo").await;
        let landed: Vec<Value> = rows
            .into_iter()
            .filter(|(_, t, _)| t == "referral.landed")
            .map(|r| r.2)
            .collect();
        (!landed.is_empty()).then_some(landed)
    })
    .await;
    assert_eq!(landed.len(), 1);
    assert_eq!(landed[0]["data"]["code"], "ALEX-15");
    assert!(
        landed[0]["data"]["page"]
            .as_str()
            .is_some_and(|p| p.ends_with("/index.html"))
    );
    // Kept, marked as reported, for the order it may lead to.
    browser
        .wait_until(
            "the landing to be marked as reported",
            "JSON.parse(localStorage.getItem('encore:ref')).reported === true",
        )
        .await;
    shop.visit("/www/scan.html").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rows = stored_results(&shop.server.db, "demo").await;
    assert_eq!(
        rows.iter()
            .filter(|(_, t, _)| t == "referral.landed")
            .count(),
        1,
        "reported once, however many pages follow"
    );
    shop.browser.close().await;
}
