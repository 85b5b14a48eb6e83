//! Browser tests of the widget (wasm-bindgen-test in headless Chromium): mounting into a
//! shadow root, several instances on one page, the configuration notice, and the outbox.
#![cfg(target_arch = "wasm32")]

#[path = "support/browser.rs"]
mod browser;

use browser::{container, document, listen, until, widget_host};
use encore::transport::outbox::{self, StoredResult};
use encore::transport::results::RESULT_EVENT;
use encore::{Widget, mount};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

/// An endpoint nothing listens on, so results stay queued (port 9 is "discard").
const DEAD_ENDPOINT: &str = "http://127.0.0.1:9";

async fn mounted(parent: &Element, attrs: &[(&str, &str)]) -> (HtmlElement, ShadowRoot, Widget) {
    let (el, shadow) = widget_host(parent, attrs);
    let widget = mount(el.clone(), shadow.clone()).expect("mounts");
    yew::scheduler::flush().await;
    (el, shadow, widget)
}

fn text_of(root: &ShadowRoot, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
}

fn product(endpoint: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("mode", "product"),
        ("endpoint", endpoint),
        ("store", "demo"),
        ("product", "sku-42"),
        ("locale", "en"),
    ]
}

#[wasm_bindgen_test]
async fn mounts_inside_a_shadow_root_and_unmounts_cleanly() {
    let parent = container();
    let (el, shadow, widget) = mounted(&parent, &product(DEAD_ENDPOINT)).await;

    assert_eq!(text_of(&shadow, "h2").as_deref(), Some("Reviews"));
    let sheets = shadow.adopted_style_sheets();
    assert_eq!(
        sheets.length(),
        1,
        "the widget's stylesheet is adopted by its shadow root"
    );
    let sheet: web_sys::CssStyleSheet = sheets.get(0).unchecked_into();
    assert!(
        sheet.css_rules().expect("rules").length() > 10,
        "it holds the widget's rules"
    );
    assert!(
        shadow.query_selector("style").expect("query").is_none(),
        "no <style> for a CSP to block"
    );
    let region = shadow
        .query_selector("[role=region]")
        .expect("query")
        .expect("a labelled region");
    assert_eq!(region.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(
        el.child_element_count(),
        0,
        "nothing is added to the host's light DOM"
    );
    assert!(
        document()
            .query_selector(".encore")
            .expect("query")
            .is_none(),
        "nothing leaks into the page"
    );

    widget.unmount();
    yew::scheduler::flush().await;
    assert_eq!(
        shadow.child_element_count(),
        0,
        "unmount removes everything it added"
    );
    assert_eq!(
        shadow.adopted_style_sheets().length(),
        0,
        "and its stylesheet"
    );
    parent.remove();
}

#[wasm_bindgen_test]
async fn two_instances_on_one_page_keep_their_own_state() {
    let parent = container();
    let (_, first, first_widget) = mounted(&parent, &product(DEAD_ENDPOINT)).await;
    let zh = [
        ("mode", "scan"),
        ("endpoint", DEAD_ENDPOINT),
        ("store", "demo"),
        ("locale", "zh-CN"),
    ];
    let (_, second, second_widget) = mounted(&parent, &zh).await;

    assert_eq!(text_of(&first, "h2").as_deref(), Some("Reviews"));
    assert_eq!(text_of(&second, "h2").as_deref(), Some("您的惊喜"));

    first_widget.unmount();
    yew::scheduler::flush().await;
    assert_eq!(first.child_element_count(), 0);
    assert_eq!(
        second.adopted_style_sheets().length(),
        1,
        "the shared sheet stays where it is used"
    );
    assert_eq!(
        text_of(&second, "h2").as_deref(),
        Some("您的惊喜"),
        "the other instance is untouched"
    );
    second_widget.unmount();
    parent.remove();
}

#[wasm_bindgen_test]
async fn an_invalid_config_shows_a_notice_and_spares_other_widgets() {
    let parent = container();
    let bad = [("mode", "carousel"), ("store", "demo"), ("locale", "en")];
    let (_, broken, broken_widget) = mounted(&parent, &bad).await;
    let (_, fine, fine_widget) = mounted(&parent, &product(DEAD_ENDPOINT)).await;

    let notice = text_of(&broken, "[role=status]").expect("a notice for the store owner");
    assert!(notice.contains("not set up correctly"), "{notice}");
    assert!(notice.contains("carousel"), "names the bad mode: {notice}");
    assert!(
        notice.contains("\"endpoint\""),
        "names the missing endpoint: {notice}"
    );
    assert_eq!(
        broken.query_selector("h2").expect("query"),
        None,
        "no surface renders"
    );
    assert_eq!(text_of(&fine, "h2").as_deref(), Some("Reviews"));

    let zh = [
        ("mode", "product"),
        ("store", "demo"),
        ("product", "x"),
        ("locale", "zh-CN"),
    ];
    let (_, broken_zh, zh_widget) = mounted(&parent, &zh).await;
    let notice = text_of(&broken_zh, "[role=status]").expect("a notice");
    assert!(notice.contains("此组件配置有误"), "{notice}");

    for widget in [broken_widget, fine_widget, zh_widget] {
        widget.unmount();
    }
    parent.remove();
}

#[wasm_bindgen_test]
async fn a_mounted_widget_queues_its_impression_and_tells_the_page() {
    const ENDPOINT: &str = "http://127.0.0.1:9/impression-test";
    let parent = container();
    // Listening on the container proves the event bubbles out of the widget's element.
    let (seen, _listener) = listen(&parent, RESULT_EVENT);

    let (_, _, widget) = mounted(&parent, &product(ENDPOINT)).await;
    until("an encore:result event", || !seen.borrow().is_empty()).await;
    let detail = seen
        .borrow()
        .first()
        .cloned()
        .expect("an encore:result event");
    let get = |k: &str| {
        js_sys::Reflect::get(&detail, &k.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    assert_eq!(get("type").as_deref(), Some("widget.impression"));
    assert_eq!(get("store").as_deref(), Some("demo"));
    let id = get("id").expect("an id");

    let waiting = outbox::pending(
        "http://127.0.0.1:9/impression-test",
        js_sys::Date::now() as u64,
    )
    .await
    .expect("outbox readable");
    assert!(
        waiting.iter().any(|e| e.id == id),
        "the result waits in the outbox"
    );
    outbox::remove(&[id]).await.expect("cleanup");
    widget.unmount();
    parent.remove();
}

#[wasm_bindgen_test]
async fn the_outbox_survives_a_reload() {
    const ENDPOINT: &str = "http://127.0.0.1:9/reload-test";
    let entry = StoredResult {
        id: encore::transport::results::new_event_id().to_string(),
        endpoint: ENDPOINT.into(),
        at: js_sys::Date::now() as u64,
        action: true,
        body: r#"{"id":"x"}"#.into(),
        attachments: vec![],
    };
    outbox::enqueue(&entry).await.expect("enqueued");
    // A reload drops the page's connection; a new one must find the committed entry.
    outbox::close();
    let waiting = outbox::pending(ENDPOINT, js_sys::Date::now() as u64)
        .await
        .expect("readable");
    assert_eq!(waiting, vec![entry.clone()]);

    outbox::remove(std::slice::from_ref(&entry.id))
        .await
        .expect("removed");
    outbox::close();
    assert!(
        outbox::pending(ENDPOINT, js_sys::Date::now() as u64)
            .await
            .expect("readable")
            .is_empty()
    );
}

#[wasm_bindgen_test]
async fn results_older_than_seven_days_are_given_up() {
    const ENDPOINT: &str = "http://127.0.0.1:9/expiry-test";
    let now = js_sys::Date::now() as u64;
    let old = StoredResult {
        id: encore::transport::results::new_event_id().to_string(),
        endpoint: ENDPOINT.into(),
        at: now - encore_core::outbox::MAX_AGE_MS - 1,
        action: false,
        body: "{}".into(),
        attachments: vec![],
    };
    outbox::enqueue(&old).await.expect("enqueued");
    assert!(
        outbox::pending(ENDPOINT, now)
            .await
            .expect("readable")
            .is_empty()
    );
    outbox::close();
    assert!(
        outbox::pending(ENDPOINT, now - 10)
            .await
            .expect("readable")
            .is_empty(),
        "deleted, not hidden"
    );
}
