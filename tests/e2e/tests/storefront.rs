//! End-to-end: the demo storefront and test pages in headless Chromium, against the real
//! `encore-server` on loopback with a temporary SQLite file.

use encore_e2e::{Browser, Env, Server, eventually, free_port, store_config, stored_results};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// A server on its own port that serves the site and is the endpoint for it (`endpoint="/"`).
fn storefront(env: &Env, dir: &tempfile::TempDir) -> Server {
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let db = dir.path().join("storefront.db");
    Server::start(
        env,
        dir.path(),
        port,
        &store_config("demo", &[origin]),
        &db,
        Some(&env.site),
    )
}

/// Names of the widget files the page has fetched so far.
async fn fetched_widget_files(browser: &Browser) -> Vec<String> {
    let names = browser
        .js(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)\
             .filter(p => p.startsWith('/dist/'));",
        )
        .await;
    names
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_product_page_loads_the_module_only_near_the_widget_and_records_an_impression() {
    let env = Env::get();
    let dir = tempfile::tempdir().expect("temp dir");
    let server = storefront(&env, &dir);
    let browser = Browser::start(&env).await;

    browser
        .client
        .goto(&format!("{}/www/product.html", server.url))
        .await
        .expect("open product page");
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
        fetched_widget_files(&browser).await,
        ["/dist/encore.js"],
        "only the loader before scrolling"
    );
    assert_eq!(
        browser
            .js("return document.querySelector('encore-widget').dataset.encore")
            .await,
        "waiting"
    );

    browser
        .js("document.querySelector('encore-widget').scrollIntoView();")
        .await;
    browser
        .wait_until(
            "the widget to render",
            "document.querySelector('encore-widget').shadowRoot.querySelector('.encore h2')",
        )
        .await;
    let files = fetched_widget_files(&browser).await;
    assert_eq!(
        files.iter().filter(|f| f.ends_with(".wasm")).count(),
        1,
        "the module is fetched once: {files:?}"
    );

    browser
        .wait_until("the impression to be queued", "ledger.length === 1")
        .await;
    let ledger: BTreeSet<String> = browser
        .js("return ledger;")
        .await
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let stored = eventually("the impression in the database", WAIT, || async {
        let rows = stored_results(&server.db, "demo").await;
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
    browser.close().await;
}

#[tokio::test]
async fn the_scan_page_loads_at_once() {
    let env = Env::get();
    let dir = tempfile::tempdir().expect("temp dir");
    let server = storefront(&env, &dir);
    let browser = Browser::start(&env).await;
    browser
        .client
        .goto(&format!("{}/www/scan.html", server.url))
        .await
        .expect("open scan page");
    browser
        .wait_until(
            "the scan widget to render without scrolling",
            "document.querySelector('encore-widget[mode=scan]').shadowRoot.querySelector('.encore h2')",
        )
        .await;
    assert_eq!(browser.js("return window.scrollY").await, 0);
    browser.close().await;
}

/// The ids in the page's `encoreResults` ledger (tests/pages/playground.html).
async fn page_ledger(browser: &Browser) -> Vec<String> {
    let value = browser
        .js("return (window.encoreResults || []).map(r => r.id);")
        .await;
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
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
    let env = Env::get();
    let dir = tempfile::tempdir().expect("temp dir");
    let site = storefront(&env, &dir);
    let endpoint_port = free_port();
    let mut endpoint = Server::start(
        &env,
        dir.path(),
        endpoint_port,
        &store_config("demo", std::slice::from_ref(&site.url)),
        &dir.path().join("endpoint.db"),
        None,
    );
    let browser = Browser::start(&env).await;
    let page = format!(
        "{}/tests/pages/playground.html?endpoint={}&count=2",
        site.url, endpoint.url
    );
    let mut ledger: Vec<String> = Vec::new();

    browser.client.goto(&page).await.expect("open playground");
    browser
        .wait_until("two results", "(window.encoreResults || []).length === 2")
        .await;
    ledger.extend(page_ledger(&browser).await);
    eventually("the first results to arrive", WAIT, || async {
        (stored_results(&endpoint.db, "demo").await.len() == 2).then_some(())
    })
    .await;

    endpoint.kill();
    for _ in 0..3 {
        browser.client.refresh().await.expect("reload");
        browser
            .wait_until("two results", "(window.encoreResults || []).length === 2")
            .await;
        ledger.extend(page_ledger(&browser).await);
    }
    assert_eq!(
        outbox_len(&browser).await,
        6,
        "every result emitted during the outage waits in the outbox"
    );
    assert_eq!(
        stored_results(&endpoint.db, "demo").await.len(),
        2,
        "nothing arrived while down"
    );

    endpoint.restart();
    // The next page load of the same store sends what an earlier one could not.
    browser.client.refresh().await.expect("reload");
    browser
        .wait_until("two results", "(window.encoreResults || []).length === 2")
        .await;
    ledger.extend(page_ledger(&browser).await);
    let expected: BTreeSet<String> = ledger.iter().cloned().collect();
    assert_eq!(expected.len(), 10, "ten distinct results were emitted");

    let stored = eventually("all results to arrive", WAIT, || async {
        let rows = stored_results(&endpoint.db, "demo").await;
        (rows.len() >= expected.len()).then_some(rows)
    })
    .await;
    let ids: Vec<String> = stored.iter().map(|(id, _, _)| id.clone()).collect();
    assert_eq!(ids.len(), expected.len(), "no result stored twice");
    assert_eq!(
        ids.into_iter().collect::<BTreeSet<_>>(),
        expected,
        "exactly the emitted results"
    );
    eventually("the outbox to empty", WAIT, || async {
        (outbox_len(&browser).await == 0).then_some(())
    })
    .await;
    browser.close().await;
}

#[tokio::test]
async fn widgets_added_and_removed_later_mount_and_unmount() {
    let env = Env::get();
    let dir = tempfile::tempdir().expect("temp dir");
    let server = storefront(&env, &dir);
    let browser = Browser::start(&env).await;
    browser
        .client
        .goto(&format!(
            "{}/tests/pages/playground.html?count=1",
            server.url
        ))
        .await
        .expect("open playground");
    let rendered = "[...document.querySelectorAll('encore-widget')]\
                    .filter(e => e.shadowRoot && e.shadowRoot.querySelector('.encore h2')).length";
    browser
        .wait_until("one widget", &format!("{rendered} === 1"))
        .await;

    browser
        .js("addWidget({mode: 'scan', locale: 'zh-CN'});")
        .await;
    browser
        .wait_until("a second widget added later", &format!("{rendered} === 2"))
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
        .wait_until("a widget after removal", &format!("{rendered} === 1"))
        .await;
    browser.close().await;
}

/// Computed styles and boxes of everything the widget renders, to compare two pages.
const SNAPSHOT: &str = "const host = document.getElementById('w');\
    const box = e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };\
    const props = ['display', 'font-family', 'font-size', 'font-weight', 'line-height', 'color',\
        'background-color', 'padding-top', 'margin-top', 'border-top-width', 'visibility'];\
    const all = [...host.shadowRoot.querySelectorAll('.encore, .encore *')];\
    return { host: box(host), display: getComputedStyle(host).display, count: all.length,\
        nodes: all.map(e => [e.tagName, box(e), props.map(p => getComputedStyle(e).getPropertyValue(p))]) };";

#[tokio::test]
async fn hostile_page_css_does_not_change_the_widget() {
    let env = Env::get();
    let dir = tempfile::tempdir().expect("temp dir");
    let server = storefront(&env, &dir);
    let browser = Browser::start(&env).await;
    let mut snapshots = Vec::new();
    for page in ["plain", "hostile"] {
        browser
            .client
            .goto(&format!("{}/tests/pages/{page}.html", server.url))
            .await
            .expect("open page");
        browser
            .wait_until(
                "the widget to render",
                "document.getElementById('w').shadowRoot.querySelector('.encore h2')",
            )
            .await;
        snapshots.push(browser.js(SNAPSHOT).await);
    }
    let hostile_applies = browser
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
    browser.close().await;
}
