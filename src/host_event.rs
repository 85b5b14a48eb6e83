//! Telling the store's page something: a DOM `CustomEvent` dispatched on the
//! `<encore-widget>` element, bubbling and composed so a listener on the document hears it
//! from inside the shadow root.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// Dispatches the event `name` with `detail` on `host`.
pub fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        // A throwing listener on the store's page must not break the widget.
        let _ = host.dispatch_event(&event);
    }
}
