//! Keeping keyboard focus somewhere sensible when the element that had it goes away (a claim
//! button replaced by its code, a retry button replaced by the offers, the QR landing's
//! progress replaced by its answer).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::NodeRef;

/// Whether nothing has focus any more (the focused element was removed): the page's body is
/// then the active element. Focus elsewhere on the page or in the widget is left alone.
pub fn was_lost() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => active == Element::from(body),
        (Some(_), None) => false,
    }
}

/// Focuses the first element inside `root` matching `selector`, else `root` itself.
pub fn move_into(root: &NodeRef, selector: &str) {
    let Some(root) = root.cast::<HtmlElement>() else {
        return;
    };
    let target = root
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .unwrap_or(root);
    let _ = target.focus();
}
