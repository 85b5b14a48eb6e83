//! End-to-end: the widget's storage footprint while its endpoint is unreachable. Analytics
//! results (impressions) pile up in the IndexedDB outbox; the outbox must stay within the caps
//! the README promises by evicting the oldest analytics, keep every result a person made, and
//! leave the host page its own localStorage.

use encore_e2e::shop::DemoShop;
use encore_e2e::{eventually, free_port};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The outbox's caps as the README promises them (core/src/outbox.rs implements them).
const MAX_ENTRIES: u64 = 1_000;
const MAX_BYTES: u64 = 512 * 1024;
/// What the host page must still be able to keep in its own localStorage.
const HOST_BYTES: usize = 4 * 1024 * 1024;
/// Referral landings (user actions, never evicted) queued before the flood of analytics.
const LANDINGS: usize = 3;
/// Remounts per script call, well within WebDriver's 30 s script timeout.
const BATCH: usize = 100;

/// Opens the playground with one product widget whose endpoint is a closed port on loopback.
async fn page(shop: &DemoShop, dead_endpoint: &str, referral: Option<&str>) {
    let referral = referral.map(|c| format!("&ref={c}")).unwrap_or_default();
    shop.visit(&format!(
        "/tests/pages/playground.html?endpoint={dead_endpoint}&count=1{referral}"
    ))
    .await;
    shop.browser
        .wait_until(
            "the widget's impression",
            "window.encoreResults?.some(r => r.type === 'widget.impression')",
        )
        .await;
}

/// Remounts the widget (a changed `product` attribute) `count` times, each time waiting for the
/// impression the widget queues for it; returns the id of the last one.
async fn emit_impressions(shop: &DemoShop, count: usize, deadline: Duration) -> String {
    let start = Instant::now();
    let mut last = String::new();
    let mut done = 0;
    while done < count {
        assert!(
            start.elapsed() < deadline,
            "only {done} of {count} impressions queued in {deadline:?}"
        );
        let n = BATCH.min(count - done);
        let answer = shop
            .browser
            .js_async(&format!(
                "const w = document.querySelector('encore-widget'); let last = null;\
                 for (let i = 0; i < {n}; i++) {{\
                   const queued = new Promise((ok, fail) => {{\
                     const t = setTimeout(() => fail(new Error('no impression after remount ' + i)), 10000);\
                     w.addEventListener('encore:result', (e) => {{ clearTimeout(t); ok(e.detail); }}, {{ once: true }});\
                   }});\
                   w.setAttribute('product', 'sku-' + ({done} + i));\
                   const r = await queued;\
                   if (r.type !== 'widget.impression') throw new Error('unexpected ' + r.type);\
                   last = r.id;\
                 }}\
                 return last;"
            ))
            .await;
        last = answer
            .as_str()
            .unwrap_or_else(|| panic!("remounting failed: {answer}"))
            .to_owned();
        done += n;
    }
    last
}

/// What the outbox holds: `{count, bytes, actions: [ids of user actions], ids: [all ids]}`,
/// bytes counted as the outbox counts them (the UTF-8 length of each result's JSON).
async fn outbox(shop: &DemoShop) -> Value {
    shop.browser
        .js_async(
            "const db = await new Promise((ok, fail) => { const r = indexedDB.open('encore');\
               r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });\
             const all = await new Promise((ok, fail) => {\
               const r = db.transaction('outbox').objectStore('outbox').getAll();\
               r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });\
             db.close();\
             const enc = new TextEncoder();\
             return { count: all.length, bytes: all.reduce((n, e) => n + enc.encode(e.body).length, 0),\
                      actions: all.filter(e => e.action).map(e => e.id), ids: all.map(e => e.id) };",
        )
        .await
}

/// Floods the outbox with `impressions` analytics results behind a dead endpoint and checks
/// the caps, the kept user actions and the host page's localStorage.
async fn flood(impressions: usize, deadline: Duration) {
    let shop = DemoShop::open(&[]).await;
    let dead = format!("http://127.0.0.1:{}", free_port());

    // A few results a person made: each visit through a referral link queues one.
    let mut landings = Vec::new();
    for i in 0..LANDINGS {
        page(&shop, &dead, Some(&format!("FRIEND-{i}"))).await;
        let id = eventually("the referral landing", Duration::from_secs(20), || async {
            let id = shop
                .browser
                .js("return window.encoreResults.find(r => r.type === 'referral.landed')?.id;")
                .await;
            id.as_str().map(str::to_owned)
        })
        .await;
        landings.push(id);
    }

    page(&shop, &dead, None).await;
    let started = Instant::now();
    let last = emit_impressions(&shop, impressions, deadline).await;
    let took = started.elapsed();
    eprintln!(
        "{impressions} impressions queued in {took:.1?} ({:.0}/s)",
        impressions as f64 / took.as_secs_f64()
    );

    let held = outbox(&shop).await;
    eprintln!(
        "outbox after {impressions} impressions: {} results, {} bytes",
        held["count"], held["bytes"]
    );
    let count = held["count"].as_u64().expect("outbox count");
    let bytes = held["bytes"].as_u64().expect("outbox bytes");
    assert!(
        count <= MAX_ENTRIES,
        "the outbox holds {count} results, over its cap of {MAX_ENTRIES}"
    );
    assert!(
        bytes <= MAX_BYTES,
        "the outbox holds {bytes} bytes, over its cap of {MAX_BYTES}"
    );
    let ids: Vec<&str> = held["ids"]
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        ids.contains(&last.as_str()),
        "the newest impression is kept (the oldest analytics make room)"
    );
    let actions: Vec<&str> = held["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for id in &landings {
        assert!(
            actions.contains(&id.as_str()),
            "the referral landing {id} (a user action) was kept: {actions:?}"
        );
    }

    // The host page still has its own localStorage, and the loader's memory of ?ref= is tiny.
    let host = shop
        .browser
        .js(&format!(
            "try {{ localStorage.setItem('host-page', 'x'.repeat({HOST_BYTES}));\
               return localStorage.getItem('host-page').length; }} catch (e) {{ return String(e); }}"
        ))
        .await;
    assert_eq!(
        host.as_u64(),
        Some(HOST_BYTES as u64),
        "the host page writes 4 MB to its own localStorage: {host}"
    );
    let ours = shop
        .browser
        .js(
            "return Object.keys(localStorage).filter(k => k !== 'host-page')\
             .map(k => ({ key: k, chars: k.length + localStorage.getItem(k).length }));",
        )
        .await;
    eprintln!("the widget's localStorage: {ours}");
    let widget_chars: u64 = ours
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["chars"].as_u64())
        .sum();
    assert!(
        widget_chars <= 512,
        "the widget keeps {widget_chars} characters in localStorage: {ours}"
    );
    shop.browser.close().await;
}

#[tokio::test]
async fn behind_a_dead_endpoint_the_outbox_stays_within_its_caps_and_keeps_user_actions() {
    // Enough to pass the count cap with room to spare.
    flood(MAX_ENTRIES as usize + 300, Duration::from_secs(600)).await;
}

#[tokio::test]
#[ignore = "long: run by cargo xtask test --long"]
async fn ten_thousand_analytics_results_behind_a_dead_endpoint_stay_within_the_caps() {
    flood(10_000, Duration::from_secs(3_000)).await;
}
