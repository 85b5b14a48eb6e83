//! A modal dialog on the native `<dialog>`: `showModal()` makes the rest of the page inert (so
//! focus stays inside), Escape cancels, and closing returns focus where it was.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`Modal`].
#[derive(Properties, PartialEq)]
pub struct ModalProps {
    /// The dialog's heading, also its accessible name.
    pub title: AttrValue,
    /// Called on Escape (the caller removes the dialog).
    pub on_cancel: Callback<()>,
    /// The dialog's content (its form and buttons).
    pub children: Html,
}

/// A modal dialog, open while rendered.
#[component]
pub fn Modal(props: &ModalProps) -> Html {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            // Where focus was, to put it back: the native return of focus does not happen
            // when the element is removed rather than closed.
            let before = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            let element = dialog.cast::<web_sys::HtmlDialogElement>();
            if let Some(element) = &element {
                if !element.open() {
                    let _ = element.show_modal();
                }
            }
            move || {
                if let Some(element) = element {
                    element.close();
                }
                if let Some(before) = before {
                    if before.is_connected() {
                        let _ = before.focus();
                    }
                }
            }
        });
    }
    let oncancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: Event| {
            // The caller closes it by no longer rendering it.
            e.prevent_default();
            on_cancel.emit(());
        })
    };
    html! {
        <dialog ref={dialog} class="modal" aria-labelledby="modal-title" {oncancel}>
            <h2 id="modal-title">{ props.title.clone() }</h2>
            { props.children.clone() }
        </dialog>
    }
}
