//! View pieces several pages share: the modal dialog, a filter form's draft, stars, the copy
//! button, locale-aware dates and numbers, and moving between pages.

pub mod copy;
pub mod dialog;
pub mod draft;
pub mod format;
pub mod stars;

use crate::route::Route;

/// Goes to `route` by changing the address's hash, so the back button returns here.
pub fn navigate(route: &Route) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&route.to_hash());
    }
}

/// The value of the input, select or textarea an event came from.
pub fn value_of(event: &yew::Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(target) = event.target() else {
        return String::new();
    };
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        input.value()
    } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.value()
    } else if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.value()
    } else {
        String::new()
    }
}

/// Whether the checkbox an event came from is checked.
pub fn checked_of(event: &yew::Event) -> bool {
    use wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// Words for a failed call, for the live region or an error line.
pub fn error_text(error: &crate::api::ApiError, t: &crate::i18n::Strings) -> String {
    use crate::api::ApiError;
    match error {
        ApiError::Network => t.network_error.to_owned(),
        ApiError::Refused {
            code,
            message,
            status,
            ..
        } => {
            let why = if !message.is_empty() {
                message.clone()
            } else if !code.is_empty() {
                code.clone()
            } else {
                status.to_string()
            };
            crate::i18n::fill(t.action_failed, &[("why", &why)])
        }
        ApiError::Decode => crate::i18n::fill(t.action_failed, &[("why", "?")]),
    }
}
