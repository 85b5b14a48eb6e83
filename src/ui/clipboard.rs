//! Copying text (a reward code) to the clipboard: the async Clipboard API where the browser
//! has it, else a hidden textarea and `document.execCommand("copy")`; and a copy button that
//! announces "Copied" politely.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Copies `text`; `false` when neither way worked (the shopper can still select the text).
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let has_async_api = Reflect::get(&navigator, &"clipboard".into())
        .map(|c| !c.is_undefined() && !c.is_null())
        .unwrap_or(false);
    if has_async_api {
        let promise = navigator.clipboard().write_text(text);
        if JsFuture::from(promise).await.is_ok() {
            return true;
        }
    }
    copy_with_textarea(text)
}

/// The old way: select a hidden textarea's text and run the `copy` command.
fn copy_with_textarea(text: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(body) = document.body() else {
        return false;
    };
    let Some(area) = document
        .create_element("textarea")
        .ok()
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("aria-hidden", "true");
    let _ = area.set_attribute("style", "position:fixed;top:0;left:-9999px;opacity:0");
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    // `execCommand` is deprecated and not in web-sys's default bindings: call it by name.
    let copied = Reflect::get(&document, &"execCommand".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call1(&document, &JsValue::from_str("copy")).ok())
        .and_then(|r| r.as_bool())
        .unwrap_or(false);
    area.remove();
    copied
}

/// Props of [`CopyButton`].
#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// The text copied.
    pub text: AttrValue,
    /// The button's label ("Copy code").
    pub label: AttrValue,
    /// Announced after a copy ("Copied").
    pub copied: AttrValue,
    /// Announced when copying failed.
    pub failed: AttrValue,
    /// Told after each successful copy (e.g. to record a share).
    #[prop_or_default]
    pub on_copied: Callback<()>,
}

/// A button copying `text`, with a polite live region saying whether it worked.
#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let status = use_state(|| None::<bool>);
    let onclick = {
        let status = status.clone();
        let text = props.text.clone();
        let on_copied = props.on_copied.clone();
        Callback::from(move |_| {
            let status = status.clone();
            let text = text.clone();
            let on_copied = on_copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let copied = copy_text(&text).await;
                status.set(Some(copied));
                if copied {
                    on_copied.emit(());
                }
            });
        })
    };
    let message = match *status {
        Some(true) => props.copied.clone(),
        Some(false) => props.failed.clone(),
        None => AttrValue::default(),
    };
    html! {
        <>
            <button type="button" class="copy-button" {onclick}>{ props.label.clone() }</button>
            <span class="copy-status" role="status" aria-live="polite">{ message }</span>
        </>
    }
}
