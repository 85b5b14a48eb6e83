//! The review form's fields as thin components: each shows its value and its problem, and
//! only emits what the shopper typed or chose.

use super::counter::{self, CounterNote};
use super::strings::FormStrings;
use encore_core::locale::Locale;
use encore_core::reviews::{Question, QuestionKind};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The id of the message describing a field's problem.
pub fn error_id(field_id: &str) -> String {
    format!("{field_id}-error")
}

/// A field's problem message, if it has one.
fn error_line(field_id: &str, error: &Option<AttrValue>) -> Html {
    match error {
        Some(message) => html! {
            <p id={error_id(field_id)} class="field-error">{ message.clone() }</p>
        },
        None => Html::default(),
    }
}

/// Props of [`TextField`].
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// The input's id.
    pub id: AttrValue,
    /// The label.
    pub label: AttrValue,
    /// "(required)" or "(optional)".
    pub mark: AttrValue,
    /// The value.
    pub value: AttrValue,
    /// `autocomplete` hint (`name`, `off`).
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    /// Whether the field is required.
    #[prop_or_default]
    pub required: bool,
    /// The problem to show.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Disables the input.
    #[prop_or_default]
    pub disabled: bool,
    /// Called with the new value on each keystroke.
    pub on_input: Callback<String>,
}

/// A labelled one-line text input.
#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let oninput = props
        .on_input
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let invalid = props.error.is_some();
    html! {
        <div class="field">
            <label for={props.id.clone()}>
                { props.label.clone() }<span class="mark">{" "}{ props.mark.clone() }</span>
            </label>
            <input type="text" id={props.id.clone()} value={props.value.clone()}
                autocomplete={props.autocomplete.clone()} required={props.required}
                disabled={props.disabled} {oninput}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={invalid.then(|| error_id(&props.id))} />
            { error_line(&props.id, &props.error) }
        </div>
    }
}

/// Props of [`BodyField`].
#[derive(Properties, PartialEq)]
pub struct BodyFieldProps {
    /// The textarea's id.
    pub id: AttrValue,
    /// The strings.
    pub strings: &'static FormStrings,
    /// The text.
    pub value: AttrValue,
    /// Characters counted now.
    pub count: usize,
    /// The store's minimum.
    pub min: usize,
    /// The maximum.
    pub max: usize,
    /// The last note worth announcing.
    pub note: Option<CounterNote>,
    /// The problem to show.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Disables the textarea.
    #[prop_or_default]
    pub disabled: bool,
    /// Called with the new text on each keystroke.
    pub on_input: Callback<String>,
}

/// The review text with its counter; the counter is read out only at thresholds.
#[component]
pub fn BodyField(props: &BodyFieldProps) -> Html {
    let s = props.strings;
    let oninput = props
        .on_input
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let counter_id = format!("{}-counter", props.id);
    let shown = counter::shown(props.count, props.min, props.max).text(s, props.count);
    let spoken = props.note.map(|n| n.spoken(s)).unwrap_or_default();
    let invalid = props.error.is_some();
    let describedby = if invalid {
        format!("{counter_id} {}", error_id(&props.id))
    } else {
        counter_id.clone()
    };
    html! {
        <div class="field">
            <label for={props.id.clone()}>
                { s.body_label }<span class="mark">{" "}{ s.required }</span>
            </label>
            <textarea id={props.id.clone()} value={props.value.clone()} rows="5" required=true
                disabled={props.disabled} {oninput}
                aria-invalid={invalid.then_some("true")} aria-describedby={describedby} />
            <p id={counter_id} class="counter">{ shown }</p>
            <p class="visually-hidden counter-live" aria-live="polite">{ spoken }</p>
            { error_line(&props.id, &props.error) }
        </div>
    }
}

/// Props of [`QuestionField`].
#[derive(Properties, PartialEq)]
pub struct QuestionFieldProps {
    /// The id prefix of its radios (`{id}-0`, `{id}-1`, ...).
    pub id: AttrValue,
    /// The question.
    pub question: Question,
    /// The language of its labels.
    pub locale: Locale,
    /// "(optional)".
    pub mark: AttrValue,
    /// The chosen value.
    #[prop_or_default]
    pub value: Option<AttrValue>,
    /// The problem to show.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Disables the radios.
    #[prop_or_default]
    pub disabled: bool,
    /// Called with the chosen value.
    pub on_change: Callback<String>,
}

/// A custom question as an optional radio group (a choice, or a scale from min to max).
#[component]
pub fn QuestionField(props: &QuestionFieldProps) -> Html {
    let options: Vec<(String, String)> = match &props.question.kind {
        QuestionKind::Choice { options } => options
            .iter()
            .map(|o| (o.value.clone(), o.label.get(props.locale).to_owned()))
            .collect(),
        QuestionKind::Scale { min, max } => (*min..=*max)
            .map(|v| (v.to_string(), v.to_string()))
            .collect(),
    };
    let scale = matches!(props.question.kind, QuestionKind::Scale { .. });
    let invalid = props.error.is_some();
    html! {
        <fieldset class={classes!("question", scale.then_some("scale"))}
            aria-invalid={invalid.then_some("true")}
            aria-describedby={invalid.then(|| error_id(&props.id))}>
            <legend>
                { props.question.label.get(props.locale) }
                <span class="mark">{" "}{ props.mark.clone() }</span>
            </legend>
            <div class="options">
                for (i, (value, label)) in options.into_iter().enumerate() {
                    { option(props, i, value, label) }
                }
            </div>
            { error_line(&props.id, &props.error) }
        </fieldset>
    }
}

fn option(props: &QuestionFieldProps, i: usize, value: String, label: String) -> Html {
    let id = format!("{}-{i}", props.id);
    let checked = props.value.as_deref() == Some(value.as_str());
    let chosen = value.clone();
    let onchange = props.on_change.reform(move |_: Event| chosen.clone());
    html! {
        <span class="option">
            <input type="radio" id={id.clone()} name={props.id.clone()} {value} {checked}
                disabled={props.disabled} {onchange} />
            <label for={id}>{ label }</label>
        </span>
    }
}

/// Props of [`Honeypot`].
#[derive(Properties, PartialEq)]
pub struct HoneypotProps {
    /// The input's id.
    pub id: AttrValue,
    /// Its label (read by bots only).
    pub label: AttrValue,
    /// Its value.
    pub value: AttrValue,
    /// Called with what a bot typed.
    pub on_input: Callback<String>,
}

/// A field named `website` that people never see or reach; bots fill it in.
#[component]
pub fn Honeypot(props: &HoneypotProps) -> Html {
    let oninput = props
        .on_input
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <div class="honeypot" aria-hidden="true">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input type="text" id={props.id.clone()} name="website" tabindex="-1"
                autocomplete="off" value={props.value.clone()} {oninput} />
        </div>
    }
}

/// Props of [`ErrorSummary`].
#[derive(Properties, PartialEq)]
pub struct ErrorSummaryProps {
    /// Its heading.
    pub title: AttrValue,
    /// Each problem: the id of its field and its message.
    pub problems: Vec<(AttrValue, AttrValue)>,
}

/// The list of problems above the submit button, each linking to its field.
#[component]
pub fn ErrorSummary(props: &ErrorSummaryProps) -> Html {
    if props.problems.is_empty() {
        return Html::default();
    }
    html! {
        <div class="error-summary" role="alert">
            <p class="error-summary-title">{ props.title.clone() }</p>
            <ul>
                for (id, message) in props.problems.iter().cloned() {
                    <li><a href={format!("#{id}")} onclick={focus_link(id)}>{ message }</a></li>
                }
            </ul>
        </div>
    }
}

/// In a shadow root `#id` links do not scroll to the field: focus it instead.
fn focus_link(id: AttrValue) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        let root = e
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok())
            .map(|n| n.get_root_node());
        let target = root.and_then(|r| {
            js_sys::Reflect::get(&r, &"getElementById".into())
                .ok()
                .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok())
                .and_then(|f| f.call1(&r, &id.as_str().into()).ok())
        });
        if let Some(el) =
            target.and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
        {
            let _ = el.focus();
        }
    })
}
