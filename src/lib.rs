//! Encore's widget: Yew components compiled to WebAssembly and mounted by the loader
//! (`www/encore.js`) into the shadow root of each `<encore-widget>` element.
//!
//! The loader calls [`mount`] once per element and `unmount()` on the handle when the
//! element leaves the page; everything per instance lives in props and context.
//!
//! A bundle built with only some surfaces (see the crate's features) still compiles every
//! module; what its surfaces never reach is dead code that link-time optimisation drops.
#![cfg_attr(
    not(all(
        feature = "reviews",
        feature = "review-form",
        feature = "offers",
        feature = "surprise",
        feature = "referral"
    )),
    allow(dead_code, unused_imports)
)]

pub mod app;
pub mod browser;
pub mod console;
pub mod context;
pub mod device;
pub mod embed;
pub mod host_event;
pub mod i18n;
pub mod offers;
pub mod referral;
pub mod referral_landing;
pub mod reviews;
pub mod small_map;
pub mod storage;
pub mod stylesheet;
pub mod surface;
pub mod surprise;
pub mod transport;
pub mod ui;

use app::{App, AppProps};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, ShadowRoot};

/// Installs a panic hook once per page so an internal error is reported, prefixed, in the
/// console instead of as an opaque `unreachable` trap.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console::error(&format!("internal error: {info}"))
    }));
}

/// A mounted widget; the loader keeps it to unmount the widget later.
#[wasm_bindgen]
pub struct Widget {
    app: Option<yew::AppHandle<App>>,
    shadow: ShadowRoot,
    root: Element,
    style: stylesheet::AttachedStyle,
}

#[wasm_bindgen]
impl Widget {
    /// Removes the widget from its shadow root and frees it.
    pub fn unmount(mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
        stylesheet::detach(&self.shadow, &self.style);
    }
}

/// Mounts a widget for `host` (an `<encore-widget>` element) into `shadow`, its shadow root.
///
/// Invalid attributes do not throw: the widget shows the store owner a notice and logs one
/// console error; other widgets on the page are unaffected.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, shadow: ShadowRoot) -> Result<Widget, JsValue> {
    let document = host
        .owner_document()
        .ok_or_else(|| JsValue::from_str("element has no document"))?;
    let style = stylesheet::attach(&shadow, &document)?;
    let root = document.create_element("div")?;
    shadow.append_child(&root)?;

    let setup = embed::read(&host);
    if let embed::Setup::Invalid { errors, .. } = &setup {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        console::error(&format!(
            "<encore-widget> is not set up correctly: {}",
            list.join("; ")
        ));
    }
    let props = AppProps {
        host,
        setup: Rc::new(setup),
    };
    let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    Ok(Widget {
        app: Some(app),
        shadow,
        root,
        style,
    })
}
