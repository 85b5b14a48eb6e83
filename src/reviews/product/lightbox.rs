//! The photo lightbox: a modal `<dialog>` (top layer, so the host's layout cannot clip it)
//! with Prev/Next, arrow keys, Escape, a focus trap, and focus returned to the thumbnail
//! that opened it.

use super::strings::product_strings;
use encore_core::locale::Locale;
use encore_core::reviews::Review;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlDialogElement, HtmlElement, Node};
use yew::prelude::*;

/// Props of [`Lightbox`].
#[derive(Properties, PartialEq, Clone)]
pub struct LightboxProps {
    /// The review whose photos are shown.
    pub review: Rc<Review>,
    /// The photo shown, from 0.
    pub index: usize,
    /// The language.
    pub locale: Locale,
    /// Called when the shopper closes the dialog (button, Escape, backdrop).
    pub on_close: Callback<()>,
    /// Called for the next photo (button, Right arrow).
    pub on_next: Callback<()>,
    /// Called for the previous photo (button, Left arrow).
    pub on_prev: Callback<()>,
}

/// The element focused in `node`'s document or shadow root.
fn active_element(node: &Node) -> Option<Element> {
    let root: JsValue = node.get_root_node().into();
    js_sys::Reflect::get(&root, &JsValue::from_str("activeElement"))
        .ok()?
        .dyn_into::<Element>()
        .ok()
}

fn focus(node: &NodeRef) -> bool {
    node.cast::<HtmlElement>()
        .is_some_and(|element| element.focus().is_ok())
}

/// A modal view of one review's photos.
#[component]
pub fn Lightbox(props: &LightboxProps) -> Html {
    let s = product_strings(props.locale);
    let dialog = use_node_ref();
    let close_button = use_node_ref();
    let prev_button = use_node_ref();
    let next_button = use_node_ref();

    {
        let dialog = dialog.clone();
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            let element = dialog.cast::<HtmlDialogElement>();
            let opener = element.as_ref().and_then(|d| active_element(d));
            if let Some(d) = &element {
                if !d.open() && d.show_modal().is_err() {
                    d.set_open(true);
                }
            }
            focus(&close_button);
            move || {
                // Leave the top layer first: nothing outside a modal dialog can take focus.
                if let Some(d) = element {
                    d.close();
                }
                if let Some(opener) = opener.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                    if opener.is_connected() {
                        let _ = opener.focus();
                    }
                }
            }
        });
    }

    let count = props.review.photos.len();
    let Some(photo) = props.review.photos.get(props.index) else {
        return Html::default();
    };
    let several = count > 1;

    let onkeydown = {
        let (on_close, on_next, on_prev) = (
            props.on_close.clone(),
            props.on_next.clone(),
            props.on_prev.clone(),
        );
        let dialog = dialog.clone();
        let trap = [
            prev_button.clone(),
            next_button.clone(),
            close_button.clone(),
        ];
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => {
                e.prevent_default();
                on_close.emit(());
            }
            "ArrowRight" if several => {
                e.prevent_default();
                on_next.emit(());
            }
            "ArrowLeft" if several => {
                e.prevent_default();
                on_prev.emit(());
            }
            "Tab" => {
                let buttons: Vec<&NodeRef> = trap.iter().filter(|b| b.get().is_some()).collect();
                let active = dialog.get().and_then(|d| active_element(&d));
                let at = buttons.iter().position(|b| {
                    let node = b.get();
                    active
                        .as_ref()
                        .is_some_and(|a| node.as_ref() == Some(a as &Node))
                });
                let last = buttons.len().saturating_sub(1);
                let target = match (at, e.shift_key()) {
                    (Some(0), true) => buttons.get(last),
                    (Some(i), false) if i == last => buttons.first(),
                    (None, _) => buttons.first(),
                    _ => None,
                };
                if let Some(target) = target {
                    e.prevent_default();
                    focus(target);
                }
            }
            _ => {}
        })
    };
    let oncancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: Event| {
            // The browser's own Escape handling: keep the state in charge of closing.
            e.prevent_default();
            on_close.emit(());
        })
    };
    let onclick = {
        let on_close = props.on_close.clone();
        let dialog = dialog.clone();
        Callback::from(move |e: MouseEvent| {
            let target = e.target().and_then(|t| t.dyn_into::<Node>().ok());
            if target.is_some() && target == dialog.get() {
                on_close.emit(());
            }
        })
    };
    let click = |callback: &Callback<()>| {
        let callback = callback.clone();
        Callback::from(move |_: MouseEvent| callback.emit(()))
    };
    let name = &props.review.name;
    html! {
        <dialog ref={dialog} class="lightbox" part="lightbox" role="dialog" aria-modal="true"
            aria-label={s.dialog_label(name)} {onkeydown} {oncancel} {onclick}>
            <div class="lightbox-frame">
                <img class="lightbox-image" src={photo.url.clone()}
                    alt={s.photo_from(props.index, count, name)}
                    width={photo.width.to_string()} height={photo.height.to_string()} />
                <p class="lightbox-position" aria-live="polite">
                    { s.position(props.index, count) }
                </p>
                <div class="lightbox-nav">
                    if several {
                        <button type="button" class="outline lightbox-prev" ref={prev_button}
                            onclick={click(&props.on_prev)}>{ s.previous }</button>
                        <button type="button" class="outline lightbox-next" ref={next_button}
                            onclick={click(&props.on_next)}>{ s.next }</button>
                    }
                    <button type="button" class="lightbox-close" ref={close_button}
                        onclick={click(&props.on_close)}>{ s.close }</button>
                </div>
            </div>
        </dialog>
    }
}
