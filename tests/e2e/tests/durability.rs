//! End-to-end: what survives the page or the browser going away. Results the page enqueued
//! reach the database exactly once when the tab is closed right after, when the page is left
//! while the endpoint does not answer (on the next visit), when Chromium is killed in the
//! middle of a send and started again on the same profile, and when five tabs emit at once
//! while the endpoint keeps failing in different ways.

use encore_e2e::Browser;
use encore_e2e::eventually;
use encore_e2e::proxied_shop::{ProxiedShop, emit_shares, ledger};
use encore_e2e::proxy::Fault;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

/// Opens a new tab in `browser` and makes it the current one.
async fn new_tab(browser: &Browser) -> fantoccini::wd::WindowHandle {
    let tab = browser
        .client
        .new_window(true)
        .await
        .expect("open a tab")
        .handle;
    browser
        .client
        .switch_to_window(tab.clone())
        .await
        .expect("switch to the new tab");
    tab
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_emitted_just_before_the_tab_closes_are_stored_within_seconds() {
    let shop = ProxiedShop::open().await;
    let browser = Browser::start(&shop.env).await;
    let first = browser.client.window().await.expect("the first tab");
    new_tab(&browser).await;
    shop.confirmation(&browser, "closing").await;
    let first_ids = ledger(&browser).await;
    shop.assert_stored_exactly_once(&first_ids, WAIT).await;
    // Slow answers: the page's ordinary post is still on its way when the tab closes, and the
    // browser cancels it (the proxy drops a request whose browser hung up). Only what the
    // page hands over as it goes (a `keepalive` post) can still arrive.
    shop.proxy
        .set_fault(Fault::Latency(Duration::from_millis(2_000)));
    let ids = emit_shares(&browser, 40).await;
    browser.client.close_window().await.expect("close the tab");
    browser
        .client
        .switch_to_window(first)
        .await
        .expect("back to the first tab");
    shop.assert_stored_exactly_once(&ids, Duration::from_secs(10))
        .await;
    let posts = shop
        .proxy
        .seen()
        .iter()
        .filter(|s| s.path == "/v1/events")
        .count();
    eprintln!(
        "tab closed: {} results stored, {posts} posts seen",
        ids.len()
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_left_behind_by_a_page_are_stored_on_the_next_visit() {
    let shop = ProxiedShop::open().await;
    let browser = Browser::start(&shop.env).await;
    shop.confirmation(&browser, "leaving").await;
    let before = ledger(&browser).await;
    shop.assert_stored_exactly_once(&before, WAIT).await;

    // The endpoint takes requests and never answers: the page is left with all of them waiting.
    shop.proxy.set_fault(Fault::Hang);
    let left = emit_shares(&browser, 40).await;
    let url = format!("{}/index.html", shop.proxy.url);
    browser.open(&url).await;
    assert_eq!(
        shop.stored_ids().await.len(),
        before.len(),
        "nothing got through the hung endpoint"
    );

    shop.proxy.set_fault(Fault::None);
    stored_once_after_a_visit(&shop, browser, "back", left).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_killed_mid_send_delivers_every_enqueued_result_once_after_relaunch() {
    let shop = ProxiedShop::open().await;
    let profile = shop.dir.path().join("profile");
    let browser = Browser::start_with_profile(&shop.env, &profile).await;
    shop.confirmation(&browser, "killed").await;

    // Slow answers, so that a batch is on its way when the browser dies.
    shop.proxy
        .set_fault(Fault::Latency(Duration::from_millis(1_500)));
    let enqueued = emit_shares(&browser, 200).await;
    eventually("a batch in flight", WAIT, || async {
        (shop.proxy.in_flight() > 0).then_some(())
    })
    .await;
    let pid = browser.chromium_pid().expect("Chromium's pid");
    assert!(browser.kill_chromium(), "kill -9 {pid}");
    eventually("Chromium gone", WAIT, || async {
        // Dead, or a zombie its parent (ChromeDriver) has not reaped.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat.rsplit_once(") ").map(|(_, rest)| rest.chars().next());
        (stat.is_empty() || state == Some(Some('Z'))).then_some(())
    })
    .await;
    drop(browser);
    let stored_at_kill = shop.stored_ids().await.len();
    eprintln!("killed with {stored_at_kill} of {} stored", enqueued.len());
    assert!(
        stored_at_kill < enqueued.len(),
        "the kill came after everything was delivered ({stored_at_kill} stored)"
    );

    shop.proxy.set_fault(Fault::None);
    let browser = Browser::start_with_profile(&shop.env, &profile).await;
    stored_once_after_a_visit(&shop, browser, "relaunched", enqueued).await;
}

/// Opens the confirmation again as `tab` (the endpoint healthy) and checks that `earlier`, the
/// results of the visit before, and the new visit's own are each stored exactly once.
async fn stored_once_after_a_visit(
    shop: &ProxiedShop,
    browser: Browser,
    tab: &str,
    earlier: Vec<String>,
) {
    shop.confirmation(&browser, tab).await;
    let mut all = earlier;
    all.extend(ledger(&browser).await);
    shop.assert_stored_exactly_once(&all, WAIT).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_tabs_emitting_while_the_endpoint_flaps_lose_nothing_and_double_nothing() {
    const TABS: usize = 5;
    const EACH: usize = 40;
    let shop = ProxiedShop::open().await;
    let browser = Browser::start(&shop.env).await;
    let mut tabs = vec![browser.client.window().await.expect("the first tab")];
    shop.confirmation(&browser, "tab0").await;
    for i in 1..TABS {
        tabs.push(new_tab(&browser).await);
        shop.confirmation(&browser, &format!("tab{i}")).await;
    }

    // The endpoint cycles through every fault while the tabs emit.
    let flapping = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let cycle = [
        Fault::None,
        Fault::ResetAfterHeaders,
        Fault::None,
        Fault::DropResponse,
        Fault::None,
        Fault::CutBody,
        Fault::Latency(Duration::from_millis(300)),
        Fault::Hang,
    ];
    let flapper = {
        let flapping = flapping.clone();
        let proxy = &shop.proxy;
        async move {
            // Bounded: stops when told, or after 2 minutes whatever happens.
            for fault in cycle.iter().cycle().take(480) {
                if !flapping.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                proxy.set_fault(*fault);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            proxy.set_fault(Fault::None);
        }
    };
    let emitting = async {
        // Every tab starts its clicks before any is waited for: they emit at once.
        for tab in &tabs {
            browser
                .client
                .switch_to_window(tab.clone())
                .await
                .expect("switch tabs");
            browser
                .js(&format!(
                    "const root = document.querySelector('encore-widget').shadowRoot;\
                     root.addEventListener('click', (e) => e.preventDefault(), true);\
                     const link = root.querySelector('.referral-channel[data-channel=email]');\
                     for (let i = 0; i < {EACH}; i++) {{\
                       link.dispatchEvent(new MouseEvent('click', {{bubbles: true, cancelable: true, composed: true}}));\
                     }}"
                ))
                .await;
        }
        let mut all = Vec::new();
        for tab in &tabs {
            browser
                .client
                .switch_to_window(tab.clone())
                .await
                .expect("switch tabs");
            // The impression and referral panel's results, then the shares.
            let ids = eventually("the shares enqueued", WAIT, || async {
                let ids = ledger(&browser).await;
                (ids.len() > EACH).then_some(ids)
            })
            .await;
            all.extend(ids);
        }
        // Keep the endpoint flapping a little longer, with results on their way.
        tokio::time::sleep(Duration::from_secs(3)).await;
        flapping.store(false, std::sync::atomic::Ordering::SeqCst);
        all
    };
    let ((), all) = tokio::join!(flapper, emitting);
    assert_eq!(
        all.len(),
        TABS * (EACH + 1),
        "each tab enqueued its impression and shares"
    );
    let faulted = shop
        .proxy
        .seen()
        .iter()
        .filter(|s| s.path == "/v1/events" && s.fault != Fault::None)
        .count();
    assert!(faulted > 0, "no request met a fault");
    shop.assert_stored_exactly_once(&all, Duration::from_secs(180))
        .await;
    browser.close().await;
}
