//! Browser tests of the console (wasm-bindgen-test in headless Chromium): pages rendered
//! against canned admin API answers, no server. The queue renders its reviews, the keyboard
//! moves and approves, bulk actions ask with the count, changes carry the CSRF token, a 401
//! goes to sign-in keeping the filter, and sign-in failures are said in words.
#![cfg(target_arch = "wasm32")]

mod support;

use encore_console::api;
use encore_console::i18n::strings;
use encore_console::reviews::{ReviewsPage, ReviewsPageProps};
use encore_console::sign_in::{SignInPage, SignInProps};
use encore_core::admin::queue::{
    HoldSignal, QueueFilter, QueueItem, QueuePage, QueuePhoto, ReviewStatus, TabCounts,
    Verification,
};
use encore_core::admin::role::Role;
use encore_core::admin::session::SessionInfo;
use encore_core::locale::Locale;
use encore_core::reviews::ProductInfo;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn item(id: &str, n: usize) -> QueueItem {
    QueueItem {
        id: id.into(),
        status: ReviewStatus::Pending,
        product: ProductInfo {
            id: "tea".into(),
            name: Some("Green tea".into()),
        },
        rating: 2,
        title: format!("Review number {n}"),
        body: "<img src=x onerror=alert(1)> too bitter".into(),
        name: "Mei".into(),
        locale: "zh-CN".into(),
        answers: vec![],
        verified: true,
        order_id: Some("1001".into()),
        verification: Verification::OrderToken,
        signals: vec![HoldSignal::Rating],
        incentivized: n == 0,
        photos: vec![QueuePhoto {
            name: format!("{id}-1.jpg"),
            url: format!("/v1/photos/{id}-1.jpg"),
            width: 800,
            height: 600,
            hidden: false,
        }],
        reply: None,
        reject_reason: None,
        created_at: 1_768_046_400_000,
    }
}

fn page_of(count: usize) -> QueuePage {
    QueuePage {
        counts: TabCounts {
            pending: count as u64,
            published: 12,
            rejected: 3,
        },
        reviews: (0..count).map(|n| item(&format!("r{n}"), n)).collect(),
        page: 0,
        has_more: false,
    }
}

fn signed_in() {
    api::remember(&SessionInfo {
        store: "demo".into(),
        store_name: "Demo".into(),
        email: "mei@example.com".into(),
        role: Role::Moderator,
        csrf_token: "csrf-123".into(),
        expires_at: u64::MAX,
    });
}

fn queue(root: &web_sys::Element, may_moderate: bool) -> yew::AppHandle<ReviewsPage> {
    let props = ReviewsPageProps {
        t: strings(Locale::En),
        locale: Locale::En,
        filter: QueueFilter::default(),
        may_moderate,
    };
    yew::Renderer::<ReviewsPage>::with_root_and_props(root.clone(), props).render()
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("JSON")
}

#[wasm_bindgen_test]
async fn the_queue_renders_its_reviews_as_articles_with_counts_in_the_tabs() {
    stub_fetch();
    serve("GET", "/v1/admin/reviews", 200, &json(&page_of(3)), &[]);
    let root = container();
    let app = queue(&root, true);
    until("three reviews", || {
        all(&root, "ul.queue > li > article").len() == 3
    })
    .await;

    let tabs = all(&root, "[role=tablist] [role=tab]");
    let names: Vec<String> = tabs
        .iter()
        .map(|t| t.text_content().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Pending (3)", "Published (12)", "Rejected (3)"]);
    assert_eq!(
        tabs[0].get_attribute("aria-selected").as_deref(),
        Some("true")
    );

    let first = one(&root, "article.review");
    let label = first.get_attribute("aria-labelledby").expect("labelled");
    assert_eq!(text(&root, &format!("#{label}")), "Review number 0");
    assert_eq!(first.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(
        all(&root, "article[tabindex='0']").len(),
        1,
        "one roving tab stop"
    );
    // Review text is text: the markup stays visible and no element is made from it.
    assert!(text(&root, "article .body").contains("<img src=x"));
    assert!(
        root.query_selector("article .body img")
            .expect("query")
            .is_none()
    );
    let photo = one(&root, "article .photos img");
    assert_eq!(
        photo.get_attribute("src").as_deref(),
        Some("/v1/admin/photos/r0-1.jpg")
    );
    assert!(text(&root, "article").contains("order 1001"));
    assert!(text(&root, "article .signals").contains("under the auto-publish minimum"));
    assert!(text(&root, "article .incentive").contains("Incentivised"));
    let seen = requests();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].credentials.as_deref(), Some("same-origin"));
    assert_eq!(seen[0].search, "", "the plain queue asks with no filter");

    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_keyboard_moves_through_the_list_and_approves_with_the_csrf_token() {
    stub_fetch();
    signed_in();
    serve("GET", "/v1/admin/reviews", 200, &json(&page_of(3)), &[]);
    let mut approved = item("r1", 1);
    approved.status = ReviewStatus::Published;
    serve(
        "POST",
        "/v1/admin/reviews/r1/approve",
        200,
        &json(&approved),
        &[],
    );
    let root = container();
    let app = queue(&root, true);
    until("the reviews", || all(&root, "article.review").len() == 3).await;

    let first = one(&root, "#review-0");
    press(&first, "j");
    until("focus on the second review", || {
        focused().is_some_and(|f| f.id() == "review-1")
    })
    .await;
    assert_eq!(
        one(&root, "#review-1").get_attribute("tabindex").as_deref(),
        Some("0")
    );
    press(&one(&root, "#review-1"), "k");
    until("focus back on the first", || {
        focused().is_some_and(|f| f.id() == "review-0")
    })
    .await;
    press(&one(&root, "#review-0"), "ArrowDown");
    until("focus on the second again", || {
        focused().is_some_and(|f| f.id() == "review-1")
    })
    .await;

    press(&one(&root, "#review-1"), "a");
    until("the approved review leaves the tab", || {
        all(&root, "article.review").len() == 2
    })
    .await;
    let approve = requests()
        .into_iter()
        .find(|r| r.path == "/v1/admin/reviews/r1/approve")
        .expect("an approve request");
    assert_eq!(approve.method, "POST");
    assert_eq!(approve.csrf.as_deref(), Some("csrf-123"));
    until("the live region says so", || {
        text(&root, "[role=status][aria-live]") == "Review approved"
    })
    .await;
    assert!(text(&root, "[role=tablist]").contains("Pending (2)"));
    assert!(text(&root, "[role=tablist]").contains("Published (13)"));
    // Focus stays in the list, on the review that took its place.
    until("focus on the next review", || {
        focused().is_some_and(|f| f.id() == "review-1")
    })
    .await;

    // x selects the focused review.
    press(&one(&root, "#review-1"), "x");
    until("one selected", || {
        text(&root, ".bulk .count") == "1 selected"
    })
    .await;

    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn bulk_approval_asks_with_the_count_and_escape_closes_the_dialog() {
    stub_fetch();
    signed_in();
    serve("GET", "/v1/admin/reviews", 200, &json(&page_of(20)), &[]);
    serve(
        "POST",
        "/v1/admin/reviews/bulk",
        200,
        r#"{"changed":20,"unknown":[]}"#,
        &[],
    );
    let root = container();
    let app = queue(&root, true);
    until("twenty reviews", || {
        all(&root, "article.review").len() == 20
    })
    .await;

    click(&one(&root, ".bulk input[type=checkbox]"));
    until("all selected", || {
        text(&root, ".bulk .count") == "20 selected"
    })
    .await;
    let approve_selected = one(&root, ".bulk button.primary");
    click(&approve_selected);
    until("the dialog", || {
        root.query_selector("dialog[open]").ok().flatten().is_some()
    })
    .await;
    assert_eq!(text(&root, "dialog h2"), "Approve 20 reviews?");

    // Escape cancels: the dialog goes and nothing is sent.
    let dialog = one(&root, "dialog");
    let cancel = web_sys::Event::new("cancel").expect("event");
    dialog.dispatch_event(&cancel).expect("dispatch");
    until("the dialog closed", || {
        root.query_selector("dialog").ok().flatten().is_none()
    })
    .await;
    assert!(
        requests()
            .iter()
            .all(|r| r.path != "/v1/admin/reviews/bulk")
    );

    let approve_selected = one(&root, ".bulk button.primary");
    click(&approve_selected);
    until("the dialog again", || {
        root.query_selector("dialog[open]").ok().flatten().is_some()
    })
    .await;
    click(&one(&root, "dialog button[type=submit]"));
    until("the bulk request", || {
        requests()
            .iter()
            .any(|r| r.path == "/v1/admin/reviews/bulk")
    })
    .await;
    let bulk = requests()
        .into_iter()
        .find(|r| r.path == "/v1/admin/reviews/bulk")
        .expect("bulk");
    let body: serde_json::Value =
        serde_json::from_str(bulk.body.as_deref().unwrap_or("")).expect("JSON");
    assert_eq!(body["action"], "approve");
    assert_eq!(body["ids"].as_array().map(Vec::len), Some(20));
    assert_eq!(bulk.csrf.as_deref(), Some("csrf-123"));
    until("the announcement", || {
        text(&root, "[role=status][aria-live]") == "20 reviews approved"
    })
    .await;

    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn a_viewer_sees_no_moderation_buttons_and_keys_do_nothing() {
    stub_fetch();
    serve("GET", "/v1/admin/reviews", 200, &json(&page_of(2)), &[]);
    let root = container();
    let app = queue(&root, false);
    until("the reviews", || all(&root, "article.review").len() == 2).await;
    assert!(all(&root, "button.approve, button.reject, input.select, .bulk").is_empty());
    press(&one(&root, "#review-0"), "a");
    yew::scheduler::flush().await;
    assert!(requests().iter().all(|r| r.method == "GET"));
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn an_expired_session_goes_to_sign_in_keeping_the_filter() {
    stub_fetch();
    let location = web_sys::window().expect("window").location();
    location
        .set_hash("#/reviews?rating=1&q=late")
        .expect("hash");
    serve(
        "GET",
        "/v1/admin/reviews",
        401,
        r#"{"error":"unauthenticated","message":"no session"}"#,
        &[],
    );
    let root = container();
    let app = queue(&root, true);
    until("the move to sign-in", || {
        location
            .hash()
            .unwrap_or_default()
            .starts_with("#/sign-in?next=")
    })
    .await;
    let hash = location.hash().unwrap_or_default();
    assert_eq!(hash, "#/sign-in?next=%23%2Freviews%3Frating%3D1%26q%3Dlate");
    location.set_hash("").expect("hash");
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn sign_in_failures_are_said_in_words() {
    stub_fetch();
    serve(
        "GET",
        "/v1/admin/stores",
        200,
        r#"[{"id":"demo","name":"Demo Tea"}]"#,
        &[],
    );
    serve(
        "POST",
        "/v1/admin/session",
        401,
        r#"{"error":"sign_in_failed","message":"wrong"}"#,
        &[],
    );
    let root = container();
    let props = SignInProps {
        t: strings(Locale::En),
        store: None,
        next: None,
        password_set: false,
        on_signed_in: Callback::noop(),
    };
    let app = yew::Renderer::<SignInPage>::with_root_and_props(root.clone(), props).render();
    until("the store preselected", || {
        all(&root, "select option").iter().any(|o| {
            o.get_attribute("value").as_deref() == Some("demo")
                && o.dyn_ref::<web_sys::HtmlOptionElement>()
                    .is_some_and(|o| o.selected())
        })
    })
    .await;
    let type_into = |selector: &str, value: &str| {
        let input: web_sys::HtmlInputElement = one(&root, selector).dyn_into().expect("input");
        input.set_value(value);
        let event = web_sys::InputEvent::new("input").expect("event");
        input.dispatch_event(&event).expect("dispatch");
    };
    type_into("input[type=email]", "mei@example.com");
    type_into("input[type=password]", "not the password");
    yew::scheduler::flush().await;
    click(&one(&root, "button[type=submit]"));
    until("the error", || {
        text(&root, ".error") == "Wrong e-mail or password."
    })
    .await;

    serve(
        "POST",
        "/v1/admin/session",
        429,
        r#"{"error":"locked","message":"locked"}"#,
        &[("Retry-After", "840")],
    );
    type_into("input[type=password]", "again the wrong one");
    yew::scheduler::flush().await;
    click(&one(&root, "button[type=submit]"));
    until("the lock", || text(&root, ".error").contains("14 minutes")).await;
    let post = requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("a sign-in");
    let body: serde_json::Value =
        serde_json::from_str(post.body.as_deref().unwrap_or("")).expect("JSON");
    assert_eq!(body["store"], "demo");
    assert_eq!(body["email"], "mei@example.com");
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn escape_closes_the_reject_dialog_and_focus_returns_to_the_review() {
    stub_fetch();
    signed_in();
    serve("GET", "/v1/admin/reviews", 200, &json(&page_of(2)), &[]);
    let root = container();
    let app = queue(&root, true);
    until("the reviews", || all(&root, "article.review").len() == 2).await;
    let first = one(&root, "#review-0");
    first
        .dyn_ref::<web_sys::HtmlElement>()
        .expect("html")
        .focus()
        .expect("focus");
    press(&first, "r");
    until("the dialog", || {
        root.query_selector("dialog[open]").ok().flatten().is_some()
    })
    .await;
    assert!(
        focused().is_some_and(|f| f.tag_name() == "TEXTAREA"),
        "focus moves into the dialog"
    );
    let cancel = web_sys::Event::new("cancel").expect("event");
    one(&root, "dialog")
        .dispatch_event(&cancel)
        .expect("dispatch");
    until("the dialog closed", || {
        root.query_selector("dialog").ok().flatten().is_none()
    })
    .await;
    until("focus back on the review", || {
        focused().is_some_and(|f| f.id() == "review-0")
    })
    .await;
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn a_failed_load_offers_to_try_again() {
    stub_fetch();
    serve("GET", "/v1/admin/reviews", 500, "", &[]);
    let root = container();
    let app = queue(&root, true);
    until("the failure", || {
        root.query_selector(".failed button")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    assert_eq!(
        text(&root, ".failed [role=alert]"),
        "This page could not be loaded."
    );
    serve("GET", "/v1/admin/reviews", 200, &json(&page_of(1)), &[]);
    click(&one(&root, ".failed button"));
    until("the review after trying again", || {
        all(&root, "article.review").len() == 1
    })
    .await;
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn arrow_keys_move_between_the_tabs() {
    stub_fetch();
    serve("GET", "/v1/admin/reviews", 200, &json(&page_of(1)), &[]);
    let root = container();
    let app = queue(&root, true);
    until("the review", || all(&root, "article.review").len() == 1).await;
    assert_eq!(
        all(&root, "[role=tab][tabindex='0']").len(),
        1,
        "one tab stop"
    );
    press(&one(&root, "#tab-pending"), "ArrowRight");
    let location = web_sys::window().expect("window").location();
    until("the published tab", || {
        location.hash().unwrap_or_default() == "#/reviews?status=published"
    })
    .await;
    assert!(focused().is_some_and(|f| f.id() == "tab-published"));
    press(&one(&root, "#tab-pending"), "ArrowLeft");
    until("the rejected tab (wrapping)", || {
        location.hash().unwrap_or_default() == "#/reviews?status=rejected"
    })
    .await;
    location.set_hash("").expect("hash");
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_filter_panel_is_open_while_a_filter_is_on() {
    use encore_console::reviews::filters::{Filters, FiltersProps};
    let root = container();
    let props = FiltersProps {
        filter: QueueFilter {
            rating: Some(1),
            ..QueueFilter::default()
        },
        t: strings(Locale::En),
        on_apply: Callback::noop(),
    };
    let app = yew::Renderer::<Filters>::with_root_and_props(root.clone(), props).render();
    until("the filter form", || {
        !all(&root, "details.filters-panel > form.filters").is_empty()
    })
    .await;
    let panel = one(&root, "details.filters-panel");
    assert!(
        panel.has_attribute("open"),
        "a filter is on: the panel shows it"
    );
    assert_eq!(text(&root, "details.filters-panel > summary"), "Filters");
    app.destroy();
    root.remove();
}
