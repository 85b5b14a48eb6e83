//! Browser tests of the review form (wasm-bindgen-test in headless Chromium): the star radio
//! group, validation and focus, the live counter, photo preparation, photos queued with their
//! review, the honeypot, and the reward with its copy button.
#![cfg(target_arch = "wasm32")]

#[path = "support/browser.rs"]
mod browser;

use browser::{
    Reply, Route, all, context, document, one, requested, restore_fetch, settle, styled_root,
    until, widget_host,
};
use encore::context::WidgetContext;
use encore::reviews::form::ReviewForm;
use encore::reviews::form::api::load_request;
use encore::reviews::form::outcome::Outcome;
use encore::reviews::form::photos::prepare;
use encore::reviews::form::state::Phase;
use encore::reviews::form::strings::EN;
use encore::transport::outbox;
use encore::transport::photos::PendingPhoto;
use encore::transport::results::{emit_with_photos, new_event_id};
use encore_core::events::EventBody;
use encore_core::issued_code::IssuedCode;
use encore_core::reviews::{FormSpec, RequestItem, ReviewRequest, ReviewSubmitted};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{
    Blob, CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlElement, HtmlInputElement,
    HtmlTextAreaElement, ImageBitmap, ShadowRoot,
};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const DEAD_ENDPOINT: &str = "http://127.0.0.1:9";

/// A fresh `<encore-widget>` with an open shadow root and a div to render into.
fn host(endpoint: &str) -> (HtmlElement, ShadowRoot, Element) {
    let body = document().body().expect("body");
    let (el, shadow) = widget_host(
        &body,
        &[
            ("mode", "product"),
            ("endpoint", endpoint),
            ("store", "demo"),
            ("product", "tea"),
            ("locale", "en"),
        ],
    );
    let root = styled_root(&shadow);
    (el, shadow, root)
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    ctx: WidgetContext,
    #[prop_or_default]
    phase: Option<Phase>,
}

#[component]
fn Harness(props: &HarnessProps) -> Html {
    let form = Rc::new(FormSpec::default());
    html! {
        <ContextProvider<WidgetContext> context={props.ctx.clone()}>
            if let Some(phase) = props.phase.clone() {
                <Outcome {phase} strings={&EN} />
            } else {
                <ReviewForm product="tea" product_name="Jasmine tea" {form} />
            }
        </ContextProvider<WidgetContext>>
    }
}

async fn form_in_shadow(
    phase: Option<Phase>,
) -> (HtmlElement, ShadowRoot, yew::AppHandle<Harness>) {
    let (el, shadow, root) = host(DEAD_ENDPOINT);
    let props = HarnessProps {
        ctx: context(&el),
        phase,
    };
    let app = yew::Renderer::<Harness>::with_root_and_props(root, props).render();
    yew::scheduler::flush().await;
    (el, shadow, app)
}

fn done(el: HtmlElement, app: yew::AppHandle<Harness>) {
    app.destroy();
    el.remove();
}

#[wasm_bindgen_test]
async fn the_rating_is_a_required_group_of_five_labelled_radios() {
    let (el, shadow, app) = form_in_shadow(None).await;
    let radios = all(&shadow, "fieldset.star-input input[type=radio]");
    assert_eq!(radios.len(), 5);
    let name = radios[0].get_attribute("name").expect("a name");
    for (i, radio) in radios.iter().enumerate() {
        assert_eq!(radio.get_attribute("name").as_deref(), Some(name.as_str()));
        let input: &HtmlInputElement = radio.unchecked_ref();
        assert!(input.required(), "required");
        let id = radio.id();
        let label = one(&shadow, &format!("label[for='{id}']"));
        let expected = if i == 0 {
            "1 star".to_owned()
        } else {
            format!("{} stars", i + 1)
        };
        assert_eq!(
            label
                .text_content()
                .unwrap_or_default()
                .trim_start_matches('★'),
            expected
        );
    }
    let legend = one(&shadow, "fieldset.star-input legend")
        .text_content()
        .unwrap_or_default();
    assert!(
        legend.contains("Your rating") && legend.contains("(required)"),
        "{legend}"
    );

    radios[3].unchecked_ref::<HtmlElement>().click();
    yew::scheduler::flush().await;
    assert!(radios[3].unchecked_ref::<HtmlInputElement>().checked());
    assert_eq!(
        all(&shadow, ".star-label.filled").len(),
        4,
        "four stars shown filled"
    );
    done(el, app);
}

#[wasm_bindgen_test]
async fn submitting_an_empty_form_explains_each_problem_and_focuses_the_first() {
    let (el, shadow, app) = form_in_shadow(None).await;
    one(&shadow, "button[type=submit]")
        .unchecked_into::<HtmlElement>()
        .click();
    yew::scheduler::flush().await;

    let summary = one(&shadow, ".error-summary")
        .text_content()
        .unwrap_or_default();
    assert!(summary.contains("Choose a rating"), "{summary}");
    assert!(summary.contains("at least 20 characters"), "{summary}");
    assert!(summary.contains("Enter the name"), "{summary}");
    let first_radio = all(&shadow, "fieldset.star-input input[type=radio]")[0].clone();
    assert_eq!(
        shadow.active_element(),
        Some(first_radio),
        "focus on the rating"
    );

    let body = one(&shadow, "textarea");
    assert_eq!(body.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = body.get_attribute("aria-describedby").unwrap_or_default();
    let error_id = described
        .split(' ')
        .find(|id| id.ends_with("-error"))
        .expect("the error is linked");
    let message = one(&shadow, &format!("#{error_id}"))
        .text_content()
        .unwrap_or_default();
    assert_eq!(message, "Write at least 20 characters.");
    done(el, app);
}

fn type_into(field: &Element, text: &str) {
    if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(text);
    } else {
        field.unchecked_ref::<HtmlInputElement>().set_value(text);
    }
    let event = web_sys::InputEvent::new("input").expect("event");
    field.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn the_counter_updates_live_but_speaks_only_at_thresholds() {
    let (el, shadow, app) = form_in_shadow(None).await;
    let body = one(&shadow, "textarea");
    type_into(&body, "0123456789");
    yew::scheduler::flush().await;
    let counter = || one(&shadow, ".counter").text_content().unwrap_or_default();
    let spoken = || {
        one(&shadow, ".counter-live")
            .text_content()
            .unwrap_or_default()
    };
    assert_eq!(counter(), "10 more characters needed");
    assert_eq!(spoken(), "10 more characters needed");
    assert_eq!(
        one(&shadow, ".counter-live")
            .get_attribute("aria-live")
            .as_deref(),
        Some("polite")
    );
    type_into(&body, "0123456789ab");
    yew::scheduler::flush().await;
    assert_eq!(counter(), "8 more characters needed");
    assert_eq!(
        spoken(),
        "10 more characters needed",
        "no announcement between thresholds"
    );
    type_into(&body, "01234567890123456789");
    yew::scheduler::flush().await;
    assert_eq!(spoken(), "Minimum length reached");
    done(el, app);
}

async fn noisy_png(width: u32, height: u32) -> Blob {
    let canvas: HtmlCanvasElement = document()
        .create_element("canvas")
        .expect("canvas")
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("context")
        .expect("2d")
        .unchecked_into();
    let mut pixels = vec![0u8; (width * height * 4) as usize];
    let mut seed: u32 = 12345;
    for chunk in pixels.chunks_mut(4) {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        chunk[0] = (seed >> 16) as u8;
        chunk[1] = (seed >> 8) as u8;
        chunk[2] = (seed >> 24) as u8;
        chunk[3] = 255;
    }
    let data = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(&pixels),
        width,
        height,
    )
    .expect("image data");
    context.put_image_data(&data, 0.0, 0.0).expect("drawn");
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        canvas
            .to_blob_with_type(&resolve, "image/png")
            .expect("toBlob");
    });
    JsFuture::from(promise)
        .await
        .expect("a png")
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn a_large_photo_becomes_a_small_jpeg() {
    let png = noisy_png(3000, 2000).await;
    assert!(
        png.size() > 500.0 * 1024.0,
        "the input is larger than the target"
    );
    let prepared = prepare(&png).await.expect("prepared");
    assert_eq!(prepared.blob.type_(), "image/jpeg");
    assert!(
        prepared.blob.size() <= 500.0 * 1024.0,
        "{} bytes",
        prepared.blob.size()
    );
    let window = web_sys::window().expect("window");
    let bitmap: ImageBitmap = JsFuture::from(
        window
            .create_image_bitmap_with_blob(&prepared.blob)
            .expect("decode"),
    )
    .await
    .expect("decodes")
    .unchecked_into();
    assert_eq!(
        (bitmap.width(), bitmap.height()),
        (1600, 1067),
        "long side 1600, shape kept"
    );
    assert_eq!(
        (prepared.width, prepared.height),
        (bitmap.width(), bitmap.height())
    );
}

#[wasm_bindgen_test]
async fn something_not_an_image_is_reported_as_unsupported() {
    let parts = js_sys::Array::of1(&JsValue::from_str("not an image"));
    let blob = Blob::new_with_str_sequence(&parts).expect("blob");
    assert_eq!(
        prepare(&blob).await.err(),
        Some(encore::reviews::form::photos::PrepareError::Unsupported)
    );
}

fn review() -> ReviewSubmitted {
    ReviewSubmitted {
        product: "tea".into(),
        order: None,
        order_token: None,
        rating: 5,
        title: String::new(),
        body: "Floral, clean and sweet; brews three times.".into(),
        name: "Mei".into(),
        answers: vec![],
        photos: vec![],
        locale: "en".into(),
        fill_ms: 30_000,
        website: String::new(),
    }
}

#[wasm_bindgen_test]
async fn a_review_and_its_photos_are_queued_together_and_stay_while_unreachable() {
    const ENDPOINT: &str = "http://127.0.0.1:9/photos-test";
    // The endpoint cannot be reached: every upload fails to connect, as offline.
    let uploads = Route::path("/photos-test/v1/photos");
    browser::serve(&uploads, Reply::new(201, "{}"));
    browser::change(&uploads, "network", u32::MAX);
    let (el, _shadow, root) = host(ENDPOINT);
    let ctx = context(&el);
    let photos: Vec<PendingPhoto> = (0..2)
        .map(|i| PendingPhoto {
            id: new_event_id().to_string(),
            blob: Blob::new_with_str_sequence(&js_sys::Array::of1(&format!("jpeg {i}").into()))
                .expect("blob"),
            content_type: "image/jpeg".into(),
        })
        .collect();
    let ids: Vec<String> = photos.iter().map(|p| p.id.clone()).collect();
    let mut body = review();
    body.photos = ids.clone();
    let event = emit_with_photos(&el, &ctx.config, EventBody::ReviewSubmitted(body), photos)
        .await
        .expect("queued");
    let id = event.id.to_string();

    // Let the sender try (and fail) to upload: nothing may be lost.
    until("the sender's upload", || {
        requested("/photos-test/v1/photos") > 0
    })
    .await;
    settle().await;
    restore_fetch();
    outbox::close();
    let waiting = outbox::pending(ENDPOINT, js_sys::Date::now() as u64)
        .await
        .expect("readable");
    let entry = waiting
        .iter()
        .find(|e| e.id == id)
        .expect("the review waits");
    assert_eq!(entry.attachments, ids);
    for photo_id in &ids {
        let photo = outbox::photo(photo_id)
            .await
            .expect("readable")
            .expect("the photo waits");
        assert_eq!(photo.endpoint, ENDPOINT);
        assert_eq!(photo.store, "demo");
        assert_eq!(photo.content_type, "image/jpeg");
        assert_eq!(photo.blob.size(), 6.0);
    }

    outbox::remove(std::slice::from_ref(&id))
        .await
        .expect("removed");
    for photo_id in &ids {
        assert!(
            outbox::photo(photo_id).await.expect("readable").is_none(),
            "a forgotten review takes its photos with it"
        );
    }
    root.remove();
    el.remove();
}

#[wasm_bindgen_test]
async fn the_honeypot_is_there_for_bots_only() {
    let (el, shadow, app) = form_in_shadow(None).await;
    let input = one(&shadow, "input[name=website]");
    assert_eq!(input.get_attribute("tabindex").as_deref(), Some("-1"));
    assert_eq!(input.get_attribute("autocomplete").as_deref(), Some("off"));
    let wrapper = input.parent_element().expect("wrapper");
    assert_eq!(
        wrapper.get_attribute("aria-hidden").as_deref(),
        Some("true")
    );
    let wrapper: &HtmlElement = wrapper.unchecked_ref();
    assert!(
        wrapper.offset_left() < -1000,
        "off-screen: {}",
        wrapper.offset_left()
    );
    done(el, app);
}

#[wasm_bindgen_test]
async fn a_reward_is_shown_with_a_copy_button_that_reports_back() {
    let reward = IssuedCode {
        code: "THANKS-10".into(),
        description: Some("10% off".into()),
    };
    let (el, shadow, app) = form_in_shadow(Some(Phase::Received {
        reward: Some(reward),
    }))
    .await;
    let text = one(&shadow, ".outcome").text_content().unwrap_or_default();
    assert!(
        text.contains("Thank you! Your review was received."),
        "{text}"
    );
    assert_eq!(
        one(&shadow, ".reward-code").text_content().as_deref(),
        Some("THANKS-10")
    );
    let status = one(&shadow, ".copy-status");
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(status.text_content().unwrap_or_default(), "");
    one(&shadow, ".copy-button")
        .unchecked_into::<HtmlElement>()
        .click();
    let said = || status.text_content().unwrap_or_default();
    until("the copy's outcome", || !said().is_empty()).await;
    let said = said();
    assert!(said == EN.copied || said == EN.copy_failed, "{said:?}");
    done(el, app);
}

/// The review-request link's order token lives for months and names the buyer: it goes in a
/// `text/plain` `POST` body (no preflight), never in the URL.
#[wasm_bindgen_test]
async fn the_review_request_sends_its_order_token_in_the_body_not_the_url() {
    const ENDPOINT: &str = "http://127.0.0.1:9/request-test";
    let answer = ReviewRequest {
        order: "1001".into(),
        verified: true,
        problem: None,
        items: vec![RequestItem {
            product: "tea".into(),
            name: "Jasmine tea".into(),
            done: false,
            reward: None,
        }],
        form: FormSpec::default(),
    };
    let answer = serde_json::to_string(&answer).expect("serialisable");
    browser::serve(
        &Route::path("/request-test/v1/orders/1001/review-request").json("store", "demo"),
        Reply::new(200, &answer),
    );
    let (el, _shadow, _root) = host(ENDPOINT);
    let ctx = context(&el);
    let request = load_request(&ctx.config, "1001", Some("v1.order+/=token"))
        .await
        .expect("the stub's answer");
    assert!(request.verified);
    assert_eq!(request.items.len(), 1);
    let reads = browser::reads_of("/request-test/v1/orders/1001/review-request");
    assert_eq!(
        reads,
        [serde_json::json!({ "store": "demo", "token": "v1.order+/=token" })]
    );
    assert_eq!(requested("v1.order"), 0, "never in a URL");
    restore_fetch();
    el.remove();
}
