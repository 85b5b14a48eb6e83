//! Browser tests of the QR landing page (wasm-bindgen-test in headless Chromium): the reveal
//! by keyboard and by scratching, the box, every answer of the endpoint, the slow network,
//! retries, the outbox holding one `surprise.redeemed` under the redemption id (the same id
//! again after a remount), hostile prize text, zh-CN, manual entry, two landings on a page,
//! the code in the page URL and the published odds.
//!
//! `window.fetch` is replaced by the stub endpoint (tests/support/browser.rs) answering `POST
//! /v1/surprise/redeem` per code as registered, `GET /v1/surprise/campaigns/*` with the
//! registered odds, and `POST /v1/events` with 503 (so the queued result stays in the outbox
//! for the test to read).
#![cfg(target_arch = "wasm32")]

#[path = "support/browser.rs"]
mod browser;

use browser::{
    Reply, Route, click, container, context, document, eventually, find, global, one, requests,
    settle, styled_root, text, until_within, widget_host,
};
use encore::context::WidgetContext;
use encore::surprise::ScanLanding;
use encore::transport::outbox;
use encore_core::surprise::code::{CodeId, mint, normalize};
use encore_core::surprise::redeem::{
    Prize, PrizeChance, PrizeKind, PublishedOdds, Redemption, is_device_id,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, PointerEvent, PointerEventInit, ShadowRoot};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const ENDPOINT: &str = "https://stub.invalid/surprise-api";
/// 2026-11-20T12:00:00Z.
const NOV_20: u64 = 1_795_176_000_000;

// --- the stub endpoint -------------------------------------------------------------------

/// The path of the odds of campaign 1 (every test code's).
const ODDS_PATH: &str = "/v1/surprise/campaigns/1";

/// A code nothing was registered for is unknown (404), and so are a store's odds.
fn stub() {
    let unknown = Reply {
        fallback: true,
        ..Reply::new(404, "{}")
    };
    browser::serve(&Route::path("/v1/surprise/redeem"), unknown);
    browser::serve(&Route::path(ODDS_PATH), unknown);
}

/// The redemption of `code`.
fn redeeming(code: &str) -> Route {
    Route::path("/v1/surprise/redeem").json("code", &canonical(code))
}

/// A well-formed code of campaign 1 (the stub does not check tags).
fn code(serial: u32) -> String {
    mint(
        CodeId {
            campaign: 1,
            serial,
        },
        b"test-key",
    )
}

fn canonical(code: &str) -> String {
    normalize(code).expect("well formed")
}

/// Registers the answer to redeeming `code`: `status` with `body`, after `delay` ms, after
/// `fail` 503s, with `headers`.
fn answer_raw(
    code: &str,
    status: u16,
    body: &str,
    delay: u32,
    fail: u32,
    headers: &[(&str, &str)],
) {
    stub();
    let reply = Reply {
        headers,
        delay_ms: delay,
        fail,
        ..Reply::new(status, body)
    };
    browser::serve(&redeeming(code), reply);
}

/// Sets one field of `code`'s registered answer (`network`: how many tries fail to connect).
fn set_answer_field(code: &str, field: &str, value: u32) {
    browser::change(&redeeming(code), field, value);
}

/// Makes `navigator.onLine` say `online`.
fn set_online(online: bool) {
    let script = if online {
        "delete navigator.onLine;"
    } else {
        "Object.defineProperty(navigator, 'onLine', {get: () => false, configurable: true});"
    };
    js_sys::eval(script).expect("onLine");
}

fn answer(code: &str, redemption: &Redemption) {
    let body = serde_json::to_string(redemption).expect("serialisable");
    answer_raw(code, 200, &body, 0, 0, &[]);
}

/// The redeem requests made for `code`, as JSON.
fn requests_for(code: &str) -> Vec<serde_json::Value> {
    all_requests()
        .into_iter()
        .filter(|v| v["code"] == canonical(code))
        .collect()
}

/// Every redeem request made on this page, as JSON.
fn all_requests() -> Vec<serde_json::Value> {
    requests()
        .into_iter()
        .filter(|r| r.url.ends_with("/v1/surprise/redeem"))
        .filter_map(|r| serde_json::from_str(&r.body?).ok())
        .collect()
}

fn prize(kind: PrizeKind, title: &str, code: Option<&str>) -> Prize {
    Prize {
        id: "p".into(),
        kind,
        title: title.into(),
        how_to_use: Some("Enter it at checkout".into()),
        code: code.map(Into::into),
        points: None,
        expires_at: Some(NOV_20 + 30 * 86_400_000),
        next_url: None,
    }
}

fn won(prize: Prize) -> Redemption {
    Redemption::Redeemed {
        prize,
        redeemed_at: NOV_20,
        campaign: 1,
    }
}

// --- mounting ----------------------------------------------------------------------------

#[derive(Properties, PartialEq)]
struct HarnessProps {
    ctx: WidgetContext,
}

#[component]
fn Harness(props: &HarnessProps) -> Html {
    html! {
        <ContextProvider<WidgetContext> context={props.ctx.clone()}>
            <div class="encore" data-theme="auto"><ScanLanding /></div>
        </ContextProvider<WidgetContext>>
    }
}

struct Mounted {
    host: HtmlElement,
    shadow: ShadowRoot,
    app: yew::AppHandle<Harness>,
}

impl Mounted {
    fn done(self) {
        self.app.destroy();
        self.host.remove();
    }
}

/// A landing for `store` in a shadow root of an element in `parent`, with `attrs`.
fn landing(parent: &Element, store: &str, attrs: &[(&str, &str)]) -> Mounted {
    let mut all = vec![("endpoint", ENDPOINT), ("mode", "scan"), ("store", store)];
    all.extend_from_slice(attrs);
    let (host, shadow) = widget_host(parent, &all);
    let root = styled_root(&shadow);
    let ctx = context(&host);
    let app = yew::Renderer::<Harness>::with_root_and_props(root, HarnessProps { ctx }).render();
    Mounted { host, shadow, app }
}

/// Polls up to three seconds: a redemption goes through storage and the endpoint.
async fn until(what: &str, ready: impl FnMut() -> bool) {
    until_within(3_000, what, ready).await;
}

fn status(m: &Mounted) -> String {
    find(&m.shadow, ".surprise")
        .and_then(|e| e.get_attribute("data-status"))
        .unwrap_or_default()
}

async fn until_status(m: &Mounted, want: &str) {
    until(want, || status(m) == want).await;
}

fn all_text(m: &Mounted) -> String {
    one(&m.shadow, ".surprise")
        .text_content()
        .unwrap_or_default()
}

fn focused_class(m: &Mounted) -> String {
    m.shadow
        .active_element()
        .map(|e| e.class_name())
        .unwrap_or_default()
}

// --- tests -------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_win_is_revealed_by_keyboard_in_a_shadow_root() {
    let c = code(1);
    answer(
        &c,
        &won(prize(
            PrizeKind::Coupon,
            "20% off your next order",
            Some("SAVE-20"),
        )),
    );
    let parent = container();
    let m = landing(&parent, "reveal-kb", &[("code", &c)]);
    until_status(&m, "reveal").await;
    assert!(
        !all_text(&m).contains("SAVE-20"),
        "nothing of the prize before the reveal"
    );
    assert!(
        m.shadow.active_element().is_none(),
        "focus is not taken before the shopper acts"
    );
    let button = one(&m.shadow, "button.reveal-button");
    assert_eq!(button.text_content().as_deref(), Some("Reveal your prize"));
    assert!(
        find(&m.shadow, "canvas.scratch-canvas").is_some(),
        "a scratch card by default"
    );
    let button: HtmlElement = button.unchecked_into();
    button.focus().expect("focus");
    button.click();
    until_status(&m, "prize").await;

    assert_eq!(
        text(&m.shadow, ".prize-heading"),
        "You won: 20% off your next order"
    );
    assert_eq!(text(&m.shadow, ".prize-code"), "SAVE-20");
    assert_eq!(text(&m.shadow, ".prize-how"), "Enter it at checkout");
    assert_eq!(text(&m.shadow, ".prize-expires time"), "Use it by 20 Dec");
    assert!(find(&m.shadow, "button.copy-button").is_some());
    let qr = one(&m.shadow, "svg.qr-code");
    assert_eq!(qr.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        qr.get_attribute("aria-label").as_deref(),
        Some("QR code of your code SAVE-20")
    );
    let path = one(&m.shadow, "svg.qr-code path");
    assert!(
        path.get_attribute("d")
            .is_some_and(|d| d.starts_with("M4 4h7"))
    );
    assert!(find(&m.shadow, "canvas").is_none(), "the card is gone");
    assert!(
        focused_class(&m).contains("prize-heading"),
        "{}",
        focused_class(&m)
    );
    assert_eq!(
        text(&m.shadow, ".surprise-announce"),
        "Your prize: 20% off your next order"
    );
    assert_eq!(
        one(&m.shadow, ".surprise-announce")
            .get_attribute("aria-live")
            .as_deref(),
        Some("polite")
    );

    let sent = requests_for(&c);
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request["store"], "reveal-kb");
    assert_eq!(request["locale"], "en");
    assert!(is_device_id(request["device"].as_str().unwrap_or_default()));
    assert!(
        request["redemption"]
            .as_str()
            .is_some_and(|r| r.len() == 36)
    );
    m.done();
    parent.remove();
}

fn pointer(kind: &str, x: f64, y: f64) -> PointerEvent {
    let init = PointerEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(true);
    init.set_client_x(x as i32);
    init.set_client_y(y as i32);
    init.set_buttons(1);
    init.set_pointer_id(1);
    PointerEvent::new_with_event_init_dict(kind, &init).expect("pointer event")
}

/// Strokes across the canvas at `y_frac` of its height.
fn scratch_row(canvas: &Element, y_frac: f64) {
    let rect = canvas.get_bounding_client_rect();
    let y = rect.top() + rect.height() * y_frac;
    canvas
        .dispatch_event(&pointer("pointerdown", rect.left() + 1.0, y))
        .expect("down");
    for i in 1..=20 {
        let x = rect.left() + rect.width() * f64::from(i) / 20.0 - 1.0;
        canvas
            .dispatch_event(&pointer("pointermove", x, y))
            .expect("move");
    }
    canvas
        .dispatch_event(&pointer("pointerup", rect.right() - 1.0, y))
        .expect("up");
}

#[wasm_bindgen_test]
async fn scratching_half_the_card_reveals_the_prize() {
    let c = code(2);
    answer(
        &c,
        &won(prize(
            PrizeKind::Gift,
            "A tin of jasmine tea",
            Some("TEA-1"),
        )),
    );
    let parent = container();
    let m = landing(&parent, "scratch", &[("code", &c)]);
    until_status(&m, "reveal").await;
    let canvas = one(&m.shadow, "canvas.scratch-canvas");
    assert_eq!(canvas.get_attribute("aria-hidden").as_deref(), Some("true"));
    // One stroke over the top quarter: not enough.
    scratch_row(&canvas, 0.125);
    yew::scheduler::flush().await;
    assert_eq!(status(&m), "reveal");
    // A second over the next quarter: half the card, it opens.
    scratch_row(&canvas, 0.375);
    until_status(&m, "prize").await;
    assert_eq!(text(&m.shadow, ".prize-code"), "TEA-1");
    assert_eq!(text(&m.shadow, ".prize-kind"), "Free gift");
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn a_box_opens_to_thanks_with_a_safe_next_step() {
    let c = code(3);
    let mut thanks = prize(PrizeKind::Thanks, "Thanks for playing", None);
    thanks.how_to_use = None;
    thanks.expires_at = None;
    thanks.next_url = Some("https://shop.example/join".into());
    answer(&c, &won(thanks));
    let parent = container();
    let m = landing(&parent, "box", &[("code", &c), ("reveal", "box")]);
    until_status(&m, "reveal").await;
    assert!(find(&m.shadow, "canvas").is_none());
    click(&m.shadow, ".gift-box");
    until_status(&m, "prize").await;
    assert_eq!(text(&m.shadow, ".prize-heading"), "Thanks for playing!");
    assert!(text(&m.shadow, ".prize-thanks").contains("glad you're here"));
    let next = one(&m.shadow, "a.prize-next");
    assert_eq!(
        next.get_attribute("href").as_deref(),
        Some("https://shop.example/join")
    );
    assert!(find(&m.shadow, ".prize-code").is_none() && find(&m.shadow, "svg").is_none());
    m.done();

    // A next step that is not an http(s) address is not linked.
    let c = code(4);
    let mut thanks = prize(PrizeKind::Thanks, "Thanks", None);
    thanks.next_url = Some("javascript:alert(1)".into());
    answer(&c, &won(thanks));
    let m = landing(&parent, "box", &[("code", &c), ("reveal", "box")]);
    until_status(&m, "reveal").await;
    click(&m.shadow, ".reveal-button");
    until_status(&m, "prize").await;
    assert!(find(&m.shadow, "a").is_none());
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn points_are_shown() {
    let c = code(5);
    let mut points = prize(PrizeKind::Points, "Bonus points", None);
    points.points = Some(500);
    answer(&c, &won(points));
    let parent = container();
    let m = landing(&parent, "points", &[("code", &c)]);
    until_status(&m, "reveal").await;
    click(&m.shadow, ".reveal-button");
    until_status(&m, "prize").await;
    assert_eq!(
        text(&m.shadow, ".prize-points"),
        "500 points added to your account"
    );
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn already_redeemed_shows_the_original_prize_or_a_kind_word() {
    let parent = container();
    let c = code(6);
    answer(
        &c,
        &Redemption::AlreadyRedeemed {
            prize: Some(prize(PrizeKind::Coupon, "10% off", Some("TEN-OFF"))),
            redeemed_at: NOV_20,
        },
    );
    let m = landing(&parent, "again", &[("code", &c)]);
    until_status(&m, "prize").await;
    assert_eq!(text(&m.shadow, ".prize-code"), "TEN-OFF");
    assert_eq!(
        text(&m.shadow, ".prize-note"),
        "You already opened this code on 20 Nov."
    );
    m.done();

    let c = code(7);
    answer(
        &c,
        &Redemption::AlreadyRedeemed {
            prize: None,
            redeemed_at: NOV_20,
        },
    );
    let m = landing(&parent, "again", &[("code", &c)]);
    until_status(&m, "already_redeemed").await;
    assert!(text(&m.shadow, ".surprise-message").contains("already been redeemed (20 Nov)"));
    assert!(find(&m.shadow, ".prize-code").is_none());
    click(&m.shadow, ".another-button");
    until_status(&m, "entry").await;
    assert!(find(&m.shadow, "input.code-input").is_some());
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn refusals_are_explained() {
    let parent = container();
    let cases = [
        (8, Redemption::Invalid, "invalid", "This code isn't valid."),
        (
            9,
            Redemption::Expired {
                ended_at: NOV_20 + 1,
            },
            "expired",
            "This promotion ended on 20 Nov.",
        ),
        (
            10,
            Redemption::NotStarted {
                starts_at: NOV_20 + 86_400_000,
            },
            "not_started",
            "This promotion starts on 21 Nov.",
        ),
        (
            11,
            Redemption::LimitReached,
            "limit_reached",
            "as many codes",
        ),
    ];
    for (serial, redemption, want, words) in cases {
        let c = code(serial);
        answer(&c, &redemption);
        let m = landing(&parent, "refused", &[("code", &c)]);
        until_status(&m, want).await;
        let message = text(&m.shadow, ".surprise-message");
        assert!(message.contains(words), "{want}: {message}");
        if want == "invalid" {
            assert!(
                find(&m.shadow, "input.code-input").is_some(),
                "manual entry offered"
            );
        }
        m.done();
    }
    parent.remove();
}

#[wasm_bindgen_test]
async fn too_many_attempts_say_when_to_try_again() {
    let c = code(12);
    answer_raw(&c, 429, "", 0, 0, &[("Retry-After", "120")]);
    let parent = container();
    let m = landing(&parent, "limited", &[("code", &c)]);
    until_status(&m, "rate_limited").await;
    let message = text(&m.shadow, ".surprise-message");
    assert!(
        message.starts_with("Too many attempts. Please try again at "),
        "{message}"
    );
    assert!(message.contains(':'), "a time: {message}");
    assert!(find(&m.shadow, ".retry-button").is_some());
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn a_slow_network_shows_the_hint_and_failures_are_retried_with_the_same_id() {
    let c = code(13);
    let body =
        serde_json::to_string(&won(prize(PrizeKind::Coupon, "Slow", Some("SLOW")))).expect("json");
    answer_raw(&c, 200, &body, 3_500, 1, &[]);
    let parent = container();
    let m = landing(&parent, "slow", &[("code", &c)]);
    until_status(&m, "redeeming").await;
    assert_eq!(
        one(&m.shadow, ".surprise-progress")
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    assert!(text(&m.shadow, ".surprise-status").starts_with("Opening your code"));
    until_within(6_000, "the slow hint", || {
        find(&m.shadow, ".surprise-slow").is_some()
    })
    .await;
    assert!(text(&m.shadow, ".surprise-slow").contains("network is slow"));
    until_within(15_000, "the answer", || status(&m) == "reveal").await;
    let sent = requests_for(&c);
    assert_eq!(sent.len(), 2, "one 503, then the answer");
    assert_eq!(sent[0]["redemption"], sent[1]["redemption"]);
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn the_outbox_holds_one_result_under_the_redemption_id_and_a_remount_reuses_it() {
    let c = code(14);
    answer(&c, &won(prize(PrizeKind::Coupon, "Once", Some("ONCE"))));
    let parent = container();
    let m = landing(&parent, "outbox", &[("code", &c)]);
    until_status(&m, "reveal").await;
    let id = requests_for(&c)[0]["redemption"]
        .as_str()
        .expect("an id")
        .to_owned();
    let queued = |entries: &[outbox::StoredResult]| -> Vec<outbox::StoredResult> {
        entries
            .iter()
            .filter(|e| e.body.contains("surprise.redeemed") && e.body.contains(&canonical(&c)))
            .cloned()
            .collect()
    };
    let waiting = outbox::pending(ENDPOINT, js_sys::Date::now() as u64)
        .await
        .expect("outbox");
    let mine = queued(&waiting);
    assert_eq!(mine.len(), 1, "one result");
    assert_eq!(mine[0].id, id, "its id is the redemption id");
    let event: serde_json::Value = serde_json::from_str(&mine[0].body).expect("json");
    assert_eq!(event["type"], "surprise.redeemed");
    assert_eq!(event["data"]["device"], requests_for(&c)[0]["device"]);
    click(&m.shadow, ".reveal-button");
    until_status(&m, "prize").await;
    m.done();

    // A reload: the same id again, the prize without the ceremony, nothing queued twice.
    let m = landing(&parent, "outbox", &[("code", &c)]);
    until_status(&m, "prize").await;
    let sent = requests_for(&c);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1]["redemption"], id.as_str());
    assert!(text(&m.shadow, ".prize-note").contains("already opened"));
    assert!(find(&m.shadow, ".reveal-button").is_none());
    let waiting = outbox::pending(ENDPOINT, js_sys::Date::now() as u64)
        .await
        .expect("outbox");
    assert_eq!(queued(&waiting).len(), 1);
    outbox::remove(&[id]).await.expect("cleanup");
    m.done();
    parent.remove();
}

/// Holds a write transaction on the outbox open until `window.__holdStorage` is cleared, as a
/// page frozen in the back/forward cache can hold the database in Chromium.
const HOLD_STORAGE: &str = "window.__holdStorage = true; window.__held = false;\
    const q = indexedDB.open('encore');\
    q.onsuccess = () => {\
      const db = q.result; const tx = db.transaction(['outbox', 'photos'], 'readwrite');\
      const store = tx.objectStore('outbox');\
      const spin = () => { if (window.__holdStorage) store.count().onsuccess = spin; };\
      spin(); window.__held = true;\
      tx.oncomplete = () => { db.close(); window.__held = false; };\
    };";

fn flag(name: &str) -> bool {
    js_sys::eval(&format!("window.{name} === true"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

#[wasm_bindgen_test]
async fn busy_storage_does_not_hold_up_the_redemption_and_it_is_queued_after() {
    let c = code(25);
    answer(&c, &won(prize(PrizeKind::Coupon, "Busy", Some("BUSY"))));
    outbox::pending(ENDPOINT, js_sys::Date::now() as u64)
        .await
        .expect("the outbox exists");
    js_sys::eval(HOLD_STORAGE).expect("hold");
    until("storage held", || flag("__held")).await;
    let parent = container();
    let m = landing(&parent, "busy", &[("code", &c)]);
    until_within(10_000, "the answer", || status(&m) == "reveal").await;
    assert!(flag("__held"), "redeemed while storage was still held");
    let id = requests_for(&c)[0]["redemption"]
        .as_str()
        .expect("an id")
        .to_owned();

    js_sys::eval("window.__holdStorage = false").expect("release");
    until("storage released", || !flag("__held")).await;
    let queued = eventually("the queued result", || async {
        let waiting = outbox::pending(ENDPOINT, js_sys::Date::now() as u64)
            .await
            .expect("outbox");
        let queued: Vec<_> = waiting.into_iter().filter(|e| e.id == id).collect();
        (!queued.is_empty()).then_some(queued)
    })
    .await;
    assert_eq!(
        queued.len(),
        1,
        "queued once storage is free, under the redemption id"
    );
    assert!(queued[0].body.contains("surprise.redeemed"));
    outbox::remove(&[id]).await.expect("cleanup");
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn hostile_prize_text_is_rendered_as_text() {
    let c = code(15);
    let evil = "<img src=x onerror=\"window.__pwned=1\">";
    let mut p = prize(PrizeKind::Coupon, evil, Some(evil));
    p.how_to_use = Some(evil.into());
    answer(&c, &won(p));
    let parent = container();
    let m = landing(&parent, "hostile", &[("code", &c)]);
    until_status(&m, "reveal").await;
    click(&m.shadow, ".reveal-button");
    until_status(&m, "prize").await;
    assert!(find(&m.shadow, "img").is_none());
    assert_eq!(text(&m.shadow, ".prize-how"), evil);
    assert_eq!(text(&m.shadow, ".prize-code"), evil);
    assert!(global("__pwned").is_undefined());
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn chinese_strings() {
    let c = code(16);
    answer(
        &c,
        &won(prize(PrizeKind::Coupon, "八折优惠", Some("ZH-80"))),
    );
    let parent = container();
    let m = landing(&parent, "zh", &[("code", &c), ("locale", "zh-CN")]);
    until_status(&m, "reveal").await;
    assert_eq!(text(&m.shadow, ".reveal-button"), "揭晓奖品");
    click(&m.shadow, ".reveal-button");
    until_status(&m, "prize").await;
    assert_eq!(text(&m.shadow, ".prize-heading"), "恭喜获得：八折优惠");
    assert_eq!(text(&m.shadow, ".copy-button"), "复制券码");
    assert_eq!(
        text(&m.shadow, ".prize-expires time"),
        "请在 12月20日 前使用"
    );
    assert_eq!(requests_for(&c)[0]["locale"], "zh-CN");
    m.done();
    let c = code(17);
    answer(&c, &Redemption::Invalid);
    let m = landing(&parent, "zh", &[("code", &c), ("locale", "zh-CN")]);
    until_status(&m, "invalid").await;
    assert_eq!(
        text(&m.shadow, ".surprise-message"),
        "此兑换码无效，请检查后重试。"
    );
    assert_eq!(text(&m.shadow, ".entry-label"), "包装上的兑换码");
    m.done();
    parent.remove();
}

fn type_code(m: &Mounted, value: &str) {
    one(&m.shadow, "input.code-input")
        .unchecked_into::<HtmlInputElement>()
        .set_value(value);
    click(&m.shadow, "button.code-submit");
}

#[wasm_bindgen_test]
async fn manual_entry_checks_the_format_then_redeems() {
    let parent = container();
    let m = landing(&parent, "manual", &[]);
    until_status(&m, "entry").await;
    assert!(
        find(&m.shadow, "button.scan-button").is_some(),
        "the scanner is offered"
    );
    let input = one(&m.shadow, "input.code-input");
    let label = one(&m.shadow, "label.entry-label");
    assert_eq!(label.get_attribute("for"), Some(input.id()));
    type_code(&m, "ABC-123");
    until("the format error", || {
        find(&m.shadow, ".entry-error").is_some()
    })
    .await;
    assert!(text(&m.shadow, ".entry-error").contains("doesn't look like one of our codes"));
    let input = one(&m.shadow, "input.code-input");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(
        input
            .get_attribute("aria-describedby")
            .is_some_and(|d| d.contains("error"))
    );
    assert!(
        all_requests().iter().all(|r| r["store"] != "manual"),
        "a malformed code is not sent"
    );

    let c = code(18);
    answer(&c, &won(prize(PrizeKind::Coupon, "Typed", Some("TYPED"))));
    type_code(&m, &c.to_lowercase());
    until_status(&m, "reveal").await;
    assert_eq!(requests_for(&c).len(), 1);
    assert!(
        focused_class(&m).contains("reveal-intro"),
        "focus follows from the removed form: {}",
        focused_class(&m)
    );
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn a_malformed_code_in_the_link_asks_for_the_code_at_once() {
    let parent = container();
    let m = landing(&parent, "malformed-link", &[("code", "NOT-A-CODE")]);
    yew::scheduler::flush().await;
    assert_eq!(status(&m), "entry", "from the first render, no request");
    assert!(text(&m.shadow, ".entry-error").contains("doesn't look like one of our codes"));
    assert!(find(&m.shadow, "input.code-input").is_some());
    settle().await;
    assert!(
        all_requests()
            .iter()
            .all(|r| r["store"] != "malformed-link")
    );
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn without_a_camera_api_the_scanner_points_to_the_entry() {
    let parent = container();
    let m = landing(&parent, "camera", &[]);
    until_status(&m, "entry").await;
    // Headless Chromium on Linux has no BarcodeDetector.
    let has_detector =
        js_sys::Reflect::has(&global("window"), &"BarcodeDetector".into()).unwrap_or(false);
    if !has_detector {
        click(&m.shadow, "button.scan-button");
        until("the camera message", || {
            text(&m.shadow, ".scanner-status").contains("can't scan")
        })
        .await;
        assert!(find(&m.shadow, "input.code-input").is_some());
    }
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn two_landings_on_a_page() {
    let (a, b) = (code(19), code(20));
    answer(&a, &won(prize(PrizeKind::Coupon, "First", Some("FIRST"))));
    answer(&b, &Redemption::Invalid);
    let parent = container();
    let first = landing(&parent, "two", &[("code", &a)]);
    let second = landing(&parent, "two", &[("code", &b)]);
    until_status(&first, "reveal").await;
    until_status(&second, "invalid").await;
    click(&first.shadow, ".reveal-button");
    until_status(&first, "prize").await;
    assert_eq!(
        status(&second),
        "invalid",
        "the other landing is unaffected"
    );
    assert_eq!(text(&first.shadow, ".prize-code"), "FIRST");
    let third = landing(&parent, "two", &[]);
    until_status(&third, "entry").await;
    assert_ne!(
        one(&second.shadow, "input.code-input").id(),
        one(&third.shadow, "input.code-input").id(),
        "ids are unique on the page"
    );
    // Both devices ids are the store's one device.
    assert_eq!(requests_for(&a)[0]["device"], requests_for(&b)[0]["device"]);
    first.done();
    second.done();
    third.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn the_code_comes_from_the_page_url() {
    let c = code(21);
    answer(&c, &Redemption::LimitReached);
    let history = web_sys::window()
        .expect("window")
        .history()
        .expect("history");
    let before = document()
        .location()
        .expect("location")
        .href()
        .expect("href");
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&format!("?c={c}")))
        .expect("url");
    let parent = container();
    let m = landing(&parent, "url", &[]);
    until_status(&m, "limit_reached").await;
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&before))
        .expect("url back");
    assert_eq!(requests_for(&c).len(), 1);
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn how_winners_are_chosen() {
    stub();
    let odds = PublishedOdds {
        title: "Spring tins".into(),
        starts_at: NOV_20,
        ends_at: NOV_20 + 10 * 86_400_000,
        prizes: vec![
            PrizeChance {
                title: "20% off".into(),
                kind: PrizeKind::Coupon,
                chance_ppm: 125_000,
                budget: Some(100),
                remaining: Some(42),
            },
            PrizeChance {
                title: "Thanks".into(),
                kind: PrizeKind::Thanks,
                chance_ppm: 875_000,
                budget: None,
                remaining: None,
            },
        ],
        per_device: 3,
    };
    let json = serde_json::to_string(&odds).expect("json");
    browser::serve(
        &Route::path(ODDS_PATH).query("store", "odds"),
        Reply::new(200, &json),
    );
    let c = code(22);
    answer(&c, &Redemption::LimitReached);
    let parent = container();
    let m = landing(&parent, "odds", &[("code", &c)]);
    until_status(&m, "limit_reached").await;
    click(&m.shadow, ".odds-button");
    until("the odds table", || {
        find(&m.shadow, "table.odds-table").is_some()
    })
    .await;
    let rows = m.shadow.query_selector_all("tbody tr").expect("rows");
    assert_eq!(rows.length(), 2);
    let first = rows
        .get(0)
        .and_then(|r| r.text_content())
        .unwrap_or_default();
    assert_eq!(first, "20% off12.5%42 of 100");
    let second = rows
        .get(1)
        .and_then(|r| r.text_content())
        .unwrap_or_default();
    assert_eq!(second, "Thanks87.5%Unlimited");
    assert!(text(&m.shadow, ".odds-intro").contains("one device may open 3 codes"));
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn offline_the_code_is_saved_and_opens_when_back_online() {
    let c = code(23);
    answer(&c, &won(prize(PrizeKind::Coupon, "Later", Some("LATER"))));
    set_answer_field(&c, "network", 1_000);
    set_online(false);
    let parent = container();
    let m = landing(&parent, "offline", &[("code", &c)]);
    until_status(&m, "offline").await;
    assert!(text(&m.shadow, ".surprise-message").contains("Your code is saved"));
    set_answer_field(&c, "network", 0);
    set_online(true);
    until_within(3_000, "the answer once online", || status(&m) == "reveal").await;
    let sent = requests_for(&c);
    assert!(sent.len() >= 2);
    assert!(
        sent.iter()
            .all(|r| r["redemption"] == sent[0]["redemption"])
    );
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn the_scan_surface_mounts_the_landing() {
    let c = code(24);
    answer(&c, &Redemption::Invalid);
    let parent = container();
    let (host, shadow) = widget_host(
        &parent,
        &[
            ("endpoint", ENDPOINT),
            ("mode", "scan"),
            ("store", "surface"),
            ("code", c.as_str()),
        ],
    );
    let widget = encore::mount(host.clone(), shadow.clone()).expect("mounted");
    until("the invalid answer", || {
        find(&shadow, ".surprise")
            .and_then(|e| e.get_attribute("data-status"))
            .is_some_and(|s| s == "invalid")
    })
    .await;
    assert_eq!(text(&shadow, ".heading"), "Your surprise");
    widget.unmount();
    parent.remove();
}
