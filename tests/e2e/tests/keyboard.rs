//! End-to-end: interactions completed with the keyboard alone, from the top of the page. Focus
//! is never placed by script: each control is reached with Tab (and Shift+Tab) the way a
//! keyboard or switch user would, activated with Enter or Space, and the result is then checked
//! in the server's database.
//!
//! Writing and submitting a review by keyboard is covered by
//! `reviews.rs::a_keyboard_review_from_the_request_link_appears_on_the_product_page_after_approval`;
//! this file covers the others.

use encore_e2e::shop::{DemoShop, inside};
use encore_e2e::{Browser, eventually, stored_results};
use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E008}";
const ENTER: &str = "\u{E007}";
/// How many Tab presses a demo page may need to reach a control (header, nav, demo switcher,
/// the widget's own controls); more means focus is trapped or the control is unreachable.
const MAX_TABS: usize = 80;

/// Presses `key` until the focused element (looking into shadow roots) matches `want`.
async fn press_until(browser: &Browser, key: &str, what: &str, want: impl Fn(&Value) -> bool) {
    for _ in 0..MAX_TABS {
        if want(&browser.focused().await) {
            return;
        }
        browser.keys(key).await;
    }
    panic!(
        "the keyboard never reached {what}; focus is on {}",
        browser.focused().await
    );
}

/// Whether `focused` is a button whose accessible text starts with `label`.
fn button_labelled(focused: &Value, label: &str) -> bool {
    focused["tag"] == "button"
        && focused["label"]
            .as_str()
            .is_some_and(|l| l.starts_with(label))
}

/// Starts keyboard navigation from the top of the page, as a fresh visit does.
async fn from_the_top(browser: &Browser) {
    browser
        .js("document.activeElement?.blur(); window.scrollTo(0, 0);")
        .await;
}

#[tokio::test]
async fn a_member_claims_an_offer_with_the_keyboard_alone() {
    let shop = DemoShop::open(&[]).await;
    let browser = &shop.browser;
    shop.visit("/www/offers.html?member=gold").await;
    // The member's panel loads once the demo switcher has put the signed token on it.
    browser
        .wait_until(
            "the member's offers",
            "[...document.querySelectorAll('encore-widget[mode=offers]')].some(w => { w.scrollIntoView();\
             return w.shadowRoot?.querySelector('.claim-button'); })",
        )
        .await;
    from_the_top(browser).await;
    press_until(browser, TAB, "a Claim button", |f| {
        button_labelled(f, "Claim")
    })
    .await;
    // One step back and forth: Shift+Tab leaves the button and Tab returns to it.
    let claim = browser.focused().await;
    browser.keys(SHIFT_TAB).await;
    assert_ne!(browser.focused().await, claim, "Shift+Tab moves focus back");
    press_until(browser, TAB, "the same Claim button", |f| *f == claim).await;
    browser.keys(ENTER).await;

    let stored = eventually("the claim in the database", WAIT, || async {
        let rows = stored_results(&shop.server.db, "demo").await;
        let claims: Vec<Value> = rows
            .into_iter()
            .filter(|(_, t, _)| t == "offer.claimed")
            .map(|(_, _, body)| body)
            .collect();
        (!claims.is_empty()).then_some(claims)
    })
    .await;
    assert_eq!(stored.len(), 1, "one claim: {stored:?}");
    browser
        .wait_until(
            "the claimed code shown",
            "[...document.querySelectorAll('encore-widget[mode=offers]')]\
             .some(w => w.shadowRoot?.querySelector('.copy-button'))",
        )
        .await;
    shop.browser.close().await;
}

#[tokio::test]
async fn an_advocate_copies_their_referral_link_with_the_keyboard_alone() {
    let shop = DemoShop::open(&[]).await;
    let browser = &shop.browser;
    shop.visit("/www/thank-you.html").await;
    browser
        .wait_until(
            "the referral panel",
            &format!(
                "document.querySelector('encore-widget').scrollIntoView() || {}?.dataset.status === 'ready'",
                inside(".referral")
            ),
        )
        .await;
    from_the_top(browser).await;
    press_until(browser, TAB, "the Copy link button", |f| {
        button_labelled(f, "Copy link")
    })
    .await;
    browser.keys(" ").await;
    browser
        .wait_until(
            "the copy to be confirmed",
            &format!("{}?.textContent === 'Link copied'", inside(".copy-status")),
        )
        .await;
    let shared = eventually("the share in the database", WAIT, || async {
        let rows = stored_results(&shop.server.db, "demo").await;
        rows.into_iter()
            .find(|(_, t, _)| t == "referral.shared")
            .map(|(_, _, body)| body)
    })
    .await;
    assert_eq!(shared["data"]["via"], "copy", "{shared}");
    shop.browser.close().await;
}

#[tokio::test]
async fn a_shopper_types_a_surprise_code_reveals_the_prize_and_redeems_it_with_the_keyboard_alone()
{
    let shop = DemoShop::open(&[]).await;
    let browser = &shop.browser;
    let code = shop
        .mint_codes(1)
        .pop()
        .map(|minted| minted.code)
        .expect("one minted code");

    // No code in the address: the landing asks for one.
    shop.visit("/www/scan.html").await;
    let status = inside(".surprise") + "?.dataset.status";
    browser
        .wait_until("the code entry", &format!("{status} === 'entry'"))
        .await;
    from_the_top(browser).await;
    press_until(browser, TAB, "the code field", |f| {
        f["tag"] == "input" && f["name"] == "code"
    })
    .await;
    browser.keys(&code).await;
    browser.keys(ENTER).await;
    browser
        .wait_until("the reveal step", &format!("{status} === 'reveal'"))
        .await;
    press_until(browser, TAB, "the Reveal button", |f| {
        button_labelled(f, "Reveal your prize")
    })
    .await;
    browser.keys(" ").await;
    browser
        .wait_until("the prize", &format!("{status} === 'prize'"))
        .await;

    let stored = eventually("the redemption in the database", WAIT, || async {
        let rows = stored_results(&shop.server.db, "demo").await;
        rows.into_iter()
            .find(|(_, t, _)| t == "surprise.redeemed")
            .map(|(_, _, body)| body)
    })
    .await;
    // Stored as the server reads it: without the dashes printed for legibility.
    assert_eq!(
        stored["data"]["code"],
        code.replace('-', "").as_str(),
        "{stored}"
    );
    shop.browser.close().await;
}
