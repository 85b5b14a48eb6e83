//! End-to-end: reviews, from the review-request link to the product page, in headless Chromium
//! against the real `encore-server` with the demo store's configuration and a SQLite file.

use encore_e2e::shop::{DemoShop, WIDGET_TEXT, inside};
use encore_e2e::{Browser, Server, demo_store_config, eventually, free_port, stored_results};
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const RIGHT: &str = "\u{E014}";

/// The review steps of the demo store.
trait ReviewSteps {
    fn order_token(&self) -> String;
    fn moderate(&self, args: &[&str]) -> String;
}

impl ReviewSteps for DemoShop {
    /// A demo order token for #1001 signed with the demo store's key by the server's CLI.
    fn order_token(&self) -> String {
        self.cli_with_config(&[
            "token",
            "order",
            "--store",
            "demo",
            "--order",
            "1001",
            "--item",
            "jasmine-silver-needle=Jasmine Silver Needle",
            "--item",
            "celadon-gaiwan=Celadon Gaiwan",
        ])
        .trim()
        .to_owned()
    }

    fn moderate(&self, args: &[&str]) -> String {
        let mut all = vec!["reviews"];
        all.extend_from_slice(args);
        self.cli_with_db(&all)
    }
}

async fn reviews(db: &Path) -> Vec<(String, String, i64, String)> {
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    let pool = SqlitePool::connect_with(options).await.expect("open db");
    let rows = sqlx::query("SELECT id, status, verified, title FROM reviews ORDER BY created_at")
        .fetch_all(&pool)
        .await
        .expect("query reviews");
    pool.close().await;
    rows.iter()
        .map(|r| {
            (
                r.get("id"),
                r.get("status"),
                r.get("verified"),
                r.get("title"),
            )
        })
        .collect()
}

/// Presses Tab until the focused element (inside the shadow root) matches `want`, at most 40 times.
async fn tab_to(browser: &Browser, what: &str, want: impl Fn(&Value) -> bool) {
    for _ in 0..40 {
        if want(&browser.focused().await) {
            return;
        }
        browser.keys(TAB).await;
    }
    panic!(
        "Tab never reached {what}; focus is on {}",
        browser.focused().await
    );
}

/// Fills the visible review form by keyboard only: Tab to each control, arrow keys for the
/// stars, typing for the text fields, Enter on the submit button.
async fn fill_form_by_keyboard(browser: &Browser, title: &str, body: &str, name: &str) {
    tab_to(browser, "a star", |f| f["type"] == "radio").await;
    // The first radio is focused without being checked; four arrows from one star make five.
    browser.keys(" ").await;
    for _ in 0..4 {
        browser.keys(RIGHT).await;
    }
    let rating = browser.focused().await;
    assert_eq!(
        rating["checked"], true,
        "arrow keys check the radio: {rating}"
    );
    tab_to(browser, "the title", |f| {
        f["tag"] == "input" && f["type"] == "text"
    })
    .await;
    browser.keys(title).await;
    tab_to(browser, "the body", |f| f["tag"] == "textarea").await;
    browser.keys(body).await;
    tab_to(browser, "the name", |f| {
        f["tag"] == "input" && f["type"] == "text" && f["value"] == ""
    })
    .await;
    browser.keys(name).await;
    // The fill-time rule refuses forms sent within 3 s of opening.
    tokio::time::sleep(Duration::from_millis(3200)).await;
    tab_to(browser, "the submit button", |f| {
        f["tag"] == "button" && f["type"] == "submit"
    })
    .await;
    browser.keys(ENTER).await;
}

#[tokio::test]
async fn a_keyboard_review_from_the_request_link_appears_on_the_product_page_after_approval() {
    // Photo reviews wait for a person, so this review needs approval.
    let shop = DemoShop::open(&[("hold_with_photos = false", "hold_with_photos = true")]).await;
    let browser = &shop.browser;
    let token = shop.order_token();
    shop.widget(&format!(
        "{{mode: 'review', order: '1001', 'order-token': {token:?}, product: null}}"
    ))
    .await;
    browser
        .wait_until("the first item's form", &inside("textarea"))
        .await;
    let text = browser.js(&format!("return {WIDGET_TEXT};")).await;
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("Jasmine Silver Needle") && text.contains("Celadon Gaiwan"),
        "the order's products are listed: {text}"
    );

    // A photo, attached the way a file picker would (WebDriver cannot reach a file input
    // inside a shadow root).
    browser
        .js_async(&format!(
            "const c = document.createElement('canvas'); c.width = 2400; c.height = 1800;\
             const g = c.getContext('2d'); g.fillStyle = '#7a9a5b'; g.fillRect(0, 0, 2400, 1800);\
             g.fillStyle = '#f4e9c8'; g.beginPath(); g.arc(1200, 900, 600, 0, 7); g.fill();\
             const blob = await new Promise(ok => c.toBlob(ok, 'image/png'));\
             const dt = new DataTransfer(); dt.items.add(new File([blob], 'cup.png', {{type: 'image/png'}}));\
             const input = {};\
             input.files = dt.files; input.dispatchEvent(new Event('change', {{bubbles: true}}));",
            inside("input[type=file]")
        ))
        .await;
    browser
        .wait_until(
            "the photo to be prepared",
            &format!("{}?.complete", inside("img[src^='blob:']")),
        )
        .await;

    fill_form_by_keyboard(
        browser,
        "Spring in a cup",
        "Sweet jasmine over silvery buds; it stays floral for three infusions.",
        "Mei",
    )
    .await;

    browser
        .wait_until(
            "the reward code after acceptance",
            &format!("{WIDGET_TEXT}.includes('THANKYOU-PHOTO-10')"),
        )
        .await;
    let stored = eventually("the review in the database", WAIT, || async {
        let rows = reviews(&shop.server.db).await;
        (!rows.is_empty()).then_some(rows)
    })
    .await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    let (id, status, verified, title) = &stored[0];
    assert_eq!(
        (status.as_str(), *verified, title.as_str()),
        ("held", 1, "Spring in a cup")
    );
    let results = stored_results(&shop.server.db, "demo").await;
    let submitted: Vec<&Value> = results
        .iter()
        .filter(|(_, t, _)| t == "review.submitted")
        .map(|(_, _, body)| body)
        .collect();
    assert_eq!(submitted.len(), 1);
    assert_eq!(submitted[0]["data"]["rating"], 5);
    assert_eq!(
        submitted[0]["data"]["photos"].as_array().map(Vec::len),
        Some(1)
    );

    // Held: not on the product page yet.
    shop.widget("{mode: 'product', product: 'jasmine-silver-needle'}")
        .await;
    browser
        .wait_until("the reviews to load", &inside(".empty, article.review"))
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = browser.js(&format!("return {WIDGET_TEXT};")).await;
    assert!(
        !before
            .as_str()
            .unwrap_or_default()
            .contains("Spring in a cup")
    );

    let listed = shop.moderate(&["list", "--status", "held"]);
    assert!(listed.contains(id.as_str()), "held review listed: {listed}");
    shop.moderate(&["approve", id]);
    shop.moderate(&["reply", id, "--text", "Thank you, Mei!"]);

    browser.client.refresh().await.expect("reload");
    browser
        .js("window.w = addWidget({mode: 'product', product: 'jasmine-silver-needle'}); w.scrollIntoView();")
        .await;
    browser
        .wait_until(
            "the approved review",
            &format!("{WIDGET_TEXT}.includes('Spring in a cup')"),
        )
        .await;
    let page = browser.js(&format!("return {WIDGET_TEXT};")).await;
    let page = page.as_str().unwrap_or_default();
    assert!(
        page.contains("Thank you, Mei!"),
        "the store's reply shows: {page}"
    );
    assert!(page.contains("Verified"), "verified badge: {page}");
    browser
        .wait_until(
            "the review's photo thumbnail to load",
            &format!("{}?.naturalWidth > 0", inside("img[src*='/v1/photos/']")),
        )
        .await;

    // One JSON-LD block in the host page's head, valid JSON, from the numbers shown.
    browser
        .wait_until(
            "the JSON-LD",
            "document.head.querySelector('script[type=\"application/ld+json\"]')",
        )
        .await;
    let blocks = browser
        .js("return [...document.querySelectorAll('script[type=\"application/ld+json\"]')].map(s => s.textContent);")
        .await;
    let blocks = blocks.as_array().cloned().unwrap_or_default();
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    let ld: Value =
        serde_json::from_str(blocks[0].as_str().unwrap_or_default()).expect("valid JSON-LD");
    assert_eq!(ld["@type"], "Product");
    assert_eq!(ld["aggregateRating"]["reviewCount"], 1);
    assert_eq!(ld["aggregateRating"]["ratingValue"], "5.0");
    assert_eq!(ld["review"][0]["name"], "Spring in a cup");
    shop.browser.close().await;
}

/// One `review.submitted` result for the page to post, published at once by the test's rules.
fn review_event(i: usize, title: &str, body: &str, name: &str) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{i:012}"),
        "store": "demo",
        "occurred_at": 1_795_000_000_000u64 + i as u64,
        "type": "review.submitted",
        "data": {
            "product": "jasmine-silver-needle", "rating": 1 + (i % 5), "title": title,
            "body": body, "name": name, "locale": "en", "fill_ms": 20_000
        }
    })
}

#[tokio::test]
async fn an_xss_corpus_in_titles_bodies_and_names_never_executes() {
    let corpus: Vec<&str> = include_str!("../../data/xss-corpus.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .collect();
    assert!(corpus.len() >= 50, "at least 50 payloads");
    let shop = DemoShop::open(&[
        ("# unverified_min_rating = 1", "unverified_min_rating = 1"),
        (
            "reviews_per_ip_per_hour = 10",
            "reviews_per_ip_per_hour = 1000",
        ),
    ])
    .await;
    let browser = &shop.browser;
    shop.visit("/tests/pages/playground.html?count=0").await;
    // Each payload is in a body, and in a title and a name wherever it fits their limits.
    let fits = |s: &str, max: usize| s.chars().count() <= max && !s.chars().any(char::is_control);
    let events: Vec<Value> = corpus
        .iter()
        .enumerate()
        .map(|(i, payload)| {
            let title = corpus[(i + 1) % corpus.len()];
            let name = corpus[(i + 2) % corpus.len()];
            review_event(
                i,
                if fits(title, 120) { title } else { "payload" },
                &format!("{payload} (a fine tea, brewed twice)"),
                if fits(name, 60) { name } else { "Tester" },
            )
        })
        .collect();
    for chunk in events.chunks(20) {
        let batch = json!({"events": chunk}).to_string();
        let answer = browser
            .js_async(&format!(
                "const r = await fetch('/v1/events', {{method: 'POST', headers: {{'Content-Type': 'application/json'}}, body: {batch:?}}});\
                 return await r.json();"
            ))
            .await;
        let statuses: Vec<&str> = answer["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["status"].as_str())
            .collect();
        assert!(
            statuses.len() == chunk.len() && statuses.iter().all(|s| *s == "accepted"),
            "every hostile review is accepted as text: {answer}"
        );
    }

    browser
        .js(
            "window.alerts = 0; window.alert = window.confirm = window.prompt = () => { window.alerts++; };\
             window.w = addWidget({mode: 'product', product: 'jasmine-silver-needle'}); w.scrollIntoView();",
        )
        .await;
    browser
        .wait_until("the first page", &inside("article"))
        .await;
    // Show every review: "show more" until it is gone, waiting for each page to arrive (a
    // loaded machine can take well over a second, and the button is away while it loads).
    for _ in 0..20 {
        let before = browser
            .js(&format!(
                "return {}?.querySelectorAll('article').length;",
                "document.querySelector('encore-widget:not([mode=referral-welcome])')?.shadowRoot"
            ))
            .await;
        let more = browser
            .js(&format!(
                "const b = [...({}?.querySelectorAll('button') || [])].find(b => /more/i.test(b.textContent));\
                 if (b) {{ b.click(); return true; }} return false;",
                "document.querySelector('encore-widget:not([mode=referral-welcome])')?.shadowRoot"
            ))
            .await;
        if more != Value::Bool(true) {
            break;
        }
        browser
            .wait_until(
                "the next page of reviews",
                &format!(
                    "({}?.querySelectorAll('article').length || 0) > {}",
                    "document.querySelector('encore-widget:not([mode=referral-welcome])')?.shadowRoot",
                    before.as_u64().unwrap_or(0)
                ),
            )
            .await;
    }
    let shown = browser
        .js(&format!(
            "return {}?.querySelectorAll('article').length;",
            "document.querySelector('encore-widget:not([mode=referral-welcome])')?.shadowRoot"
        ))
        .await;
    assert_eq!(
        shown.as_u64(),
        Some(corpus.len() as u64),
        "every review is listed"
    );
    // Give any injected handler (onerror, onload, autofocus) time to fire.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        browser.js("return window.alerts;").await,
        0,
        "no payload ran"
    );
    let injected = browser
        .js(
            "const root = document.querySelector('encore-widget:not([mode=referral-welcome])').shadowRoot;\
             return [...root.querySelectorAll('article *')].filter(e =>\
               ['SCRIPT','IFRAME','OBJECT','EMBED','SVG','MATH','STYLE','LINK','META','VIDEO','AUDIO','INPUT',\
                'SELECT','TEXTAREA','FORM','DETAILS','MARQUEE','BODY','TABLE','FRAMESET','BGSOUND','A','NOSCRIPT']\
               .includes(e.tagName.toUpperCase()) && !e.closest('[data-encore-ui]')).map(e => e.tagName);",
        )
        .await;
    assert_eq!(injected, json!([]), "no element was made from review text");
    let texts = browser.js(&format!("return {WIDGET_TEXT};")).await;
    let texts = texts.as_str().unwrap_or_default();
    for payload in corpus.iter().take(10) {
        assert!(texts.contains(payload), "shown as text: {payload}");
    }
    // The JSON-LD carries the hostile text as data, with no `<` to close its script element.
    let ld = browser
        .js("return document.head.querySelector('script[type=\"application/ld+json\"]')?.textContent;")
        .await;
    let ld = ld.as_str().expect("JSON-LD written");
    assert!(!ld.contains('<'));
    let ld: Value = serde_json::from_str(ld).expect("valid JSON");
    assert_eq!(ld["aggregateRating"]["reviewCount"], corpus.len());
    shop.browser.close().await;
}

#[tokio::test]
async fn a_review_written_offline_is_delivered_when_the_endpoint_returns() {
    let shop = DemoShop::open(&[]).await;
    let browser = &shop.browser;
    let token = shop.order_token();
    // The widget's endpoint is a second server, which goes down before the review is sent.
    let config = demo_store_config(std::slice::from_ref(&shop.server.url), &[]);
    let mut endpoint = Server::start(
        &shop.env,
        shop.dir.path(),
        free_port(),
        &config,
        &shop.dir.path().join("endpoint.db"),
        None,
    );
    shop.widget(&format!(
        "{{mode: 'review', endpoint: {:?}, order: '1001', 'order-token': {token:?}, product: null}}",
        endpoint.url
    ))
    .await;
    browser.wait_until("the form", &inside("textarea")).await;
    endpoint.kill();

    fill_form_by_keyboard(
        browser,
        "Made on a train",
        "Written with no signal: the gaiwan pours cleanly and keeps its heat.",
        "Lin",
    )
    .await;
    browser
        .wait_until(
            "the saved-offline message",
            &format!("/saved/i.test({WIDGET_TEXT})"),
        )
        .await;
    assert!(reviews(&endpoint.db).await.is_empty());

    endpoint.restart();
    let stored = eventually(
        "the review after the endpoint returns",
        Duration::from_secs(90),
        || async {
            let rows = reviews(&endpoint.db).await;
            (!rows.is_empty()).then_some(rows)
        },
    )
    .await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].3, "Made on a train");
    assert_eq!(stored[0].1, "published", "verified reviews publish at once");
    shop.browser.close().await;
}
