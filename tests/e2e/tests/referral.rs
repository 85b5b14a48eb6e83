//! End-to-end: referral on the demo store, in headless Chromium against the real
//! `encore-server` and a SQLite file. The advocate copies their link on the order confirmation;
//! a friend in a fresh browser profile opens it, is welcomed, places a demo order whose
//! confirmation page carries an order token signed by the demo server, and the advocate's counts
//! and reward follow. The advocate ordering through their own link earns nothing. The QR code
//! the browser renders decodes back to the link.

use encore_e2e::shop::{DemoShop, WIDGET_TEXT, inside, inside_welcome, referral_panel_ready};
use encore_e2e::{Browser, eventually, stored_results};
use serde_json::Value;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// A JS expression: the advocate panel's counts, as `"visits,orders,rewards"`.
fn counts() -> String {
    format!(
        "[...({}?.querySelectorAll('.referral-count dd') || [])].map(d => d.textContent).join(',')",
        inside(".referral")
    )
}

/// Opens the demo order confirmation (`query` picks the order) and waits for the referral panel.
async fn confirmation(shop: &DemoShop, browser: &Browser, query: &str) {
    let url = format!("{}/www/thank-you.html{query}", shop.server.url);
    browser.open(&url).await;
    browser
        .wait_until(
            "the demo order token",
            "document.documentElement.dataset.demoOrder === 'ready'",
        )
        .await;
    referral_panel_ready(browser).await;
}

/// The path and query of `link`, opened on the shop's own server (the demo store's landing URL
/// names the demo's usual port, the test server runs on another).
async fn open_link(shop: &DemoShop, browser: &Browser, link: &str) {
    let rest = link
        .split_once("/www/")
        .map(|(_, r)| r)
        .expect("the landing is a demo page");
    let url = format!("{}/www/{rest}", shop.server.url);
    browser.open(&url).await;
}

/// Places a demo order from the product page's checkout as `name` <`email`>.
async fn order(browser: &Browser, name: &str, email: &str) {
    browser
        .wait_until("the checkout", "document.getElementById('demo-checkout')")
        .await;
    browser
        .js(&format!(
            "const f = document.getElementById('demo-checkout');\
             f.elements.name.value = {name:?}; f.elements.email.value = {email:?};\
             f.requestSubmit();"
        ))
        .await;
}

/// The `data` of every stored result of `ty`.
async fn stored(shop: &DemoShop, ty: &str) -> Vec<Value> {
    stored_results(&shop.server.db, "demo")
        .await
        .into_iter()
        .filter(|(_, t, _)| t == ty)
        .map(|(_, _, body)| body.get("data").cloned().unwrap_or(body))
        .collect()
}

/// Waits until `count` results of `ty` are stored, and returns them.
async fn stored_n(shop: &DemoShop, ty: &str, count: usize) -> Vec<Value> {
    eventually(&format!("{count} {ty} stored"), WAIT, || async {
        let found = stored(shop, ty).await;
        (found.len() >= count).then_some(found)
    })
    .await
}

/// Decodes the QR code as Chromium draws the panel's SVG: rendered onto a canvas, read back as
/// pixels and decoded with rqrr.
async fn rendered_qr(browser: &Browser) -> String {
    const SIDE: usize = 400;
    let script = format!(
        "const svg = {};\
         const xml = new XMLSerializer().serializeToString(svg);\
         const img = new Image();\
         img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);\
         await img.decode();\
         const c = document.createElement('canvas'); c.width = c.height = {SIDE};\
         const g = c.getContext('2d'); g.imageSmoothingEnabled = false;\
         g.fillStyle = '#fff'; g.fillRect(0, 0, {SIDE}, {SIDE});\
         g.drawImage(img, 0, 0, {SIDE}, {SIDE});\
         const px = g.getImageData(0, 0, {SIDE}, {SIDE}).data;\
         let bits = ''; for (let i = 0; i < px.length; i += 4) bits += px[i] < 128 ? '1' : '0';\
         return bits;",
        inside(".referral-qr svg")
    );
    let bits = browser.js_async(&script).await;
    let bits = bits.as_str().expect("pixels").as_bytes().to_vec();
    assert_eq!(bits.len(), SIDE * SIDE);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(SIDE, SIDE, |x, y| {
        if bits[y * SIDE + x] == b'1' { 0 } else { 255 }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("the QR code decodes").1
}

/// `encore-server referrals list` for the demo store.
fn referrals(shop: &DemoShop) -> String {
    let db = shop.server.db.to_string_lossy().into_owned();
    shop.cli_with_config(&["referrals", "list", "--store", "demo", "--db", &db])
}

#[tokio::test]
async fn a_friend_who_orders_through_the_link_earns_the_reward_and_a_self_referral_nothing() {
    let shop = DemoShop::open(&[]).await;
    let advocate = &shop.browser;

    // Mei's order confirmation: her link, the offer, and nothing earned yet.
    confirmation(&shop, advocate, "").await;
    let text = advocate.js(&format!("return {WIDGET_TEXT};")).await;
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("Give 15% off your first order, get $10 store credit"),
        "{text}"
    );
    assert_eq!(advocate.js(&format!("return {};", counts())).await, "0,0,0");
    let link = advocate
        .js(&format!("return {}.value;", inside(".referral-url")))
        .await;
    let link = link.as_str().expect("the link").to_owned();
    let code = link
        .rsplit_once("ref=")
        .map(|(_, c)| c.to_owned())
        .expect("?ref=");
    assert_eq!(code.len(), 8, "{link}");

    // Copy it with the keyboard, as a shopper would.
    advocate
        .js(&format!("{}.focus();", inside(".copy-button")))
        .await;
    advocate.keys("\u{E007}").await;
    advocate
        .wait_until(
            "the copy",
            &format!("{}?.textContent === 'Link copied'", inside(".copy-status")),
        )
        .await;
    let shared = stored_n(&shop, "referral.shared", 1).await;
    assert_eq!(shared[0]["code"], code.as_str());
    assert_eq!(shared[0]["via"], "copy");
    assert_eq!(
        rendered_qr(advocate).await,
        link,
        "the QR code holds the link"
    );

    // A friend, in a fresh profile, opens the link: welcomed by name, the landing stored.
    let friend = Browser::start(&shop.env).await;
    open_link(&shop, &friend, &link).await;
    friend
        .wait_until(
            "the welcome",
            &format!(
                "{}?.textContent === 'Mei gave you 15% off your first order.'",
                inside_welcome(".referral-welcome")
            ),
        )
        .await;
    let landed = stored_n(&shop, "referral.landed", 1).await;
    assert_eq!(landed[0]["code"], code.as_str());

    // The friend's first order: its confirmation carries the demo-signed order token.
    order(&friend, "Lin", "lin@example.com").await;
    friend
        .wait_until(
            "the friend's confirmation",
            "document.documentElement.dataset.demoOrder === 'ready'",
        )
        .await;
    let ordered = stored_n(&shop, "referral.ordered", 1).await;
    assert_eq!(ordered[0]["code"], code.as_str());
    // The server credits the order only against a landing it recorded from the same device.
    assert!(ordered[0]["device"].is_string(), "{}", ordered[0]);
    assert_eq!(
        ordered[0]["device"], landed[0]["device"],
        "the order comes from the device that landed"
    );
    friend.close().await;

    confirmation(&shop, advocate, "").await;
    assert_eq!(
        advocate.js(&format!("return {};", counts())).await,
        "1,1,1",
        "one visit, one order, one reward"
    );
    let listed = referrals(&shop);
    assert!(listed.contains("rewarded"), "{listed}");

    // Mei through her own link, under another spelling of her address: no reward.
    open_link(&shop, advocate, &link).await;
    order(advocate, "Mei", "MEI@example.com").await;
    advocate
        .wait_until(
            "Mei's new confirmation",
            "document.documentElement.dataset.demoOrder === 'ready'",
        )
        .await;
    stored_n(&shop, "referral.ordered", 2).await;
    confirmation(&shop, advocate, "").await;
    assert_eq!(
        advocate.js(&format!("return {};", counts())).await,
        "2,2,1",
        "her own visit and order are counted, and earn nothing"
    );
    let listed = referrals(&shop);
    assert!(listed.contains("self_email"), "{listed}");
    let rewarded = listed.lines().filter(|l| l.contains("rewarded")).count();
    assert_eq!(rewarded, 1, "{listed}");
}
