//! Browser tests of the member offers (wasm-bindgen-test in headless Chromium): the member's
//! cards and dates in both languages, the guest's locked cards and join link, a claim followed
//! to its code or its refusal, the countdown ticking on its own, the expired sign-in event,
//! two panels on a page, hostile text, and the surfaces that show the panel.
//!
//! `window.fetch` is replaced by the stub endpoint (tests/support/browser.rs) serving the pages
//! registered per store; it answers `POST /v1/events` with 503, so claims stay queued and the
//! tests settle them.
#![cfg(target_arch = "wasm32")]

#[path = "support/browser.rs"]
mod browser;

use browser::{
    Heard, Reply, Route, all, container, context, count, global, listen, one, requests,
    styled_root, text, until, until_within, widget_host,
};
use encore::context::WidgetContext;
use encore::offers::OffersPanel;
use encore::offers::api::TOKEN_EXPIRED_EVENT;
use encore::offers::strings::{EN, ZH_CN};
use encore::transport::acks::{self, Settlement};
use encore::transport::outbox;
use encore::transport::results::RESULT_EVENT;
use encore_core::events::AckStatus;
use encore_core::issued_code::IssuedCode;
use encore_core::offers::{
    DropView, JoinLink, LockedOffer, MemberStatus, OfferCard, OffersPage, OffersQuery,
};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, ShadowRoot};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const ENDPOINT: &str = "https://stub.invalid/offers-api";
/// 2026-11-20T12:00:00Z: the server's clock in every page.
const NOW: u64 = 1_795_176_000_000;
/// 2026-11-30T12:00:00Z: an offer ending a millisecond after this lasts until 30 Nov in every
/// time zone from UTC−11 to UTC+11.
const NOV_30_NOON: u64 = 1_796_040_000_000;
const HOUR: u64 = 3_600_000;

// --- the stub endpoint -------------------------------------------------------------------

/// `POST /v1/offers` for `store`.
fn offers_of(store: &str) -> Route {
    Route::path("/v1/offers").json("store", store)
}

/// Registers the page `POST /v1/offers` answers for `store`; a store without one is 404.
fn serve(store: &str, page: &OffersPage) {
    browser::serve(
        &Route::path("/v1/offers"),
        Reply {
            fallback: true,
            ..Reply::new(404, "{}")
        },
    );
    let json = serde_json::to_string(page).expect("serialisable");
    browser::serve(&offers_of(store), Reply::new(200, &json));
}

/// Makes the next `times` loads of `store` fail with 503.
fn fail(store: &str, times: u32) {
    browser::change(&offers_of(store), "fail", times);
}

/// What every load of the offers made on this page asked for `store` (each a `POST` with a
/// `text/plain` body and nothing in the URL: [`browser::reads_of`] checks).
fn loads(store: &str) -> Vec<OffersQuery> {
    browser::reads_of("/v1/offers")
        .into_iter()
        .map(|body| serde_json::from_value::<OffersQuery>(body).expect("an OffersQuery"))
        .filter(|q| q.store == store)
        .collect()
}

// --- pages -------------------------------------------------------------------------------

fn offer(id: &str, title: &str) -> OfferCard {
    OfferCard {
        id: id.into(),
        title: title.into(),
        description: format!("Details of {title}"),
        ends_at: Some(NOV_30_NOON + 1),
        claimed_code: None,
        sold_out: false,
    }
}

fn member_page(tier_name: &str) -> OffersPage {
    let mut sold = offer("sold", "Free tasting set");
    sold.sold_out = true;
    let mut had = offer("had", "Free shipping");
    had.claimed_code = Some("SHIP-FREE".into());
    had.ends_at = None;
    OffersPage {
        status: MemberStatus::Member {
            tier: Some("gold".into()),
            tier_name: Some(tier_name.into()),
        },
        offers: vec![offer("gold20", "20% off everything"), sold, had],
        locked: vec![],
        join: None,
        drop: None,
        now: NOW,
    }
}

fn guest_page(status: MemberStatus) -> OffersPage {
    OffersPage {
        status,
        offers: vec![],
        locked: vec![
            LockedOffer {
                id: "gold20".into(),
                title: "Gold members: 20% off every Tuesday drop".into(),
                audience: Some("For Gold members".into()),
            },
            LockedOffer {
                id: "comeback".into(),
                title: "25% off before month end".into(),
                audience: None,
            },
        ],
        join: Some(JoinLink {
            url: "/account/join?next=%2Foffers".into(),
            label: "Join the club".into(),
        }),
        drop: None,
        now: NOW,
    }
}

fn drop_in(ms: u64, early: bool) -> DropView {
    DropView {
        title: "Tuesday tea drop".into(),
        access_at: NOW + ms,
        public_at: NOW + ms + if early { HOUR } else { 0 },
        ends_at: NOW + ms + 48 * HOUR,
        early,
    }
}

// --- mounting ----------------------------------------------------------------------------

#[derive(Properties, PartialEq)]
struct HarnessProps {
    ctx: WidgetContext,
    compact: bool,
}

#[component]
fn Harness(props: &HarnessProps) -> Html {
    html! {
        <ContextProvider<WidgetContext> context={props.ctx.clone()}>
            <div class="encore" data-theme="auto">
                <OffersPanel compact={props.compact} />
            </div>
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

/// An `<encore-widget>` for the stub endpoint in `parent`, with `attrs` and a shadow root.
fn host(parent: &Element, attrs: &[(&str, &str)]) -> (HtmlElement, ShadowRoot) {
    let mut all = vec![("endpoint", ENDPOINT)];
    all.extend_from_slice(attrs);
    widget_host(parent, &all)
}

/// The panel alone for `store`, rendered in a shadow root of an element in `parent`.
fn panel(parent: &Element, store: &str, locale: &str, token: Option<&str>) -> Mounted {
    let mut attrs = vec![
        ("mode", "offers"),
        ("store", store),
        ("locale", locale),
        ("member", "m-should-not-be-sent"),
    ];
    if let Some(token) = token {
        attrs.push(("member-token", token));
    }
    let (host, shadow) = host(parent, &attrs);
    let root = styled_root(&shadow);
    let props = HarnessProps {
        ctx: context(&host),
        compact: false,
    };
    let app = yew::Renderer::<Harness>::with_root_and_props(root, props).render();
    Mounted { host, shadow, app }
}

fn find_in(element: &Element, selector: &str) -> Option<Element> {
    element.query_selector(selector).ok().flatten()
}

/// The card (`article`) whose title is `title`.
fn card(root: &ShadowRoot, title: &str) -> Element {
    all(root, "article.offer-card")
        .into_iter()
        .find(|a| {
            find_in(a, ".offer-title")
                .and_then(|t| t.text_content())
                .is_some_and(|t| t == title)
        })
        .unwrap_or_else(|| panic!("no card {title}"))
}

fn field(detail: &JsValue, path: &[&str]) -> Option<String> {
    let mut value = detail.clone();
    for key in path {
        value = js_sys::Reflect::get(&value, &(*key).into()).ok()?;
    }
    value.as_string()
}

// --- tests -------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_member_sees_a_list_of_offers_with_their_dates_in_english() {
    serve("members-en", &member_page("Gold"));
    let parent = container();
    let m = panel(&parent, "members-en", "en", Some("v1.token+/="));
    until("the offers", || count(&m.shadow, "article.offer-card") == 3).await;

    assert_eq!(text(&m.shadow, ".offers-heading"), "Gold member");
    let list = one(&m.shadow, "ul.offer-list");
    assert_eq!(list.get_attribute("role").as_deref(), Some("list"));
    assert_eq!(count(&m.shadow, "ul.offer-list > li > article"), 3);
    let section = one(&m.shadow, "section.offers");
    let labelled = section.get_attribute("aria-labelledby").expect("labelled");
    assert_eq!(
        one(&m.shadow, ".offers-heading").id(),
        labelled,
        "the section is named by its heading"
    );

    let gold = card(&m.shadow, "20% off everything");
    assert_eq!(
        find_in(&gold, ".offer-description")
            .and_then(|e| e.text_content())
            .as_deref(),
        Some("Details of 20% off everything")
    );
    let until_date = find_in(&gold, ".offer-until time").expect("a date");
    assert_eq!(until_date.text_content().as_deref(), Some("Until 30 Nov"));
    assert_eq!(
        until_date.get_attribute("datetime").as_deref(),
        Some("2026-11-30T12:00:00.000Z")
    );
    let button = find_in(&gold, "button.claim-button").expect("a claim button");
    assert_eq!(
        button.text_content().as_deref(),
        Some("Claim 20% off everything"),
        "the button names its offer for screen readers"
    );
    assert_eq!(
        button.get_attribute("aria-disabled").as_deref(),
        Some("false")
    );

    let sold = card(&m.shadow, "Free tasting set");
    assert!(
        find_in(&sold, "button.claim-button").is_none(),
        "not claimable"
    );
    assert_eq!(
        find_in(&sold, ".offer-sold-out")
            .and_then(|e| e.text_content())
            .as_deref(),
        Some("Sold out")
    );
    let had = card(&m.shadow, "Free shipping");
    assert!(find_in(&had, "button.claim-button").is_none());
    assert!(find_in(&had, ".offer-until").is_none(), "open-ended");
    assert_eq!(
        find_in(&had, ".offer-code")
            .and_then(|e| e.text_content())
            .as_deref(),
        Some("SHIP-FREE"),
        "a code claimed earlier is shown again"
    );
    assert!(find_in(&had, ".copy-button").is_some());
    assert_eq!(
        find_in(&had, ".claim-status")
            .and_then(|e| e.text_content())
            .as_deref(),
        Some(""),
        "a code that came with the page is not announced"
    );

    assert_eq!(
        loads("members-en").first(),
        Some(&OffersQuery {
            store: "members-en".into(),
            token: Some("v1.token+/=".into()),
            locale: Some("en".into()),
        }),
        "the token goes in the body"
    );
    let log = requests();
    assert!(
        log.iter()
            .any(|r| r.url == "/offers-api/v1/offers" && r.method == "POST"),
        "{log:?}"
    );
    assert!(
        !log.iter().any(|r| r.url.contains("token")
            || r.url.contains("v1.token")
            || r.body
                .as_deref()
                .is_some_and(|b| b.contains("m-should-not-be-sent"))),
        "{log:?}"
    );
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn two_panels_on_a_page_keep_their_own_language_and_offers() {
    serve("members-a", &member_page("Gold"));
    let mut zh = member_page("黄金");
    zh.offers.truncate(1);
    zh.offers[0].title = "全场八折".into();
    zh.offers[0].ends_at = Some(NOV_30_NOON + 365 * 24 * HOUR + 1);
    serve("members-zh", &zh);
    let parent = container();
    let en = panel(&parent, "members-a", "en", Some("t-en"));
    let cn = panel(&parent, "members-zh", "zh-CN", Some("t-zh"));
    until("both panels", || {
        count(&en.shadow, "article.offer-card") == 3 && count(&cn.shadow, "article.offer-card") == 1
    })
    .await;
    assert_eq!(text(&cn.shadow, ".offers-heading"), "黄金会员");
    assert_eq!(
        text(&cn.shadow, ".offer-until"),
        "截至 2027年11月30日",
        "another year is named"
    );
    assert_eq!(text(&cn.shadow, ".claim-button"), "领取 全场八折");
    assert_eq!(text(&en.shadow, ".offers-heading"), "Gold member");
    assert_ne!(
        one(&en.shadow, ".offers-heading").id(),
        one(&cn.shadow, ".offers-heading").id(),
        "each panel's heading has its own id"
    );
    en.done();
    assert_eq!(
        text(&cn.shadow, ".offers-heading"),
        "黄金会员",
        "the other stays"
    );
    cn.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn chinese_dates_read_month_then_day() {
    let mut page = member_page("黄金");
    page.offers.truncate(1);
    serve("members-zh-date", &page);
    let parent = container();
    let m = panel(&parent, "members-zh-date", "zh-CN", Some("t"));
    until("the offer", || count(&m.shadow, "article.offer-card") == 1).await;
    assert_eq!(text(&m.shadow, ".offer-until"), "截至 11月30日");
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn a_guest_sees_locked_benefits_and_the_join_link() {
    serve("guests", &guest_page(MemberStatus::Guest));
    let parent = container();
    let m = panel(&parent, "guests", "en", None);
    until("the locked offers", || {
        count(&m.shadow, ".offer-card.locked") == 2
    })
    .await;
    assert_eq!(text(&m.shadow, ".offers-heading"), "Members get more");
    assert_eq!(
        one(&m.shadow, "ul.locked-list")
            .get_attribute("role")
            .as_deref(),
        Some("list")
    );
    let first = &all(&m.shadow, ".offer-card.locked")[0];
    let icon = find_in(first, "svg.lock-icon").expect("a lock");
    assert_eq!(icon.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert_eq!(
        find_in(first, ".offer-title")
            .and_then(|e| e.text_content())
            .as_deref(),
        Some("Members only: Gold members: 20% off every Tuesday drop")
    );
    assert_eq!(
        find_in(first, ".offer-audience")
            .and_then(|e| e.text_content())
            .as_deref(),
        Some("For Gold members")
    );
    assert_eq!(count(&m.shadow, "button"), 0, "nothing to claim");
    let link = one(&m.shadow, "a.join-link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/account/join?next=%2Foffers")
    );
    assert_eq!(link.text_content().as_deref(), Some("Join the club"));
    let guest_loads = loads("guests");
    assert!(
        !guest_loads.is_empty() && guest_loads.iter().all(|q| q.token.is_none()),
        "no token, none sent"
    );
    m.done();

    // An address that is not a web page is not linked.
    let mut bad = guest_page(MemberStatus::Invalid);
    bad.join = Some(JoinLink {
        url: "javascript:alert(1)".into(),
        label: "Join".into(),
    });
    serve("guests-bad-link", &bad);
    let m = panel(&parent, "guests-bad-link", "en", Some("forged"));
    until("the locked offers", || {
        count(&m.shadow, ".offer-card.locked") == 2
    })
    .await;
    assert_eq!(count(&m.shadow, "a"), 0);
    m.done();
    parent.remove();
}

/// Clicks the claim button of `title` after focusing it, as a keyboard user would.
fn press_claim(root: &ShadowRoot, title: &str) {
    let button: HtmlElement = find_in(&card(root, title), "button.claim-button")
        .expect("claim button")
        .unchecked_into();
    button.focus().expect("focusable");
    button.click();
}

/// The result id of the `offer.claimed` results heard so far, in order.
fn claim_ids(seen: &Heard) -> Vec<String> {
    seen.borrow()
        .iter()
        .filter(|d| field(d, &["type"]).as_deref() == Some("offer.claimed"))
        .filter_map(|d| field(d, &["id"]))
        .collect()
}

#[wasm_bindgen_test]
async fn a_claim_is_queued_then_its_code_is_revealed_announced_and_focused() {
    serve("claims", &member_page("Gold"));
    let parent = container();
    let m = panel(&parent, "claims", "en", Some("v1.member"));
    let (results, _keep) = listen(&parent, RESULT_EVENT);
    until("the offers", || count(&m.shadow, "article.offer-card") == 3).await;

    press_claim(&m.shadow, "20% off everything");
    // A second press while the first is on its way sends nothing.
    let button = find_in(&card(&m.shadow, "20% off everything"), "button").expect("button");
    button.unchecked_ref::<HtmlElement>().click();
    until("the claim queued", || claim_ids(&results).len() == 1).await;
    let gold = card(&m.shadow, "20% off everything");
    let button = find_in(&gold, "button.claim-button").expect("the button stays while busy");
    assert_eq!(
        button.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(
        button
            .text_content()
            .unwrap_or_default()
            .starts_with("Claiming…")
    );
    let detail = results
        .borrow()
        .iter()
        .find(|d| field(d, &["type"]).as_deref() == Some("offer.claimed"))
        .cloned()
        .expect("the result");
    assert_eq!(
        field(&detail, &["data", "offer"]).as_deref(),
        Some("gold20")
    );
    assert_eq!(
        field(&detail, &["data", "member_token"]).as_deref(),
        Some("v1.member")
    );
    let id = claim_ids(&results)[0].clone();
    let waiting = outbox::pending(ENDPOINT, js_sys::Date::now() as u64)
        .await
        .expect("outbox readable");
    assert!(
        waiting.iter().any(|e| e.id == id),
        "the claim waits in the outbox"
    );

    // The endpoint does not answer: after a while the member is told it is saved.
    let status = || {
        find_in(&card(&m.shadow, "20% off everything"), ".claim-status")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    until_within(6_000, "the saved message", || status() == EN.claim_saved).await;
    let region = find_in(&gold, ".claim-status").expect("status");
    assert_eq!(region.get_attribute("aria-live").as_deref(), Some("polite"));

    // The answer arrives: the code is shown, announced and focused.
    acks::settle(
        &id,
        Settlement {
            status: AckStatus::Accepted,
            reason: None,
            reward: Some(IssuedCode {
                code: "GOLD-20".into(),
                description: None,
            }),
        },
    );
    until("the code", || status() == "Your code is GOLD-20").await;
    let gold = card(&m.shadow, "20% off everything");
    assert_eq!(
        find_in(&gold, ".offer-code")
            .and_then(|e| e.text_content())
            .as_deref(),
        Some("GOLD-20")
    );
    assert!(find_in(&gold, "button.claim-button").is_none());
    let copy = find_in(&gold, ".copy-button").expect("a copy button");
    assert_eq!(copy.text_content().as_deref(), Some("Copy code"));
    assert_eq!(
        m.shadow.active_element().as_ref(),
        Some(&copy),
        "focus moved from the claim button to the copy button"
    );
    assert_eq!(claim_ids(&results).len(), 1, "one claim, one result");

    outbox::remove(&[id]).await.expect("cleanup");
    parent
        .remove_event_listener_with_callback(RESULT_EVENT, _keep.as_ref().unchecked_ref())
        .expect("unlisten");
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn refusals_are_said_in_plain_words_and_an_expired_token_is_reported() {
    let mut page = member_page("Gold");
    page.offers.push(offer("second", "Birthday gift"));
    serve("refusals", &page);
    let parent = container();
    let m = panel(&parent, "refusals", "en", Some("v1.old"));
    let (results, _keep_results) = listen(&parent, RESULT_EVENT);
    let (expired, _keep_expired) = listen(&parent, TOKEN_EXPIRED_EVENT);
    until("the offers", || count(&m.shadow, "article.offer-card") == 4).await;

    let status_of = |title: &str| {
        find_in(&card(&m.shadow, title), ".claim-status")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    press_claim(&m.shadow, "20% off everything");
    until("the first claim", || claim_ids(&results).len() == 1).await;
    let first = claim_ids(&results)[0].clone();
    acks::settle(
        &first,
        Settlement {
            status: AckStatus::Rejected,
            reason: Some("claim_limit_reached".into()),
            reward: None,
        },
    );
    until("the refusal", || {
        status_of("20% off everything") == EN.refused_limit
    })
    .await;
    let refused = card(&m.shadow, "20% off everything");
    assert!(find_in(&refused, "button").is_none(), "not claimable again");
    assert_eq!(
        m.shadow.active_element().as_ref(),
        Some(&refused),
        "focus stays on the card"
    );
    assert!(expired.borrow().is_empty());

    press_claim(&m.shadow, "Birthday gift");
    until("the second claim", || claim_ids(&results).len() == 2).await;
    let second = claim_ids(&results)[1].clone();
    acks::settle(
        &second,
        Settlement {
            status: AckStatus::Rejected,
            reason: Some("token_expired".into()),
            reward: None,
        },
    );
    until("the expiry", || {
        status_of("Birthday gift") == EN.token_expired
    })
    .await;
    assert_eq!(
        EN.token_expired,
        "Your sign-in has expired; reload the page."
    );
    until("the event", || expired.borrow().len() == 1).await;
    assert_eq!(
        field(&expired.borrow()[0], &["store"]).as_deref(),
        Some("refusals")
    );

    outbox::remove(&[first, second]).await.expect("cleanup");
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn an_expired_sign_in_is_told_to_the_page_and_the_shopper() {
    serve("expired", &guest_page(MemberStatus::Expired));
    let parent = container();
    let (heard, _keep) = listen(&parent, TOKEN_EXPIRED_EVENT);
    let m = panel(&parent, "expired", "en", Some("v1.expired"));
    until("the event", || heard.borrow().len() == 1).await;
    assert_eq!(
        field(&heard.borrow()[0], &["store"]).as_deref(),
        Some("expired")
    );
    assert_eq!(text(&m.shadow, ".offers-notice"), EN.token_expired);
    assert_eq!(
        count(&m.shadow, ".offer-card.locked"),
        2,
        "the teaser stays"
    );
    yew::scheduler::flush().await;
    assert_eq!(heard.borrow().len(), 1, "told once");
    m.done();

    // In Chinese too.
    serve("expired-zh", &guest_page(MemberStatus::Expired));
    let m = panel(&parent, "expired-zh", "zh-CN", Some("v1.expired"));
    until("the notice", || count(&m.shadow, ".offers-notice") == 1).await;
    assert_eq!(text(&m.shadow, ".offers-notice"), ZH_CN.token_expired);
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn the_countdown_ticks_on_its_own_without_touching_the_offers() {
    // The device's clock is irrelevant: the page says the server's time is NOW.
    let mut page = member_page("Gold");
    page.drop = Some(drop_in(HOUR + 500, true));
    serve("drop", &page);
    let parent = container();
    let m = panel(&parent, "drop", "en", Some("t"));
    until("the drop", || count(&m.shadow, ".drop .countdown") == 1).await;

    let countdown = one(&m.shadow, ".drop .countdown");
    assert_eq!(
        countdown.get_attribute("aria-hidden").as_deref(),
        Some("true")
    );
    let first = countdown.text_content().unwrap_or_default();
    assert!(
        first == "in 01:00:01" || first == "in 01:00:00",
        "counted from the server's clock: {first}"
    );
    let label = text(&m.shadow, ".drop-label");
    assert!(label.starts_with("Opens "), "a static label: {label}");
    assert_eq!(text(&m.shadow, ".drop-title"), "Tuesday tea drop");
    assert_eq!(text(&m.shadow, ".drop-early"), "Early access for you");
    assert_eq!(
        count(&m.shadow, ".drop [aria-live]"),
        0,
        "not announced every second"
    );

    // Watch the offer list: the tick must not touch it.
    let list = one(&m.shadow, "ul.offer-list");
    let first_card = one(&m.shadow, "ul.offer-list > li");
    let window = web_sys::window().expect("window");
    js_sys::Reflect::set(&window, &"__encoreWatched".into(), &list).expect("set");
    js_sys::Reflect::set(&window, &"__encoreDrop".into(), &one(&m.shadow, ".drop")).expect("set");
    js_sys::eval(
        "window.__encoreListChanges = 0; window.__encoreDropChanges = 0;\
         const options = {subtree: true, childList: true, characterData: true, attributes: true};\
         window.__encoreObservers = [\
           new MutationObserver(m => { window.__encoreListChanges += m.length; }),\
           new MutationObserver(m => { window.__encoreDropChanges += m.length; })];\
         window.__encoreObservers[0].observe(window.__encoreWatched, options);\
         window.__encoreObservers[1].observe(window.__encoreDrop, options);",
    )
    .expect("observing");

    // A real wait: the countdown ticks once a second on its own.
    TimeoutFuture::new(1_200).await;
    yew::scheduler::flush().await;
    let later = one(&m.shadow, ".drop .countdown")
        .text_content()
        .unwrap_or_default();
    assert_ne!(later, first, "the countdown moved on");
    assert_eq!(
        one(&m.shadow, "ul.offer-list > li"),
        first_card,
        "the same card node"
    );
    assert!(one(&m.shadow, "ul.offer-list").is_same_node(Some(&list)));
    let number = |name: &str| global(name).as_f64().unwrap_or(-1.0);
    assert!(number("__encoreDropChanges") > 0.0, "the drop did change");
    assert_eq!(
        number("__encoreListChanges"),
        0.0,
        "the offers were not touched"
    );
    js_sys::eval("window.__encoreObservers.forEach(o => o.disconnect());").expect("disconnect");
    m.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn an_open_drop_and_a_guests_public_opening() {
    let mut page = guest_page(MemberStatus::Guest);
    // Open for early members already, not yet for the public: a guest counts to the public.
    page.drop = Some(drop_in(0, true));
    serve("drop-guest", &page);
    let mut members = member_page("Gold");
    members.drop = Some(drop_in(0, true));
    serve("drop-member", &members);
    let parent = container();
    let guest = panel(&parent, "drop-guest", "en", None);
    let member = panel(&parent, "drop-member", "zh-CN", Some("t"));
    until("both drops", || {
        count(&guest.shadow, ".drop") == 1 && count(&member.shadow, ".drop") == 1
    })
    .await;
    let guest_countdown = text(&guest.shadow, ".countdown");
    assert!(
        guest_countdown.starts_with("in 00:59:") || guest_countdown == "in 01:00:00",
        "{guest_countdown}"
    );
    assert_eq!(count(&guest.shadow, ".drop-early"), 0);
    assert!(text(&member.shadow, ".drop-label").starts_with("正在进行，截至 "));
    assert_eq!(count(&member.shadow, ".countdown"), 0);
    assert_eq!(text(&member.shadow, ".drop-early"), ZH_CN.drop_early);
    guest.done();
    member.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn hostile_text_from_the_endpoint_stays_text() {
    const HOSTILE: &str = "<img src=x onerror=\"window.__encorePwned=1\"><b>bold</b>";
    let mut page = member_page(HOSTILE);
    page.offers[0].title = HOSTILE.into();
    page.offers[0].description = HOSTILE.into();
    page.drop = Some(drop_in(HOUR, false));
    page.drop.as_mut().expect("drop").title = HOSTILE.into();
    serve("hostile", &page);
    let mut guest = guest_page(MemberStatus::Guest);
    guest.locked[0].title = HOSTILE.into();
    guest.locked[0].audience = Some(HOSTILE.into());
    guest.join.as_mut().expect("join").label = HOSTILE.into();
    serve("hostile-guest", &guest);
    let parent = container();
    let m = panel(&parent, "hostile", "en", Some("t"));
    let g = panel(&parent, "hostile-guest", "en", None);
    until("both panels", || {
        count(&m.shadow, "article.offer-card") == 3 && count(&g.shadow, ".offer-card.locked") == 2
    })
    .await;
    for shadow in [&m.shadow, &g.shadow] {
        assert_eq!(count(shadow, "img"), 0);
        assert_eq!(count(shadow, "b"), 0);
    }
    assert_eq!(
        text(&m.shadow, ".offers-heading"),
        format!("{HOSTILE} member")
    );
    assert_eq!(text(&m.shadow, "article .offer-title"), HOSTILE);
    assert_eq!(text(&m.shadow, "article .offer-description"), HOSTILE);
    assert_eq!(text(&m.shadow, ".drop-title"), HOSTILE);
    assert_eq!(text(&g.shadow, ".offer-audience"), HOSTILE);
    assert_eq!(text(&g.shadow, ".join-link"), HOSTILE);
    // A real wait: a handler smuggled into the page (an image's `onerror`) would run on the
    // browser's schedule, not the widget's.
    TimeoutFuture::new(50).await;
    assert!(global("__encorePwned").is_undefined(), "no script ran");
    m.done();
    g.done();
    parent.remove();
}

#[wasm_bindgen_test]
async fn a_failed_load_says_so_and_try_again_loads_again() {
    serve("flaky", &member_page("Gold"));
    fail("flaky", 1);
    let parent = container();
    let m = panel(&parent, "flaky", "en", Some("t"));
    yew::scheduler::flush().await;
    assert_eq!(text(&m.shadow, ".offers-status"), EN.loading);
    until("the error", || count(&m.shadow, ".offers-error") == 1).await;
    let error = one(&m.shadow, ".offers-error");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert!(
        error
            .text_content()
            .unwrap_or_default()
            .contains(EN.load_failed)
    );
    let retry: HtmlElement = one(&m.shadow, ".offers-error button").unchecked_into();
    assert_eq!(retry.text_content().as_deref(), Some("Try again"));
    retry.focus().expect("focusable");
    retry.click();
    until("the offers", || count(&m.shadow, "article.offer-card") == 3).await;
    assert_eq!(
        m.shadow.active_element().map(|e| e.class_name()).as_deref(),
        Some("offers-heading"),
        "focus follows to the loaded offers"
    );
    assert_eq!(loads("flaky").len(), 2);
    m.done();
    parent.remove();
}

/// A widget mounted as the loader mounts it.
fn mounted(parent: &Element, attrs: &[(&str, &str)]) -> (ShadowRoot, encore::Widget) {
    let (host, shadow) = host(parent, attrs);
    let widget = encore::mount(host, shadow.clone()).expect("mounts");
    (shadow, widget)
}

#[wasm_bindgen_test]
async fn the_surfaces_show_the_panel_and_an_empty_store_shows_nothing() {
    serve("surfaces", &member_page("Gold"));
    let empty = OffersPage {
        status: MemberStatus::Guest,
        offers: vec![],
        locked: vec![],
        join: None,
        drop: None,
        now: NOW,
    };
    serve("surfaces-empty", &empty);
    let parent = container();

    let (offers, offers_widget) = mounted(
        &parent,
        &[
            ("mode", "offers"),
            ("store", "surfaces"),
            ("locale", "en"),
            ("member-token", "t"),
        ],
    );
    let (thanks, thanks_widget) = mounted(
        &parent,
        &[
            ("mode", "thank-you"),
            ("store", "surfaces"),
            ("locale", "en"),
            ("member-token", "t"),
        ],
    );
    let (product, product_widget) = mounted(
        &parent,
        &[
            ("mode", "product"),
            ("store", "surfaces"),
            ("product", "sku-1"),
            ("locale", "en"),
            ("member-token", "t"),
        ],
    );
    let (bare, bare_widget) = mounted(
        &parent,
        &[
            ("mode", "offers"),
            ("store", "surfaces-empty"),
            ("locale", "en"),
        ],
    );
    until("the panels", || {
        [&offers, &thanks, &product]
            .iter()
            .all(|s| count(s, "article.offer-card") == 3)
    })
    .await;
    assert_eq!(text(&offers, "h2"), "Member offers");
    assert_eq!(count(&offers, ".product-reviews"), 0);
    assert_eq!(text(&thanks, "h2"), "Thank you for your order");
    let compact = one(&product, "section.offers.compact");
    let reviews = one(&product, ".product-reviews");
    assert_eq!(
        compact.next_element_sibling().as_ref(),
        Some(&reviews),
        "the teaser sits right above the reviews"
    );

    // While it loads, the panel says so; once the empty page is in, it shows nothing.
    until("the empty store's answer", || {
        !loads("surfaces-empty").is_empty() && count(&bare, ".offers") == 0
    })
    .await;
    assert_eq!(count(&bare, ".offers"), 0, "nothing to show, nothing shown");
    assert_eq!(text(&bare, "h2"), "Member offers");

    // A product page whose offers cannot be loaded stays quiet about them.
    let (quiet, quiet_widget) = mounted(
        &parent,
        &[
            ("mode", "product"),
            ("store", "no-such-store"),
            ("product", "sku-1"),
            ("locale", "en"),
        ],
    );
    // The reviews wait for the teaser (or its failure) before they show theirs: once the
    // reviews' own error is there, the offers' answer has been taken in.
    until("the unknown store's answer", || {
        !loads("no-such-store").is_empty() && count(&quiet, ".product-reviews .load-error") == 1
    })
    .await;
    assert_eq!(count(&quiet, ".offers"), 0);
    assert_eq!(
        count(&quiet, ".offers-error"),
        0,
        "no offers error on a product page"
    );

    for widget in [
        offers_widget,
        thanks_widget,
        product_widget,
        bare_widget,
        quiet_widget,
    ] {
        widget.unmount();
    }
    parent.remove();
}
