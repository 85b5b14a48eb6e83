//! Typing the code from the package: a labelled input with the format hint, checked with the
//! core's `normalize` when submitted (by the landing's reducer), and the error beside it.

use super::codes;
use super::strings::{SurpriseStrings, fill};
use std::cell::Cell;
use web_sys::HtmlInputElement;
use yew::prelude::*;

thread_local! {
    static NEXT_ENTRY: Cell<u32> = const { Cell::new(0) };
}

/// Ids unique on the page, so two widgets in one tree do not share a label.
fn next_id() -> String {
    NEXT_ENTRY.with(|n| {
        n.set(n.get() + 1);
        format!("encore-code-{}", n.get())
    })
}

/// Props of [`ManualEntry`].
#[derive(Properties, PartialEq)]
pub struct ManualEntryProps {
    /// The words.
    pub strings: &'static SurpriseStrings,
    /// The last submitted text was not in the printed format.
    #[prop_or_default]
    pub malformed: bool,
    /// Called with the typed text when submitted.
    pub on_code: Callback<String>,
}

/// The code input and its submit button.
#[component]
pub fn ManualEntry(props: &ManualEntryProps) -> Html {
    let s = props.strings;
    let ids = use_memo((), |_| {
        let id = next_id();
        (
            format!("{id}-input"),
            format!("{id}-hint"),
            format!("{id}-error"),
        )
    });
    let (input_id, hint_id, error_id) = (*ids).clone();
    let input = use_node_ref();
    let onsubmit = {
        let (input, on_code) = (input.clone(), props.on_code.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = input.cast::<HtmlInputElement>() {
                on_code.emit(input.value());
            }
        })
    };
    let described = if props.malformed {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    let hint = fill(s.code_hint, &[("n", &codes::code_len().to_string())]);
    html! {
        <form class="surprise-entry" part="code-entry" {onsubmit} novalidate=true>
            <label class="entry-label" for={input_id.clone()}>{ s.code_label }</label>
            <input id={input_id} class="code-input" ref={input} type="text" name="code"
                inputmode="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                maxlength="64" aria-describedby={described}
                aria-invalid={if props.malformed { "true" } else { "false" }} />
            <p id={hint_id} class="entry-hint">{ hint }</p>
            if props.malformed {
                <p id={error_id} class="entry-error" role="alert">{ s.malformed }</p>
            }
            <button type="submit" class="code-submit">{ s.submit }</button>
        </form>
    }
}
