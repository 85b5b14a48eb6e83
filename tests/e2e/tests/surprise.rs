//! End-to-end: QR surprise codes on the demo QR landing page, in headless Chromium against the
//! real `encore-server` with the demo store's campaign and a SQLite file. Codes are minted with
//! the `codes mint` CLI, as a store prints them on its packaging.

use encore_e2e::shop::{DemoShop, WIDGET_TEXT, inside};
use encore_e2e::{Browser, eventually};
use serde_json::Value;
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// (redemption id, prize id, prize code) of every stored redemption.
async fn redemptions(db: &Path) -> Vec<(String, String, Option<String>)> {
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    let pool = SqlitePool::connect_with(options).await.expect("open db");
    let rows = sqlx::query(
        "SELECT redemption_id, prize_id, prize_code FROM surprise_redemptions ORDER BY redeemed_at",
    )
    .fetch_all(&pool)
    .await
    .expect("query redemptions");
    pool.close().await;
    rows.iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// The path and query of a minted URL, opened on the shop's own server.
fn landing_path(url: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    format!("/www/scan.html?{query}")
}

/// A JS expression: the landing's `data-status` (`reveal`, `prize`, `already_redeemed`, ...).
fn status() -> String {
    inside(".surprise") + "?.dataset.status"
}

async fn widget_text(browser: &Browser) -> String {
    browser
        .js(&format!("return {WIDGET_TEXT};"))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_minted_code_is_revealed_by_keyboard_stored_once_and_then_already_redeemed() {
    // Every code wins the 20%-off coupon from its single-use pool, so the code path is certain.
    let shop = DemoShop::open(&[
        ("chance = 5\n", "chance = 0\n"),
        ("chance = 15\n", "chance = 100\n"),
        ("chance = 40\n", "chance = 0\n"),
        ("chance = 20\npoints", "chance = 0\npoints"),
    ])
    .await;
    let codes = shop.mint_codes(2);
    assert_eq!(codes.len(), 2);
    let first = &codes[0];
    assert!(first.url.contains("?c="), "{}", first.url);

    // The landing page redeems at once, then waits for the shopper to reveal.
    shop.visit(&landing_path(&first.url)).await;
    let browser = &shop.browser;
    browser
        .wait_until(
            "the reveal step",
            &format!(
                "{} === 'reveal' && {}",
                status(),
                inside("button.reveal-button")
            ),
        )
        .await;
    browser
        .js(&format!("{}.focus();", inside("button.reveal-button")))
        .await;
    let focused = browser.focused().await;
    assert_eq!(focused["tag"], "button", "{focused}");
    browser.keys("\u{E007}").await;
    browser
        .wait_until("the prize", &format!("{} === 'prize'", status()))
        .await;

    // Exactly one redemption is stored, for the id the page queued as its result.
    let stored = redemptions(&shop.server.db).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    let (redemption, prize, prize_code) = stored[0].clone();
    assert_eq!(prize, "off-20");
    assert!(
        prize_code
            .as_deref()
            .is_some_and(|c| c.starts_with("SPRING20-")),
        "a code from the pool: {prize_code:?}"
    );
    let results = eventually("the surprise.redeemed result", WAIT, || async {
        let results = encore_e2e::stored_results(&shop.server.db, "demo").await;
        let redeemed: Vec<_> = results
            .into_iter()
            .filter(|(_, t, _)| t == "surprise.redeemed")
            .collect();
        (!redeemed.is_empty()).then_some(redeemed)
    })
    .await;
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(
        results[0].0, redemption,
        "the result's id is the redemption id"
    );

    // The prize is shown with its code, a copy button and a QR code for the till, and announced.
    let text = widget_text(browser).await;
    if let Some(code) = &prize_code {
        let shown = browser
            .js(&format!("return {}?.textContent;", inside(".prize-code")))
            .await;
        assert_eq!(shown.as_str(), Some(code.as_str()), "prize {prize}");
        for hook in [".copy-button", "svg.qr-code[role=img][aria-label]"] {
            let present = browser.js(&format!("return !!{};", inside(hook))).await;
            assert_eq!(present, Value::Bool(true), "{hook}");
        }
    } else {
        assert!(!text.is_empty(), "prize {prize} shown: {text}");
    }
    let announced = browser
        .js("return [...document.querySelector('encore-widget').shadowRoot.querySelectorAll('[aria-live]')]\
             .some(r => r.textContent.trim().length > 0);")
        .await;
    assert_eq!(
        announced,
        Value::Bool(true),
        "the prize ({prize}) is announced"
    );
    let focused = browser.focused().await;
    assert_ne!(
        focused["tag"], "body",
        "focus moved to the prize: {focused}"
    );

    // The same browser again: already opened, the same prize, nothing redeemed twice.
    browser.client.refresh().await.expect("reload");
    browser
        .wait_until(
            "the prize again after a reload",
            &format!("{} === 'prize' && {}", status(), inside(".prize-note")),
        )
        .await;
    if let Some(code) = &prize_code {
        assert!(widget_text(browser).await.contains(code.as_str()));
    }
    assert_eq!(redemptions(&shop.server.db).await.len(), 1);

    // Another browser (a fresh profile): already redeemed, and the prize is not given away.
    let other = Browser::start(&shop.env).await;
    other
        .open(&format!("{}{}", shop.server.url, landing_path(&first.url)))
        .await;
    other
        .wait_until(
            "already redeemed in another browser",
            &format!("{} === 'already_redeemed'", status()),
        )
        .await;
    if let Some(code) = &prize_code {
        let text = widget_text(&other).await;
        assert!(
            !text.contains(code.as_str()),
            "the prize stays with its winner: {text}"
        );
    }
    other.close().await;
    assert_eq!(redemptions(&shop.server.db).await.len(), 1);
    shop.browser.close().await;
}

#[tokio::test]
async fn a_forged_code_is_invalid_and_redeems_nothing() {
    let shop = DemoShop::open(&[]).await;
    let codes = shop.mint_codes(1);
    // Another last symbol that keeps the code's padding bits zero: only the tag is wrong.
    let real = &codes[0].code;
    let last = if real.ends_with('0') { '8' } else { '0' };
    let forged = format!("{}{last}", &real[..real.len() - 1]);
    shop.visit(&format!("/www/scan.html?c={forged}")).await;
    shop.browser
        .wait_until(
            "the invalid-code answer",
            &format!("{} === 'invalid'", status()),
        )
        .await;
    assert!(redemptions(&shop.server.db).await.is_empty());
    // The shopper can type another code; the host page is unaffected.
    let input = shop
        .browser
        .js(&format!("return !!{};", inside("input.code-input")))
        .await;
    assert_eq!(input, Value::Bool(true), "manual entry is offered");
    let title = shop.browser.js("return document.title;").await;
    assert!(
        title.as_str().unwrap_or_default().contains("Lumen"),
        "{title}"
    );
    shop.browser.close().await;
}

#[tokio::test]
async fn the_demo_order_page_leads_to_a_fresh_code_and_a_printable_sheet() {
    let shop = DemoShop::open(&[]).await;
    shop.visit("/www/thank-you.html").await;
    let browser = &shop.browser;
    browser
        .wait_until(
            "the demo surprise button",
            "document.querySelector('[data-demo-surprise] button')",
        )
        .await;
    let sheet = browser
        .js("return document.querySelector('[data-demo-surprise] a').getAttribute('href');")
        .await;
    let sheet = sheet.as_str().unwrap_or_default().to_owned();
    let svg = browser
        .js_async(&format!(
            "const r = await fetch({sheet:?}); return [r.status, await r.text()];"
        ))
        .await;
    assert_eq!(svg[0], 200, "the printable sheet");
    assert_eq!(
        svg[1]
            .as_str()
            .unwrap_or_default()
            .matches("<path ")
            .count(),
        12
    );
    browser
        .js("document.querySelector('[data-demo-surprise] button').click();")
        .await;
    browser
        .wait_until(
            "the QR landing with a fresh code",
            &format!("location.pathname === '/www/scan.html' && /[?]c=/.test(location.search) && {} === 'reveal'", status()),
        )
        .await;
    shop.browser.close().await;
}
