//! The demo store reached through the fault proxy: the browser opens the store's pages on the
//! proxy's origin, so the widget's endpoint (`endpoint="/"`) is the proxy too, and every
//! result it sends can be delayed, hung, reset, cut or answered into the void.
//!
//! Also the page side of the delivery tests: a ledger of the ids each page enqueued (from the
//! widget's `encore:result` events), emitting shares in bulk, and Chromium's virtual time for
//! waiting out backoffs without waiting.

use crate::proxy::Proxy;
use crate::shop::referral_panel_ready;
use crate::{Browser, Env, Server, demo_store_config, eventually, free_port, stored_results};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;

/// The demo store, its server and the proxy in front of it.
pub struct ProxiedShop {
    /// Paths from `cargo xtask test`.
    pub env: Env,
    /// Holds the database, the config and browser profiles.
    pub dir: tempfile::TempDir,
    /// The server, allowing pages from the proxy's origin.
    pub server: Server,
    /// The proxy; faults apply to the endpoint's API (`/v1/`).
    pub proxy: Proxy,
}

/// Installed in every new document before any of its scripts: the ledger of result ids the
/// page's widgets enqueued (`encore:result` is dispatched only once a result is stored).
/// Installed once per tab but safe to install again (each install runs on every new document).
const LEDGER: &str = "if (!window.__ledger) { window.__ledger = [];\
    document.addEventListener('encore:result', (e) => window.__ledger.push(e.detail && e.detail.id), true); }";

impl ProxiedShop {
    /// Starts the demo store's server and the proxy in front of it.
    pub async fn open() -> ProxiedShop {
        let env = Env::get();
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let proxy = Proxy::start(port, "/v1/").await;
        let config = demo_store_config(std::slice::from_ref(&proxy.url), &[]);
        let db = dir.path().join("shop.db");
        let server = Server::start(&env, dir.path(), port, &config, &db, Some(&env.site));
        ProxiedShop {
            env,
            dir,
            server,
            proxy,
        }
    }

    /// Opens the demo order confirmation in `browser`'s current tab, on the proxy's origin,
    /// marked `tab` (the proxy tells tabs apart by the `Referer` their requests carry), with
    /// the ledger installed; returns once the referral panel is ready.
    pub async fn confirmation(&self, browser: &Browser, tab: &str) {
        install_ledger(browser).await;
        let url = format!("{}/www/thank-you.html?tab={tab}", self.proxy.url);
        browser.open(&url).await;
        browser
            .wait_until("the ledger", "Array.isArray(window.__ledger)")
            .await;
        referral_panel_ready(browser).await;
    }

    /// The ids stored for the demo store, each as often as it is stored.
    pub async fn stored_ids(&self) -> Vec<String> {
        stored_results(&self.server.db, "demo")
            .await
            .into_iter()
            .map(|(id, _, _)| id)
            .collect()
    }

    /// Waits until every id of `ledger` is stored, then checks each is stored exactly once and
    /// nothing else is stored.
    pub async fn assert_stored_exactly_once(&self, ledger: &[String], timeout: Duration) {
        let stored = eventually(
            &format!("the {} results of the ledger stored", ledger.len()),
            timeout,
            || async {
                let stored = self.stored_ids().await;
                ledger
                    .iter()
                    .all(|id| stored.contains(id))
                    .then_some(stored)
            },
        )
        .await;
        assert_exactly_once(ledger, &stored);
    }
}

/// Checks that `stored` holds every id of `ledger` exactly once and nothing else.
pub fn assert_exactly_once(ledger: &[String], stored: &[String]) {
    let mut times: HashMap<&str, usize> = HashMap::new();
    for id in stored {
        *times.entry(id.as_str()).or_default() += 1;
    }
    let doubled: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubled.is_empty(), "stored more than once: {doubled:?}");
    let lost: Vec<_> = ledger
        .iter()
        .filter(|id| !times.contains_key(id.as_str()))
        .collect();
    assert!(lost.is_empty(), "{} lost: {lost:?}", lost.len());
    let unknown: Vec<_> = stored.iter().filter(|id| !ledger.contains(id)).collect();
    assert!(unknown.is_empty(), "stored but never enqueued: {unknown:?}");
    let mut distinct = ledger.to_vec();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        ledger.len(),
        "the page enqueued an id twice"
    );
}

/// Makes every document `browser`'s current tab opens from now on keep the ledger.
pub async fn install_ledger(browser: &Browser) {
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": LEDGER }),
        )
        .await
        .unwrap_or_else(|e| panic!("Page.addScriptToEvaluateOnNewDocument: {e}"));
}

/// The ids the current page enqueued so far.
pub async fn ledger(browser: &Browser) -> Vec<String> {
    let value = browser.js("return window.__ledger || [];").await;
    value
        .as_array()
        .unwrap_or_else(|| panic!("no ledger in {value}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Clicks the referral panel's e-mail share `count` times from a loop in the page (each click
/// queues one `referral.shared`, as a shopper sharing their link would; the `mailto:` itself is
/// not followed), and waits until the page has enqueued them all; returns the whole ledger.
pub async fn emit_shares(browser: &Browser, count: usize) -> Vec<String> {
    let before = ledger(browser).await.len();
    let script = format!(
        "const root = document.querySelector('encore-widget').shadowRoot;\
         if (!window.__noMailto) {{\
           root.addEventListener('click', (e) => e.preventDefault(), true);\
           window.__noMailto = true;\
         }}\
         const link = root.querySelector('.referral-channel[data-channel=email]');\
         for (let i = 0; i < {count}; i++) {{\
           link.dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true, composed: true}}));\
         }}"
    );
    browser.js(&script).await;
    let want = before + count;
    eventually(
        &format!("{count} shares enqueued"),
        Duration::from_secs(60),
        || async {
            let now = ledger(browser).await;
            (now.len() >= want).then_some(now)
        },
    )
    .await
}

/// One step of virtual time: shorter than the widget's post timeout (30 s), so a request that
/// is merely slow is never abandoned because the clock jumped while it was in flight.
const STEP_MS: u64 = 5_000;

/// Lets `ms` of virtual time pass in `browser`'s current tab (Chromium's DevTools
/// `Emulation.setVirtualTimePolicy`), in steps; before each step, waits until the proxy has no
/// request in flight (hung ones aside, which only the page's own timeout ends). Timers
/// (backoffs, timeouts) fire as their time comes; nothing waits for real.
pub async fn advance(browser: &Browser, proxy: &Proxy, ms: u64) {
    for _ in 0..ms.div_ceil(STEP_MS) {
        eventually(
            "the proxy to finish its requests",
            Duration::from_secs(60),
            || async { (proxy.in_flight() == 0).then_some(()) },
        )
        .await;
        step(browser, STEP_MS).await;
    }
}

/// Advances the clock as [`advance`] does until every id of `ledger` is stored, for at most
/// `max_ms` of virtual time.
pub async fn advance_until_stored(
    shop: &ProxiedShop,
    browser: &Browser,
    ledger: &[String],
    max_ms: u64,
) {
    for _ in 0..max_ms.div_ceil(STEP_MS) {
        let stored = shop.stored_ids().await;
        if ledger.iter().all(|id| stored.contains(id)) {
            return;
        }
        advance(browser, &shop.proxy, STEP_MS).await;
    }
    // One last look: the final step's requests may just have finished.
    eventually(
        "the proxy to finish its requests",
        Duration::from_secs(60),
        || async { (shop.proxy.in_flight() == 0).then_some(()) },
    )
    .await;
    let stored = shop.stored_ids().await;
    let missing = ledger.iter().filter(|id| !stored.contains(id)).count();
    assert_eq!(
        missing, 0,
        "{missing} results not stored after {max_ms} ms of virtual time"
    );
}

/// Lets `ms` of virtual time pass, then pauses the clock; returns once the page's clock has
/// moved on by that much.
async fn step(browser: &Browser, ms: u64) {
    let start = page_now(browser).await;
    browser
        .cdp(
            "Emulation.setVirtualTimePolicy",
            json!({ "policy": "advance", "budget": ms }),
        )
        .await
        .unwrap_or_else(|e| panic!("Emulation.setVirtualTimePolicy: {e}"));
    eventually(
        &format!("{ms} ms of virtual time"),
        Duration::from_secs(60),
        || async { (page_now(browser).await >= start + ms as f64 - 1.0).then_some(()) },
    )
    .await;
}

/// Stops the clock of `browser`'s current tab: timers wait until [`advance`].
pub async fn pause(browser: &Browser) {
    browser
        .cdp(
            "Emulation.setVirtualTimePolicy",
            json!({ "policy": "pause" }),
        )
        .await
        .unwrap_or_else(|e| panic!("Emulation.setVirtualTimePolicy: {e}"));
}

/// The page's clock (`Date.now()`, virtual under a virtual-time policy).
pub async fn page_now(browser: &Browser) -> f64 {
    let value: Value = browser.js("return Date.now();").await;
    value
        .as_f64()
        .unwrap_or_else(|| panic!("Date.now() gave {value}"))
}

#[cfg(test)]
mod tests {
    use super::assert_exactly_once;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exactly_once_accepts_a_match_in_any_order() {
        assert_exactly_once(&ids(&["a", "b"]), &ids(&["b", "a"]));
    }

    #[test]
    #[should_panic(expected = "stored more than once")]
    fn a_doubled_row_is_caught() {
        assert_exactly_once(&ids(&["a", "b"]), &ids(&["a", "b", "a"]));
    }

    #[test]
    #[should_panic(expected = "lost")]
    fn a_lost_result_is_caught() {
        assert_exactly_once(&ids(&["a", "b"]), &ids(&["a"]));
    }

    #[test]
    #[should_panic(expected = "never enqueued")]
    fn a_stranger_is_caught() {
        assert_exactly_once(&ids(&["a"]), &ids(&["a", "z"]));
    }
}
