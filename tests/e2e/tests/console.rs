//! End-to-end: the store console against the real server: sign in, moderate (approve, reject
//! with its photo gone, reply, bulk), what each role sees and may do, CSRF, an expired session
//! that keeps its filter, keyboard-only moderation, and axe-core on every page in light and
//! dark, English and Simplified Chinese.

use encore_e2e::axe::{self, Violation};
use encore_e2e::console::{
    self, admin_get, admin_send, product_page_text, queue_ids, review_event, sign_in_here,
    sign_out, submit, type_into, upload_photo,
};
use encore_e2e::shop::DemoShop;
use serde_json::{Value, json};

/// A JS expression for the queue's article titled `title`.
fn article(title: &str) -> String {
    format!(
        "[...document.querySelectorAll('article.review')].find(a => a.querySelector('h3')?.textContent === {title:?})"
    )
}

/// The live region's words.
const SAID: &str = "document.querySelector('.reviews [role=status][aria-live]')?.textContent";

async fn open_queue(shop: &DemoShop, hash: &str, count: usize) {
    shop.visit(&format!("/console/{hash}")).await;
    // A visit that only changes the hash keeps the page; load it afresh.
    shop.browser.client.refresh().await.expect("reload");
    shop.browser
        .wait_until(
            &format!("{count} reviews in the queue"),
            &format!("document.querySelectorAll('article.review').length === {count}"),
        )
        .await;
}

#[tokio::test]
async fn an_owner_approves_rejects_and_replies_and_the_storefront_follows() {
    let shop = console::open(&[]).await;
    console::user(&shop, "owner@example.com", "owner").await;
    let photo = upload_photo(&shop, "00000000-0000-4000-a000-000000000001").await;
    submit(
        &shop,
        &[
            review_event(1, "Approve me", &[]),
            review_event(2, "Reject me", &[photo]),
            review_event(3, "Reply to me", &[]),
        ],
    )
    .await;
    open_queue(&shop, "#/reviews", 3).await;
    let browser = &shop.browser;
    browser
        .wait_until(
            "the photo thumbnail through the admin API",
            "document.querySelector('article.review img[src^=\"/v1/admin/photos/\"]')?.naturalWidth > 0",
        )
        .await;

    browser
        .js(&format!(
            "{}.querySelector('button.approve').click();",
            article("Approve me")
        ))
        .await;
    browser
        .wait_until(
            "the approval said",
            &format!("{SAID} === 'Review approved'"),
        )
        .await;

    // Reject with a reason, in the dialog.
    browser
        .js(&format!(
            "{}.querySelector('button.reject').click();",
            article("Reject me")
        ))
        .await;
    browser
        .wait_until(
            "the reject dialog",
            "document.querySelector('dialog[open] textarea')",
        )
        .await;
    type_into(&shop, "dialog textarea", "Not about the tea").await;
    browser
        .js("document.querySelector('dialog button[type=submit]').click();")
        .await;
    browser
        .wait_until(
            "the rejection said",
            &format!("{SAID} === 'Review rejected'"),
        )
        .await;
    let rejected = admin_get(&shop, "/reviews?status=rejected").await;
    let item = &rejected["body"]["reviews"][0];
    assert_eq!(item["title"], "Reject me", "{rejected}");
    assert_eq!(item["reject_reason"], "Not about the tea");
    let name = item["photos"][0]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!name.is_empty(), "{item}");
    let public_photo = format!("/v1/photos/{name}");

    // Approve, then reply from the published tab.
    browser
        .js(&format!(
            "{}.querySelector('button.approve').click();",
            article("Reply to me")
        ))
        .await;
    browser
        .wait_until(
            "the second approval",
            "document.querySelectorAll('article.review').length === 0",
        )
        .await;
    open_queue(&shop, "#/reviews?status=published", 2).await;
    browser
        .js(&format!(
            "{}.querySelector('.reply button').click();",
            article("Reply to me")
        ))
        .await;
    browser
        .wait_until(
            "the reply editor",
            "document.querySelector('.reply textarea')",
        )
        .await;
    type_into(
        &shop,
        ".reply textarea",
        "Thank you for brewing it three times!",
    )
    .await;
    browser
        .js("document.querySelector('.reply button[type=submit]').click();")
        .await;
    browser
        .wait_until("the reply said", &format!("{SAID} === 'Reply saved'"))
        .await;

    let status = browser
        .js_async(&format!("return (await fetch({public_photo:?})).status;"))
        .await;
    assert_eq!(
        status, 404,
        "the rejected review's photo is gone: {public_photo}"
    );
    let page = product_page_text(&shop).await;
    assert!(page.contains("Approve me"), "{page}");
    assert!(
        page.contains("Reply to me") && page.contains("Thank you for brewing it three times!"),
        "{page}"
    );
    assert!(!page.contains("Reject me"), "{page}");
}

#[tokio::test]
async fn twenty_reviews_are_approved_in_bulk_after_a_confirmation_that_counts_them() {
    let shop = console::open(&[]).await;
    console::user(&shop, "owner@example.com", "owner").await;
    let events: Vec<Value> = (0..20)
        .map(|n| review_event(100 + n, &format!("Bulk {n}"), &[]))
        .collect();
    submit(&shop, &events).await;
    open_queue(&shop, "#/reviews", 20).await;
    let browser = &shop.browser;
    browser
        .js("document.querySelector('.bulk input[type=checkbox]').click();")
        .await;
    browser
        .wait_until(
            "all selected",
            "document.querySelector('.bulk .count')?.textContent === '20 selected'",
        )
        .await;
    browser
        .js("document.querySelector('.bulk button.primary').click();")
        .await;
    browser
        .wait_until(
            "the confirmation",
            "document.querySelector('dialog[open] h2')?.textContent === 'Approve 20 reviews?'",
        )
        .await;
    browser
        .js("document.querySelector('dialog button[type=submit]').click();")
        .await;
    browser
        .wait_until(
            "the bulk approval said",
            &format!("{SAID} === '20 reviews approved'"),
        )
        .await;
    browser
        .wait_until("the empty tab", "document.querySelector('.reviews .empty')")
        .await;
    assert!(queue_ids(&shop, "status=pending").await.is_empty());
    assert_eq!(queue_ids(&shop, "status=published").await.len(), 20);
}

#[tokio::test]
async fn a_moderator_cannot_reach_people_and_a_viewer_cannot_approve() {
    let shop = console::open(&[]).await;
    submit(&shop, &[review_event(200, "Held one", &[])]).await;
    console::user(&shop, "mod@example.com", "moderator").await;
    let browser = &shop.browser;
    let nav = browser
        .js("return document.querySelector('header nav').textContent;")
        .await;
    let nav = nav.as_str().unwrap_or_default().to_owned();
    assert!(
        nav.contains("Reviews") && !nav.contains("Users") && !nav.contains("API keys"),
        "{nav}"
    );
    shop.visit("/console/#/users").await;
    browser
        .wait_until(
            "the refusal",
            "document.querySelector('main .notice[role=alert]')",
        )
        .await;
    assert_eq!(admin_get(&shop, "/users").await["status"], 403);
    assert_eq!(admin_get(&shop, "/keys").await["status"], 403);
    let rules = admin_send(
        &shop,
        "PUT",
        "/rules",
        Some(&json!({
            "verified_min_rating": 1, "unverified_min_rating": 1, "hold_with_photos": false,
            "hold_links": false, "hold_fast_seconds": 0
        })),
        true,
    )
    .await;
    assert_eq!(rules["status"], 403, "{rules}");
    sign_out(&shop).await;

    let token = console::invite(&shop, "viewer@example.com", "viewer");
    console::welcome(&shop, &token).await;
    sign_in_here(&shop, "viewer@example.com").await;
    open_queue(&shop, "#/reviews", 1).await;
    let buttons = browser
        .js("return document.querySelectorAll('button.approve, button.reject, .bulk').length;")
        .await;
    assert_eq!(buttons, 0);
    let id = queue_ids(&shop, "").await.pop().expect("a pending review");
    let refused = admin_send(&shop, "POST", &format!("/reviews/{id}/approve"), None, true).await;
    assert_eq!(refused["status"], 403, "{refused}");
    assert_eq!(refused["body"]["error"], "forbidden");
}

#[tokio::test]
async fn a_change_without_the_csrf_token_is_refused() {
    let shop = console::open(&[]).await;
    submit(&shop, &[review_event(300, "Guarded", &[])]).await;
    console::user(&shop, "owner@example.com", "owner").await;
    let id = queue_ids(&shop, "").await.pop().expect("a pending review");
    let refused = admin_send(
        &shop,
        "POST",
        &format!("/reviews/{id}/approve"),
        None,
        false,
    )
    .await;
    assert_eq!(refused["status"], 403, "{refused}");
    assert_eq!(refused["body"]["error"], "csrf");
    assert_eq!(queue_ids(&shop, "status=pending").await, vec![id.clone()]);
    // A page on another site (localhost is not 127.0.0.1's site) posts to the admin API as a
    // hostile page would: no-cors, with the visitor's cookies if the browser sends them.
    let console_origin = shop.server.url.clone();
    let other_site = console_origin.replace("127.0.0.1", "localhost");
    shop.browser
        .open(&format!("{other_site}/no-such-page"))
        .await;
    shop.browser
        .js_async(&format!(
            "await fetch('{console_origin}/v1/admin/reviews/{id}/approve', {{method: 'POST', \
             mode: 'no-cors', credentials: 'include', headers: {{'Content-Type': 'text/plain'}}, \
             body: '{{}}'}}).catch(() => null); return true;"
        ))
        .await;
    shop.visit("/console/").await;
    assert_eq!(
        queue_ids(&shop, "status=pending").await,
        vec![id.clone()],
        "a cross-site POST changed nothing"
    );
    let done = admin_send(&shop, "POST", &format!("/reviews/{id}/approve"), None, true).await;
    assert_eq!(done["status"], 200, "{done}");
}

#[tokio::test]
async fn an_expired_session_signs_in_again_and_keeps_the_filter() {
    let shop = console::open(&[]).await;
    submit(&shop, &[review_event(401, "Two stars", &[])]).await;
    console::user(&shop, "owner@example.com", "owner").await;
    let browser = &shop.browser;
    shop.visit("/console/#/reviews?rating=2&q=body").await;
    browser
        .wait_until(
            "the filtered queue",
            "document.querySelectorAll('article.review').length === 1",
        )
        .await;
    browser
        .client
        .delete_all_cookies()
        .await
        .expect("delete cookies");
    browser
        .js("document.querySelector('[role=tab][id=tab-published]').click();")
        .await;
    browser
        .wait_until(
            "the move to sign-in",
            "location.hash.startsWith('#/sign-in?next=')",
        )
        .await;
    sign_in_here(&shop, "owner@example.com").await;
    browser
        .wait_until(
            "the same filter on the tab asked for",
            "location.hash === '#/reviews?status=published&rating=2&q=body'",
        )
        .await;
}

#[tokio::test]
async fn a_review_is_moderated_with_the_keyboard_alone() {
    let shop = console::open(&[]).await;
    console::user(&shop, "owner@example.com", "owner").await;
    submit(
        &shop,
        &[
            review_event(501, "Oldest", &[]),
            review_event(502, "Middle", &[]),
            review_event(503, "Newest", &[]),
        ],
    )
    .await;
    open_queue(&shop, "#/reviews", 3).await;
    let browser = &shop.browser;
    // Tab from the top of the page to the list's one tab stop.
    browser
        .js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
        .await;
    let mut reached = false;
    for _ in 0..60 {
        browser.keys("\u{E004}").await;
        if browser.focused().await["id"] == "review-0" {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the first review");
    browser.keys("j").await;
    assert_eq!(browser.focused().await["id"], "review-1");
    browser.keys("k").await;
    assert_eq!(browser.focused().await["id"], "review-0");
    browser.keys("a").await;
    browser
        .wait_until(
            "the approval said",
            &format!("{SAID} === 'Review approved'"),
        )
        .await;
    browser
        .wait_until(
            "focus on the next review",
            "document.activeElement?.id === 'review-0'",
        )
        .await;
    // r opens the dialog; Escape closes it and focus returns to the review.
    browser.keys("r").await;
    browser
        .wait_until(
            "the reject dialog",
            "document.querySelector('dialog[open]')",
        )
        .await;
    browser.keys("\u{E00C}").await;
    browser
        .wait_until("the dialog closed", "!document.querySelector('dialog')")
        .await;
    browser
        .wait_until(
            "focus back on the review",
            "document.activeElement?.id === 'review-0'",
        )
        .await;
    browser.keys("r").await;
    browser
        .wait_until(
            "the reject dialog again",
            "document.activeElement?.tagName === 'TEXTAREA'",
        )
        .await;
    browser.keys("spam").await;
    browser.keys("\u{E004}\u{E007}").await;
    browser
        .wait_until(
            "the rejection said",
            &format!("{SAID} === 'Review rejected'"),
        )
        .await;
    assert_eq!(queue_ids(&shop, "status=pending").await.len(), 1);
    assert_eq!(queue_ids(&shop, "status=rejected").await.len(), 1);
    assert_eq!(queue_ids(&shop, "status=published").await.len(), 1);
}

async fn prefer(shop: &DemoShop, theme: &str) {
    shop.browser
        .cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": theme }] }),
        )
        .await
        .expect("emulate prefers-color-scheme");
}

async fn check(shop: &DemoShop, source: &str, what: &str, blocking: &mut Vec<String>) {
    let found: Vec<Violation> = axe::check(&shop.browser, source).await;
    for v in found {
        if v.is_blocking() {
            blocking.push(format!("{what}: {v}"));
        } else {
            eprintln!("(not failing) {what}: {v}");
        }
    }
}

#[tokio::test]
async fn axe_finds_nothing_serious_on_any_console_page() {
    let shop = console::open(&[]).await;
    let photo = upload_photo(&shop, "00000000-0000-4000-a000-000000000009").await;
    submit(
        &shop,
        &[
            review_event(601, "With a photo", &[photo]),
            review_event(602, "Plain", &[]),
        ],
    )
    .await;
    let source = axe::source();
    let browser = &shop.browser;
    let mut blocking = Vec::new();
    let token = console::invite(&shop, "owner@example.com", "owner");
    let pages: [(&str, &str); 6] = [
        (
            "#/reviews",
            "document.querySelectorAll('article.review').length === 2",
        ),
        (
            "#/reviews?status=published",
            "document.querySelector('.reviews .empty')",
        ),
        ("#/rules", "document.querySelector('form select')"),
        ("#/audit", "document.querySelector('table.audit')"),
        ("#/users", "document.querySelector('main table')"),
        ("#/keys", "document.querySelector('main form fieldset')"),
    ];
    let mut signed_in = false;
    for lang in ["en", "zh-CN"] {
        for theme in ["light", "dark"] {
            prefer(&shop, theme).await;
            shop.visit("/console/").await;
            browser
                .js(&format!(
                    "localStorage.setItem('encore-console-locale', {lang:?});"
                ))
                .await;
            if !signed_in {
                shop.visit(&format!("/console/#/welcome?token={token}"))
                    .await;
                browser
                    .wait_until(
                        "the welcome page",
                        "document.querySelector('input[name=new-password]')",
                    )
                    .await;
                check(
                    &shop,
                    &source,
                    &format!("welcome {theme} {lang}"),
                    &mut blocking,
                )
                .await;
                console::welcome(&shop, &token).await;
            } else {
                sign_out(&shop).await;
            }
            shop.visit("/console/#/sign-in").await;
            browser.client.refresh().await.expect("reload");
            browser
                .wait_until(
                    "the sign-in page",
                    "document.querySelector('select[name=store]')?.value === 'demo'",
                )
                .await;
            check(
                &shop,
                &source,
                &format!("sign-in {theme} {lang}"),
                &mut blocking,
            )
            .await;
            sign_in_here(&shop, "owner@example.com").await;
            signed_in = true;
            for (hash, ready) in pages {
                shop.visit(&format!("/console/{hash}")).await;
                browser.client.refresh().await.expect("reload");
                browser.wait_until(hash, ready).await;
                check(
                    &shop,
                    &source,
                    &format!("{hash} {theme} {lang}"),
                    &mut blocking,
                )
                .await;
            }
            // The queue with its reject dialog open.
            shop.visit("/console/#/reviews").await;
            browser.client.refresh().await.expect("reload");
            browser
                .wait_until(
                    "the queue",
                    "document.querySelectorAll('article.review').length === 2",
                )
                .await;
            browser
                .js("document.querySelector('article.review button.reject').click();")
                .await;
            browser
                .wait_until("the dialog", "document.querySelector('dialog[open]')")
                .await;
            check(
                &shop,
                &source,
                &format!("reject dialog {theme} {lang}"),
                &mut blocking,
            )
            .await;
        }
    }
    assert!(
        blocking.is_empty(),
        "{} serious or critical accessibility violation(s):\n{}",
        blocking.len(),
        blocking.join("\n")
    );
}
