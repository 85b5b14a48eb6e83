//! The store console end to end: the demo store served with `--console` (the assembled site's
//! `dist/console/`), users made with `encore-server users add`, their passwords set on the
//! console's welcome page and signed in through its sign-in page, reviews submitted the way the
//! widget submits them.

use crate::shop::DemoShop;
use serde_json::{Value, json};

/// The password every test user chooses.
pub const PASSWORD: &str = "correct horse battery staple";

/// The demo store with the console at `/console/`; `edits` as for [`DemoShop::open`].
pub async fn open(edits: &[(&str, &str)]) -> DemoShop {
    let env = crate::Env::get();
    let console = env.site.join("dist/console");
    assert!(
        console.join("index.html").exists(),
        "{} has no console: `cargo xtask dist` builds it",
        console.display()
    );
    let console = console.to_string_lossy().into_owned();
    let mut edits = edits.to_vec();
    // Many reviews from one address in one test.
    edits.push((
        "reviews_per_ip_per_hour = 10",
        "reviews_per_ip_per_hour = 1000",
    ));
    let shop = DemoShop::open_with_args(&edits, &["--console", &console]).await;
    // On the server's origin, so the harness's own fetches (reviews, photos) resolve.
    shop.visit("/console/#/sign-in").await;
    shop
}

/// Waits until `expression` holds; on a timeout fails with the console's visible text, which
/// says what went wrong far better than the widgets' state.
pub async fn wait_for(shop: &DemoShop, what: &str, expression: &str) {
    let script = format!("return !!({expression});");
    for _ in 0..200 {
        if shop.browser.js(&script).await == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let text = shop
        .browser
        .js("return location.hash + ' :: ' + [...document.querySelectorAll('input')].map(i => i.name + '=' + i.value.length).join(',') + ' :: ' + document.body.innerText;")
        .await;
    panic!("timed out waiting for {what}; the console shows: {text}");
}

/// Invites `email` as `role` with the CLI and returns the one-time link's token.
pub fn invite(shop: &DemoShop, email: &str, role: &str) -> String {
    let config = shop.config.to_string_lossy().into_owned();
    let out = shop.cli_with_db(&[
        "users", "add", "--config", &config, "--store", "demo", "--email", email, "--role", role,
    ]);
    let start = out
        .find("token=")
        .unwrap_or_else(|| panic!("no token in the invitation: {out}"))
        + "token=".len();
    out[start..]
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Sets `email`'s password on the welcome page from an invitation `token`.
pub async fn welcome(shop: &DemoShop, token: &str) {
    shop.visit(&format!("/console/#/welcome?token={token}"))
        .await;
    let browser = &shop.browser;
    browser
        .wait_until(
            "the welcome form",
            "document.querySelector('input[name=new-password]')",
        )
        .await;
    type_into(shop, "input[name=new-password]", PASSWORD).await;
    browser
        .js("document.querySelector('button[type=submit]').click();")
        .await;
    wait_for(
        shop,
        "the move to sign-in",
        "location.hash.startsWith('#/sign-in')",
    )
    .await;
}

/// Types `text` into the field `selector` (focused first), as key presses.
pub async fn type_into(shop: &DemoShop, selector: &str, text: &str) {
    shop.browser
        .js(&format!(
            "const f = document.querySelector({selector:?}); f.focus(); f.select && f.select();"
        ))
        .await;
    shop.browser.keys(text).await;
}

/// Signs in as `email` on the console's sign-in page (already open or opened here) and waits
/// for the signed-in header.
pub async fn sign_in_here(shop: &DemoShop, email: &str) {
    let browser = &shop.browser;
    browser
        .wait_until(
            "the store preselected",
            "document.querySelector('select[name=store]')?.value === 'demo'",
        )
        .await;
    type_into(shop, "input[name=email]", email).await;
    type_into(shop, "input[name=password]", PASSWORD).await;
    browser
        .js("document.querySelector('button[type=submit]').click();")
        .await;
    browser
        .wait_until(
            "the signed-in header",
            "document.querySelector('header .who')",
        )
        .await;
}

/// A user `email` with `role`, invited, with a password, and signed in.
pub async fn user(shop: &DemoShop, email: &str, role: &str) {
    let token = invite(shop, email, role);
    welcome(shop, &token).await;
    sign_in_here(shop, email).await;
}

/// Signs out with the console's button.
pub async fn sign_out(shop: &DemoShop) {
    shop.browser
        .wait_until(
            "the sign-out button",
            "document.querySelector('button.sign-out')",
        )
        .await;
    shop.browser
        .js("document.querySelector('button.sign-out').click();")
        .await;
    shop.browser
        .wait_until("signed out", "location.hash.startsWith('#/sign-in')")
        .await;
}

/// A `review.submitted` result for the demo product (unverified, so held by the demo rules).
pub fn review_event(n: usize, title: &str, photos: &[String]) -> Value {
    json!({
        "id": format!("00000000-0000-4000-9000-{n:012}"),
        "store": "demo",
        "occurred_at": 1_795_000_000_000u64 + n as u64,
        "type": "review.submitted",
        "data": {
            "product": "jasmine-silver-needle", "rating": 1 + (n % 5), "title": title,
            "body": format!("Review body {n}: floral, clean, brewed three times."),
            "name": format!("Tester {n}"), "locale": "en", "fill_ms": 30_000, "photos": photos
        }
    })
}

/// Posts `events` to `/v1/events` from the open page (same origin) and checks each was
/// accepted.
pub async fn submit(shop: &DemoShop, events: &[Value]) {
    for chunk in events.chunks(20) {
        let batch = json!({ "events": chunk }).to_string();
        let answer = shop
            .browser
            .js_async(&format!(
                "const r = await fetch('/v1/events', {{method: 'POST', headers: {{'Content-Type': 'application/json'}}, body: {batch:?}}});\
                 return await r.json();"
            ))
            .await;
        let ok = answer["results"]
            .as_array()
            .is_some_and(|r| r.iter().all(|r| r["status"] == "accepted"));
        assert!(ok, "every review is accepted: {answer}");
    }
}

/// Uploads a small JPEG (drawn on a canvas) as upload `id` and returns its id.
pub async fn upload_photo(shop: &DemoShop, id: &str) -> String {
    let answer = shop
        .browser
        .js_async(&format!(
            "const c = document.createElement('canvas'); c.width = 320; c.height = 240;\
             const g = c.getContext('2d'); g.fillStyle = '#6a8'; g.fillRect(0, 0, 320, 240);\
             g.fillStyle = '#fff'; g.fillRect(40, 40, 120, 80);\
             const blob = await new Promise((done) => c.toBlob(done, 'image/jpeg', 0.9));\
             const r = await fetch('/v1/photos?store=demo&id={id}', {{method: 'POST', headers: {{'Content-Type': 'image/jpeg'}}, body: blob}});\
             return {{status: r.status, body: await r.json()}};"
        ))
        .await;
    assert_eq!(answer["status"], 200, "the photo upload: {answer}");
    id.to_owned()
}

/// `GET` the admin API `path` from the open console page: `{status, body}`.
pub async fn admin_get(shop: &DemoShop, path: &str) -> Value {
    shop.browser
        .js_async(&format!(
            "const r = await fetch('/v1/admin{path}', {{credentials: 'same-origin'}});\
             const text = await r.text(); let body = null; try {{ body = JSON.parse(text); }} catch (_) {{}}\
             return {{status: r.status, body}};"
        ))
        .await
}

/// `method` the admin API `path` from the open console page with `body`, carrying the
/// session's CSRF token when `with_csrf`: `{status, body}`.
pub async fn admin_send(
    shop: &DemoShop,
    method: &str,
    path: &str,
    body: Option<&Value>,
    with_csrf: bool,
) -> Value {
    let body = body.map(|b| b.to_string());
    shop.browser
        .js_async(&format!(
            "const s = await (await fetch('/v1/admin/session', {{credentials: 'same-origin'}})).json().catch(() => ({{}}));\
             const headers = {{'Content-Type': 'application/json'}};\
             if ({with_csrf}) headers['X-CSRF-Token'] = s.csrf_token;\
             const init = {{method: {method:?}, credentials: 'same-origin', headers}};\
             const body = {body}; if (body !== null) init.body = body;\
             const r = await fetch('/v1/admin{path}', init);\
             const text = await r.text(); let parsed = null; try {{ parsed = JSON.parse(text); }} catch (_) {{}}\
             return {{status: r.status, body: parsed}};",
            body = body.map_or("null".to_owned(), |b| format!("{b:?}")),
        ))
        .await
}

/// The ids of the queue's reviews on `query` (`status=pending`), through the admin API.
pub async fn queue_ids(shop: &DemoShop, query: &str) -> Vec<String> {
    let answer = admin_get(shop, &format!("/reviews?{query}")).await;
    answer["body"]["reviews"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect()
}

/// The demo product page's widget text after a fresh load (published reviews only).
pub async fn product_page_text(shop: &DemoShop) -> String {
    shop.visit("/tests/pages/playground.html?count=0").await;
    let browser = &shop.browser;
    browser
        .wait_until(
            "the playground",
            "window.addWidget && customElements.get('encore-widget')",
        )
        .await;
    browser
        .js("window.w = addWidget({mode: 'product', product: 'jasmine-silver-needle'}); w.scrollIntoView();")
        .await;
    browser
        .wait_until(
            "the reviews to load",
            &crate::shop::inside(".empty, article.review"),
        )
        .await;
    browser
        .js("return [...document.querySelectorAll('encore-widget')].map(w => w.shadowRoot ? w.shadowRoot.textContent : '').join(' ');")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
