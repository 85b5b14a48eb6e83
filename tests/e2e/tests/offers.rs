//! End-to-end: member-only offers on the demo product page, in headless Chromium against the
//! real `encore-server` with the demo store's configuration and a SQLite file. The demo page's
//! member switcher (`?member=`) asks the demo server for a signed member token, as a store's
//! backend would print one for a signed-in shopper.

use encore_e2e::eventually;
use encore_e2e::shop::{DemoShop, WIDGET_TEXT, inside};
use serde_json::Value;
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// (member, offer, code) of every stored claim.
async fn claims(db: &Path) -> Vec<(String, String, String)> {
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    let pool = SqlitePool::connect_with(options).await.expect("open db");
    let rows = sqlx::query("SELECT member, offer, code FROM offer_claims ORDER BY claimed_at")
        .fetch_all(&pool)
        .await
        .expect("query claims");
    pool.close().await;
    rows.iter()
        .map(|r| (r.get("member"), r.get("offer"), r.get("code")))
        .collect()
}

/// Opens the demo product page as `persona` and waits until the offers panel has loaded.
async fn product_page_as(shop: &DemoShop, persona: &str, loaded: &str) {
    shop.visit(&format!("/www/product.html?member={persona}"))
        .await;
    // The switcher says so once it has set (or removed) the token; the widget then remounts.
    shop.browser
        .wait_until(
            &format!("the demo switcher to sign in as {persona}"),
            "/Showing the widget as/.test(document.querySelector('[data-demo-members] [role=status]')?.textContent)",
        )
        .await;
    shop.browser
        .js("document.querySelector('encore-widget:not([mode=referral-welcome])').scrollIntoView();")
        .await;
    shop.browser
        .wait_until(&format!("the offers panel as {persona}"), loaded)
        .await;
    // Let a late answer (or a remount) settle before the test looks.
    tokio::time::sleep(Duration::from_millis(500)).await;
}

/// The claim buttons shown in the widget.
const CLAIM_BUTTONS: &str = "[...(document.querySelector('encore-widget:not([mode=referral-welcome])')?.shadowRoot?.querySelectorAll('button') || [])]\
     .filter(b => /^\\s*(claim|领取)/i.test(b.textContent))";

/// A JS condition: the panel shows locked member offers and a way to join.
fn teaser_shown() -> String {
    format!(
        "{} && {}",
        inside("a[href*='#members']"),
        "/member/i.test(".to_owned() + WIDGET_TEXT + ")"
    )
}

#[tokio::test]
async fn a_gold_member_sees_member_offers_and_claims_one() {
    let shop = DemoShop::open(&[]).await;
    let browser = &shop.browser;
    product_page_as(&shop, "gold", &format!("{CLAIM_BUTTONS}.length > 0")).await;
    let text = browser.js(&format!("return {WIDGET_TEXT};")).await;
    let text = text.as_str().unwrap_or_default().to_owned();
    assert!(text.contains("Gold"), "the member's tier is named: {text}");
    let offers = browser
        .js(&format!(
            "return {}?.querySelectorAll('li').length;",
            inside("ul[role=list]")
        ))
        .await;
    assert!(offers.as_u64().unwrap_or(0) >= 1, "offer cards form a list");

    // Claim the first offer: its code appears and is announced.
    browser
        .js(&format!(
            "{CLAIM_BUTTONS}[0].focus(); {CLAIM_BUTTONS}[0].click();"
        ))
        .await;
    let stored = eventually("the claim in the database", WAIT, || async {
        let rows = claims(&shop.server.db).await;
        (!rows.is_empty()).then_some(rows)
    })
    .await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    let (member, _offer, code) = &stored[0];
    assert_eq!(
        member, "demo-gold-mei",
        "the member comes from the signed token"
    );
    browser
        .wait_until(
            "the code to be revealed",
            &format!("{WIDGET_TEXT}.includes({code:?})"),
        )
        .await;
    let announced = browser
        .js(&format!(
            "return [...document.querySelector('encore-widget:not([mode=referral-welcome])').shadowRoot.querySelectorAll('[aria-live]')]\
             .some(r => r.textContent.includes({code:?}));"
        ))
        .await;
    assert_eq!(announced, Value::Bool(true), "the code is announced");
    let results = encore_e2e::stored_results(&shop.server.db, "demo").await;
    assert_eq!(
        results
            .iter()
            .filter(|(_, t, _)| t == "offer.claimed")
            .count(),
        1,
        "the claim is a stored result"
    );

    // After a reload the claimed code is still shown, and nothing is claimed twice.
    browser.client.refresh().await.expect("reload");
    browser
        .js("document.querySelector('encore-widget:not([mode=referral-welcome])').scrollIntoView();")
        .await;
    browser
        .wait_until(
            "the claimed code after a reload",
            &format!("{WIDGET_TEXT}.includes({code:?})"),
        )
        .await;
    assert_eq!(claims(&shop.server.db).await.len(), 1);
    shop.browser.close().await;
}

#[tokio::test]
async fn a_guest_sees_the_locked_teaser_and_how_to_join() {
    let shop = DemoShop::open(&[]).await;
    product_page_as(&shop, "guest", &teaser_shown()).await;
    let buttons = shop
        .browser
        .js(&format!("return {CLAIM_BUTTONS}.length;"))
        .await;
    assert_eq!(buttons, 0, "a guest cannot claim");
    assert!(claims(&shop.server.db).await.is_empty());
    shop.browser.close().await;
}

#[tokio::test]
async fn a_forged_member_token_sees_only_the_teaser() {
    let shop = DemoShop::open(&[]).await;
    // The demo switcher's "forged" persona: a silver token whose member id and tier were
    // changed to a gold member's, keeping the signature.
    product_page_as(&shop, "forged", &teaser_shown()).await;
    let buttons = shop
        .browser
        .js(&format!("return {CLAIM_BUTTONS}.length;"))
        .await;
    assert_eq!(buttons, 0, "a forged token claims nothing");
    let token = shop
        .browser
        .js("return document.querySelector('encore-widget:not([mode=referral-welcome])').getAttribute('member-token');")
        .await;
    assert!(
        token.as_str().is_some_and(|t| t.contains('.')),
        "the page did carry a (forged) token: {token}"
    );
    shop.browser.close().await;
}

#[tokio::test]
async fn a_lapsed_one_time_buyer_is_offered_the_win_back() {
    let shop = DemoShop::open(&[]).await;
    product_page_as(&shop, "lapsed", &format!("{CLAIM_BUTTONS}.length > 0")).await;
    let text = shop.browser.js(&format!("return {WIDGET_TEXT};")).await;
    let text = text.as_str().unwrap_or_default();
    assert!(text.contains("25%"), "the win-back offer is shown: {text}");
    shop.browser.close().await;
}
