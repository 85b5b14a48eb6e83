//! End-to-end: delivery through a faulty network. The demo order confirmation is opened
//! through the fault proxy (see `encore_e2e::proxy`), 200 shares are emitted from the page
//! while the proxy breaks the endpoint's requests one way, the fault is lifted, and the
//! page's ledger of enqueued ids must match the database row for row: every result stored
//! exactly once, none lost, none doubled.
//!
//! Backoffs are waited out on Chromium's virtual time (DevTools
//! `Emulation.setVirtualTimePolicy`), not for real: the widget's own timers, `Date.now()` and
//! random draws run unchanged, only the clock they read jumps ahead when the page is idle.
//! That keeps the product free of test hooks and the test honest about what the page does
//! over ten minutes, in seconds.

use encore_e2e::Browser;
use encore_e2e::proxied_shop::{ProxiedShop, advance, advance_until_stored, emit_shares, ledger};
use encore_e2e::proxy::Fault;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);
/// Results emitted under each fault.
const RESULTS: usize = 200;
/// Virtual time spent under the fault before it is lifted.
const UNDER_FAULT_MS: u64 = 60_000;
/// Virtual time allowed for recovery: more than the longest backoff (5 minutes).
const RECOVERY_MS: u64 = 400_000;

/// The demo confirmation in a fresh browser, its first results (impression) already stored.
async fn page(tab: &str) -> (ProxiedShop, Browser) {
    let shop = ProxiedShop::open().await;
    let browser = Browser::start(&shop.env).await;
    shop.confirmation(&browser, tab).await;
    let first = ledger(&browser).await;
    shop.assert_stored_exactly_once(&first, WAIT).await;
    (shop, browser)
}

/// Emits [`RESULTS`] shares under `fault` for a virtual minute, lifts it, and checks every
/// result the page enqueued is stored exactly once. Returns how many were stored while the
/// fault was on, and the shop, for fault-specific checks.
async fn emit_under(fault: Fault, tab: &str) -> (ProxiedShop, Browser, Vec<String>, usize) {
    let (shop, browser) = page(tab).await;
    shop.proxy.set_fault(fault);
    let ids = emit_shares(&browser, RESULTS).await;
    advance(&browser, &shop.proxy, UNDER_FAULT_MS).await;
    let faulted = shop
        .proxy
        .seen()
        .iter()
        .filter(|s| s.path == "/v1/events" && s.fault == fault)
        .count();
    assert!(faulted > 0, "no request met {fault:?}");
    let stored_under_fault = shop.stored_ids().await.len();

    shop.proxy.set_fault(Fault::None);
    advance_until_stored(&shop, &browser, &ids, RECOVERY_MS).await;
    shop.assert_stored_exactly_once(&ids, WAIT).await;
    (shop, browser, ids, stored_under_fault)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_sent_with_added_latency_are_stored_once() {
    let (_shop, browser, ids, stored) =
        emit_under(Fault::Latency(Duration::from_millis(400)), "latency").await;
    // Slow is not broken: everything got through while the latency lasted.
    assert_eq!(stored, ids.len(), "all delivered despite the latency");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_sent_to_an_endpoint_that_hangs_are_stored_once_after_it_recovers() {
    let (shop, browser, ids, stored) = emit_under(Fault::Hang, "hang").await;
    assert!(stored < ids.len(), "nothing passes a hung endpoint");
    // The page gave up on the hung requests by itself and tried again.
    let hung = shop
        .proxy
        .seen()
        .iter()
        .filter(|s| s.path == "/v1/events" && s.fault == Fault::Hang)
        .count();
    assert!(
        hung >= 2,
        "the page retried after its timeout ({hung} hung requests)"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_whose_connection_is_reset_after_the_headers_are_stored_once() {
    let (_shop, browser, ids, stored) = emit_under(Fault::ResetAfterHeaders, "reset").await;
    assert!(stored < ids.len(), "nothing passes a reset");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_whose_request_body_is_cut_are_stored_once() {
    let (_shop, browser, ids, stored) = emit_under(Fault::CutBody, "cut").await;
    assert!(stored < ids.len(), "a cut body is never stored");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_the_server_stored_but_whose_answer_was_lost_are_not_stored_twice() {
    let (_shop, browser, _ids, stored) = emit_under(Fault::DropResponse, "dropped").await;
    // The server committed batches the page never heard about; the page sent them again.
    assert!(
        stored > 1,
        "the server stored results whose answers were dropped ({stored} stored)"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_minute_outage_costs_a_tab_at_most_fifteen_requests() {
    let (shop, browser) = page("outage").await;
    shop.proxy.set_fault(Fault::ResetAfterHeaders);
    let before = shop.proxy.count("POST", "/v1/events", "tab=outage");
    let started = Instant::now();
    let first = emit_shares(&browser, 20).await.len();
    // Every 10 virtual seconds the browser says it is back online and the shopper shares
    // again: neither may cut a backoff short of the policy's shortest wait.
    for _ in 0..60 {
        browser
            .js("window.dispatchEvent(new Event('online'));\
                 document.querySelector('encore-widget').shadowRoot\
                   .querySelector('.referral-channel[data-channel=email]')\
                   .dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, composed: true}));")
            .await;
        advance(&browser, &shop.proxy, 10_000).await;
    }
    let during = shop.proxy.count("POST", "/v1/events", "tab=outage") - before;
    eprintln!(
        "a 10-minute outage: {during} requests from the tab, simulated in {:.1?}",
        started.elapsed()
    );
    assert!(during <= 15, "{during} requests in a 10-minute outage");
    // The clock did move: even the longest waits (1 s, 2 s, … 256 s) fit 10 tries in 600 s.
    assert!(
        during >= 9,
        "only {during} requests: did virtual time pass?"
    );

    shop.proxy.set_fault(Fault::None);
    // The last shares may still be on their way into the outbox (the clock stops between
    // steps): let it run until the page has enqueued all 60.
    let mut ids = ledger(&browser).await;
    for _ in 0..20 {
        if ids.len() >= first + 60 {
            break;
        }
        advance(&browser, &shop.proxy, 5_000).await;
        ids = ledger(&browser).await;
    }
    assert_eq!(
        ids.len(),
        first + 60,
        "every share during the outage enqueued"
    );
    advance_until_stored(&shop, &browser, &ids, RECOVERY_MS).await;
    shop.assert_stored_exactly_once(&ids, WAIT).await;
    browser.close().await;
}
