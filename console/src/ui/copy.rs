//! A read-only text (an invitation link, a key's secret) with a button that copies it.

use crate::i18n::Strings;
use yew::prelude::*;

/// Props of [`CopyText`].
#[derive(Properties, PartialEq)]
pub struct CopyTextProps {
    /// The text to show and copy.
    pub text: AttrValue,
    /// The field's label.
    pub label: AttrValue,
    /// The words.
    pub t: &'static Strings,
}

/// The text in a read-only field, selected on focus, and a copy button that says when it
/// copied.
#[component]
pub fn CopyText(props: &CopyTextProps) -> Html {
    let copied = use_state(|| false);
    let onclick = {
        let text = props.text.to_string();
        let copied = copied.clone();
        Callback::from(move |_| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let promise = window.navigator().clipboard().write_text(&text);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                    copied.set(true);
                }
            });
        })
    };
    let onfocus = Callback::from(|e: FocusEvent| {
        use wasm_bindgen::JsCast;
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.select();
        }
    });
    html! {
        <div class="copy">
            <label>
                <span class="label">{ props.label.clone() }</span>
                <input type="text" readonly=true class="secret" value={props.text.clone()} {onfocus} />
            </label>
            <button type="button" {onclick}>{ props.t.copy }</button>
            <span role="status" class="hint">{ if *copied { props.t.copied } else { "" } }</span>
        </div>
    }
}
