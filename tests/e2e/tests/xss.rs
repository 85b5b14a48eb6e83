//! End-to-end: hostile text in every review field the product surface renders. A corpus of
//! classic payloads (script tags, event handlers, `javascript:` URLs, attribute and `</style>`
//! / `</script>` breakouts, unicode tricks, template syntax) is stored as published reviews,
//! titles, reviewer names, answers, store replies and a referral advocate's name (shown in a
//! friend's welcome) in the real server's database, bypassing
//! the submission checks (the worst a compromised store could hold), and a hostile `product`
//! attribute is put on a second widget. In Chromium: no payload runs (each would set
//! `window.__xss` or open a dialog), every field shows its payload literally as text, no
//! element or attribute of a payload exists in the shadow DOM or the page, and the JSON-LD the
//! widget writes into the page (and the server's `/jsonld` for server-side rendering) cannot
//! close its `<script>`. Hostile product names in a signed order token go through the review
//! form the same way.

use encore_e2e::shop::DemoShop;
use encore_e2e::{eventually, strings};
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const PRODUCT: &str = "jasmine-silver-needle";

/// Payloads, each of which would set `window.__xss` (or open a dialog) if it ran anywhere.
const CORPUS: [&str; 10] = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=\"window.__xss=2\">",
    "<svg onload=\"window.__xss=3\"><animate onbegin=\"window.__xss=3\"/></svg>",
    "javascript:window.__xss=4;alert(4)//<a href=\"javascript:window.__xss=4\">x</a>",
    "\"><img src=x onerror=window.__xss=5> ' onmouseover='window.__xss=5",
    "</style><style>*{}</style><script>window.__xss=6</script>",
    "</script><script>window.__xss=7</script><!--",
    "\u{FF1C}script\u{FF1E}window.__xss=8\u{202E}\u{2028}\u{2029}<iframe srcdoc=\"<script>parent.__xss=8</script>\"></iframe>",
    "{{constructor.constructor('window.__xss=9')()}} ${window.__xss=9} #{9} <%= 9 %>",
    "<details open ontoggle=window.__xss=10><math><mtext><table><mglyph><style><img src=x onerror=window.__xss=10>",
];

/// Stores one published review per payload, every text field of it hostile, with a reply.
async fn store_hostile_reviews(db: &std::path::Path) {
    let options = SqliteConnectOptions::new().filename(db);
    let pool = SqlitePool::connect_with(options)
        .await
        .expect("open the server's database");
    for (i, payload) in CORPUS.iter().enumerate() {
        let answers = json!([{ "question": "strength", "value": payload }]).to_string();
        let index = i64::try_from(i).expect("a small index");
        sqlx::query(
            "INSERT INTO reviews (id, store, product, order_id, rating, title, body, name, \
             answers, locale, verified, incentivized, status, helpful, reply, reply_at, \
             created_at) VALUES (?, 'demo', ?, ?, 4, ?, ?, ?, ?, 'en', 1, 0, 'published', 0, ?, ?, ?)",
        )
        .bind(format!("xss-{i}"))
        .bind(PRODUCT)
        .bind(format!("XSS-{i}"))
        .bind(format!("T{i} {payload}"))
        .bind(format!("B{i} {payload} and enough words to be a review body"))
        .bind(format!("N{i} {payload}"))
        .bind(answers)
        .bind(format!("R{i} {payload}"))
        .bind(1_700_000_000_000 + index)
        .bind(1_700_000_000_000 + index)
        .execute(&pool)
        .await
        .expect("insert a hostile review");
    }
    // An advocate whose name a referred friend's welcome banner shows.
    sqlx::query(
        "INSERT INTO referral_advocates (store, advocate, code, email_fp, name, created_at) \
         VALUES ('demo', 'member:xss', ?, NULL, ?, 1700000000000)",
    )
    .bind(REFERRAL_CODE)
    .bind(ADVOCATE)
    .execute(&pool)
    .await
    .expect("insert a hostile advocate");
    pool.close().await;
}

/// The hostile advocate's referral code, and the name the welcome shows.
const REFERRAL_CODE: &str = "XSS-CODE";
const ADVOCATE: &str = "<img src=x onerror=window.__xss=12>\"'><svg/onload=window.__xss=12>";

/// Every element and attribute in the page and in every open shadow root, as
/// `[tag, [[name, value]...]]`, and the texts of the review fields.
const SCAN: &str = "const all = []; const walk = (root) => root.querySelectorAll('*').forEach((e) => {\
      all.push([e.tagName.toLowerCase(), [...e.attributes].map((a) => [a.name, a.value])]);\
      if (e.shadowRoot) walk(e.shadowRoot);\
    });\
    walk(document);\
    const root = document.getElementById('w').shadowRoot;\
    const texts = (sel) => [...root.querySelectorAll(sel)].map((e) => e.textContent);\
    return { all, xss: window.__xss === undefined ? null : window.__xss,\
      title: texts('.review-title'), body: texts('.review-body'), name: texts('.review-name'),\
      reply: texts('.reply-body'), text: root.textContent,\
      welcome: document.getElementById('r').shadowRoot.textContent,\
      jsonld: [...document.querySelectorAll('script[type=\"application/ld+json\"]')].map((s) => s.textContent) };";

#[tokio::test]
async fn hostile_review_text_is_shown_as_text_and_never_runs() {
    let shop = DemoShop::open(&[]).await;
    store_hostile_reviews(&shop.server.db).await;
    // A friend's landing through the hostile advocate's link, remembered by the loader.
    shop.visit(&format!("/tests/pages/xss.html?ref={REFERRAL_CODE}"))
        .await;
    let browser = &shop.browser;
    browser
        .wait_until("the loader", "customElements.get('encore-widget')")
        .await;
    browser
        .js("document.getElementById('w').scrollIntoView();")
        .await;
    browser
        .wait_until(
            "the hostile reviews",
            &format!(
                "document.getElementById('w').shadowRoot.querySelectorAll('.review-title').length === {}",
                CORPUS.len()
            ),
        )
        .await;
    browser
        .wait_until(
            "the hostile product widget to settle",
            "['ready', 'failed'].includes(document.getElementById('p').dataset.encore)",
        )
        .await;
    browser
        .wait_until(
            "the friend's welcome",
            "document.getElementById('r').shadowRoot.textContent.includes('__xss=12')",
        )
        .await;
    let page = eventually("the JSON-LD block", WAIT, || async {
        let page = browser.js(SCAN).await;
        (page["jsonld"].as_array().is_some_and(|a| !a.is_empty())).then_some(page)
    })
    .await;

    assert_eq!(page["xss"], Value::Null, "no payload ran");
    assert!(
        browser.client.get_alert_text().await.is_err(),
        "no dialog open"
    );

    // Each field shows its payload, literally.
    for (field, letter) in [("title", "T"), ("name", "N"), ("reply", "R")] {
        let mut shown: Vec<String> = strings(&page[field]);
        shown.sort();
        let mut expected: Vec<String> = CORPUS
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{letter}{i} {p}"))
            .collect();
        expected.sort();
        assert_eq!(shown, expected, "the {field}s, as text");
    }
    let bodies = strings(&page["body"]);
    for (i, payload) in CORPUS.iter().enumerate() {
        let body = format!("B{i} {payload}");
        assert!(
            bodies.iter().any(|b| b.contains(&body)),
            "body {i} as text: {bodies:?}"
        );
    }

    let welcome = page["welcome"].as_str().unwrap_or_default();
    assert!(
        welcome.contains(ADVOCATE),
        "the advocate's name, as text: {welcome}"
    );

    // No element or attribute of a payload anywhere: no handler attribute, no javascript:
    // URL, no element only a payload would bring, no script beyond the page's own.
    let offending = payload_markup(&page["all"]);
    let scripts: Vec<&Value> = page["all"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e[0] == "script")
        .collect();
    assert_eq!(
        scripts.len(),
        2,
        "the loader and one JSON-LD block: {scripts:?}"
    );
    assert!(
        offending.is_empty(),
        "payload markup in the DOM: {offending:?}"
    );

    // The JSON-LD in the page: one block, no `<` at all (so no `</script>`), and the payloads
    // come back intact when parsed.
    let jsonld = strings(&page["jsonld"]);
    assert_eq!(jsonld.len(), 1, "{jsonld:?}");
    assert!(!jsonld[0].contains('<'), "{}", jsonld[0]);
    let parsed: Value = serde_json::from_str(&jsonld[0]).expect("the JSON-LD parses");
    let text = parsed.to_string();
    for payload in CORPUS {
        let encoded = serde_json::to_string(payload).expect("a JSON string");
        assert!(
            text.contains(encoded.trim_matches('"')),
            "payload {payload:?} round-trips through the JSON-LD"
        );
    }

    // The server's JSON-LD for pages rendered on the server: the same guarantee.
    let server = browser
        .js_async(&format!(
            "const r = await fetch('/v1/products/{PRODUCT}/jsonld?store=demo'); return [r.status, await r.text()];"
        ))
        .await;
    assert_eq!(server[0], 200, "{server}");
    let body = server[1].as_str().unwrap_or_default();
    assert!(body.contains("__xss"), "the reviews are in it: {body}");
    assert!(!body.contains('<'), "{body}");
    assert_eq!(
        browser.js("return window.__xss === undefined").await,
        true,
        "still nothing ran"
    );
    shop.browser.close().await;
}

/// Elements in `all` (from the page scan: `[tag, [[name, value]...]]`) that only a payload
/// would bring: a handler attribute, a `javascript:` URL, an element the widget never renders.
fn payload_markup(all: &Value) -> Vec<String> {
    let mut offending = Vec::new();
    for element in all.as_array().into_iter().flatten() {
        let tag = element[0].as_str().unwrap_or_default();
        // Elements the widget never renders (its own <svg> icons and <a> links are judged
        // by their attributes below).
        if matches!(
            tag,
            "img" | "iframe" | "animate" | "details" | "math" | "mglyph" | "table" | "mtext"
        ) && !is_review_photo(element)
        {
            offending.push(element.to_string());
        }
        // The hostile product id is the test's own input, on its element.
        let attributes = if tag == "encore-widget" {
            None
        } else {
            element[1].as_array()
        };
        for attribute in attributes.into_iter().flatten() {
            let name = attribute[0].as_str().unwrap_or_default();
            let value = attribute[1].as_str().unwrap_or_default().to_lowercase();
            if name.starts_with("on") || value.contains("javascript:") || value.contains("__xss") {
                offending.push(element.to_string());
            }
        }
    }
    offending
}

/// A review photo thumbnail (served by the endpoint), the only `<img>` the widget renders.
fn is_review_photo(element: &Value) -> bool {
    element[0] == "img"
        && element[1]
            .as_array()
            .into_iter()
            .flatten()
            .any(|a| a[0] == "src" && a[1].as_str().is_some_and(|s| s.contains("/v1/photos/")))
}

/// Every element and attribute of the page and its shadow roots, and the first widget's text.
const SCAN_PLAYGROUND: &str = "const all = []; const walk = (root) => root.querySelectorAll('*').forEach((e) => {\
      all.push([e.tagName.toLowerCase(), [...e.attributes].map((a) => [a.name, a.value])]);\
      if (e.shadowRoot) walk(e.shadowRoot);\
    });\
    walk(document);\
    return { all, xss: window.__xss === undefined ? null : window.__xss,\
      text: document.querySelector('encore-widget').shadowRoot.textContent };";

#[tokio::test]
async fn hostile_product_names_in_an_order_token_are_shown_as_text_in_the_review_form() {
    let shop = DemoShop::open(&[]).await;
    let names = &CORPUS[..4];
    let mut args = vec![
        "token".to_owned(),
        "order".into(),
        "--store".into(),
        "demo".into(),
        "--order".into(),
        "XSS-1".into(),
    ];
    for (i, name) in names.iter().enumerate() {
        args.push("--item".into());
        args.push(format!("xss-item-{i}={name}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let token = shop.cli_with_config(&args).trim().to_owned();
    shop.widget(&format!(
        "{{mode: 'review', order: 'XSS-1', 'order-token': {token:?}}}"
    ))
    .await;
    let browser = &shop.browser;
    browser
        .wait_until(
            "the review form with the hostile item names",
            "document.querySelector('encore-widget')?.shadowRoot?.textContent.includes('__xss=1')",
        )
        .await;
    let page = browser.js(SCAN_PLAYGROUND).await;
    assert_eq!(page["xss"], Value::Null, "no payload ran");
    assert!(
        browser.client.get_alert_text().await.is_err(),
        "no dialog open"
    );
    let text = page["text"].as_str().unwrap_or_default();
    for name in names {
        assert!(text.contains(name), "{name:?} as text in: {text}");
    }
    let offending = payload_markup(&page["all"]);
    assert!(
        offending.is_empty(),
        "payload markup in the DOM: {offending:?}"
    );
    shop.browser.close().await;
}
