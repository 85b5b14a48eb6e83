//! End-to-end: the widget and the reference server set no cookies. A shopper goes through the
//! demo product page (as a member), the order confirmation and the QR landing, every widget
//! reports to the real server, and Chromium's whole cookie jar (DevTools protocol
//! `Network.getAllCookies`, which sees HttpOnly and third-party cookies too) stays empty.

use encore_e2e::shop::{DemoShop, WIDGET_TEXT, inside};
use encore_e2e::{eventually, stored_results};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Every cookie the browser holds, by name.
async fn cookie_names(shop: &DemoShop) -> Vec<String> {
    let jar = shop
        .browser
        .cdp("Network.getAllCookies", json!({}))
        .await
        .unwrap_or_else(|e| panic!("Network.getAllCookies: {e}"));
    jar["cookies"]
        .as_array()
        .unwrap_or_else(|| panic!("no cookie list in {jar}"))
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Opens `path`, brings the main widget into view and waits until it has rendered text.
async fn visit_and_render(shop: &DemoShop, path: &str) {
    shop.visit(path).await;
    shop.browser
        .wait_until(
            "the loader",
            "customElements.get('encore-widget') && document.querySelector('encore-widget:not([mode=referral-welcome])')",
        )
        .await;
    shop.browser
        .js("document.querySelector('encore-widget:not([mode=referral-welcome])').scrollIntoView();")
        .await;
    shop.browser
        .wait_until(
            &format!("the widget on {path}"),
            &format!("{WIDGET_TEXT}.trim().length > 40"),
        )
        .await;
    assert_eq!(
        shop.browser.js("return document.cookie;").await,
        Value::String(String::new()),
        "no cookie readable on {path}"
    );
}

#[tokio::test]
async fn neither_the_widget_nor_the_server_sets_a_cookie() {
    let shop = DemoShop::open(&[]).await;

    // The probe must be able to see a cookie, or an empty jar would prove nothing.
    shop.visit("/www/product.html").await;
    shop.browser
        .js("document.cookie = 'probe=1; path=/';")
        .await;
    assert_eq!(
        cookie_names(&shop).await,
        ["probe"],
        "the probe sees the page's cookie"
    );
    shop.browser
        .js("document.cookie = 'probe=; path=/; max-age=0';")
        .await;
    assert!(cookie_names(&shop).await.is_empty());

    visit_and_render(&shop, "/www/product.html?member=gold").await;
    shop.browser
        .wait_until("the reviews section", &inside(".product-reviews"))
        .await;
    visit_and_render(&shop, "/www/thank-you.html").await;
    visit_and_render(&shop, "/www/scan.html").await;

    // Every page's results reached the server (impressions at least), so each answered.
    eventually("the impressions in the database", WAIT, || async {
        let stored = stored_results(&shop.server.db, "demo").await;
        let impressions = stored
            .iter()
            .filter(|(_, kind, _)| kind == "widget.impression")
            .count();
        (impressions >= 3).then_some(())
    })
    .await;
    assert_eq!(
        cookie_names(&shop).await,
        Vec::<String>::new(),
        "no cookies set"
    );
    shop.browser.close().await;
}
