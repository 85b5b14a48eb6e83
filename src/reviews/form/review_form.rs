//! The form for one product's review: star rating, title, body with its live counter, name,
//! the store's questions and photos; validated as the shopper goes, queued through the
//! outbox, then followed to the endpoint's answer.

use super::api;
use super::fields::{self, BodyField, ErrorSummary, Honeypot, QuestionField, TextField};
use super::outcome::Outcome;
use super::photo_files::{PhotoFiles, choose_photos, pending_photos};
use super::photo_picker::PhotoPicker;
use super::problems::{field_id, problem_text};
use super::state::{self, Field, FormAction, FormState};
use super::strings::{FormStrings, fill, form_strings};
use crate::browser::offline;
use crate::context::WidgetContext;
use crate::transport::follow::{Following, follow};
use crate::transport::photos::PendingPhoto;
use crate::ui::star_input::StarInput;
use encore_core::reviews::draft::char_count;
use encore_core::reviews::{BODY_MAX, FormSpec, ReviewSubmitted};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use web_sys::{File, HtmlElement};
use yew::prelude::*;

/// Props of [`ReviewForm`].
#[derive(Properties, PartialEq, Clone)]
pub struct ReviewFormProps {
    /// The product reviewed.
    pub product: AttrValue,
    /// Its display name, for the form's heading.
    pub product_name: AttrValue,
    /// How the store wants its form.
    pub form: Rc<FormSpec>,
    /// The order, when the form comes from a review request.
    #[prop_or_default]
    pub order: Option<AttrValue>,
    /// The store's order token, when the form comes from a review request.
    #[prop_or_default]
    pub order_token: Option<AttrValue>,
    /// Called when the shopper closes the form (product page) or it is done.
    #[prop_or_default]
    pub on_close: Option<Callback<()>>,
    /// Called with the result id once the review is queued (the review request moves on).
    #[prop_or_default]
    pub on_queued: Option<Callback<String>>,
    /// The id of the form's heading; the review request moves focus there.
    #[prop_or_default]
    pub heading_id: Option<AttrValue>,
}

thread_local! {
    static NEXT_FORM: Cell<u32> = const { Cell::new(0) };
}

fn next_prefix() -> String {
    NEXT_FORM.with(|n| {
        n.set(n.get() + 1);
        format!("encore-review-{}", n.get())
    })
}

/// The form for one product's review.
#[component]
pub fn ReviewForm(props: &ReviewFormProps) -> Html {
    let ctx = use_context::<WidgetContext>();
    let min_body = props.form.min_body;
    let state = use_reducer(move || FormState::new(min_body));
    let prefix = use_memo((), |_| next_prefix());
    let opened_at = use_memo((), |_| js_sys::Date::now());
    let files = use_mut_ref(PhotoFiles::default);
    let waiting = use_mut_ref(|| None::<Following>);
    let root = use_node_ref();
    let Some(ctx) = ctx else {
        return Html::default();
    };
    let locale = ctx.config.locale;
    let s = form_strings(locale);
    let prefix = (*prefix).clone();
    let editable = state.editable();

    let problems = state.problems(&props.form);
    let shown: Vec<(Field, String)> = if state.attempted {
        problems
            .iter()
            .map(|(f, p)| (f.clone(), problem_text(s, p)))
            .collect()
    } else {
        Vec::new()
    };
    let error_for = |field: &Field| -> Option<AttrValue> {
        shown
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| AttrValue::from(m.clone()))
    };

    let on_choose = {
        let state = state.clone();
        let files = files.clone();
        Callback::from(move |chosen: Vec<File>| {
            choose_photos(&state, &files, chosen);
        })
    };
    let on_remove = {
        let state = state.clone();
        let files = files.clone();
        Callback::from(move |key: u32| {
            files.borrow_mut().forget(key);
            state.dispatch(FormAction::PhotoRemoved(key));
        })
    };

    let onsubmit = {
        let state = state.clone();
        let ctx = ctx.clone();
        let props = props.clone();
        let files = files.clone();
        let waiting = waiting.clone();
        let root = root.clone();
        let prefix = prefix.clone();
        let opened_at = *opened_at;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !state.editable() {
                return;
            }
            state.dispatch(FormAction::Attempt);
            let problems = state.problems(&props.form);
            if let Some((field, _)) = problems.first() {
                focus(&root, &field_id(&prefix, &props.form, field));
                return;
            }
            let base = ReviewSubmitted {
                product: props.product.to_string(),
                order: props.order.as_ref().map(|o| o.to_string()),
                order_token: props.order_token.as_ref().map(|t| t.to_string()),
                rating: 0,
                title: String::new(),
                body: String::new(),
                name: String::new(),
                answers: Vec::new(),
                photos: Vec::new(),
                locale: locale.tag().to_owned(),
                fill_ms: (js_sys::Date::now() - opened_at).max(0.0) as u64,
                website: String::new(),
            };
            let review = state.review(&base);
            let pending = pending_photos(&state, &files.borrow());
            submit(
                state.clone(),
                ctx.clone(),
                review,
                pending,
                waiting.clone(),
                props.on_queued.clone(),
            );
        })
    };

    let on_cancel = props
        .on_close
        .clone()
        .map(|close| Callback::from(move |_: MouseEvent| close.emit(())));
    // Escape inside the form must not close it or clear it: keep it from the host's handlers.
    let onkeydown = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.stop_propagation();
        }
    });

    let summary: Vec<(AttrValue, AttrValue)> = shown
        .iter()
        .map(|(f, m)| {
            (
                AttrValue::from(field_id(&prefix, &props.form, f)),
                AttrValue::from(m.clone()),
            )
        })
        .collect();
    let labels: [AttrValue; 5] = [1u8, 2, 3, 4, 5].map(|n| AttrValue::from(s.star_label(n)));
    let dispatch = |make: fn(String) -> FormAction| {
        let state = state.clone();
        Callback::from(move |v: String| state.dispatch(make(v)))
    };
    let on_rate = {
        let state = state.clone();
        Callback::from(move |n: u8| state.dispatch(FormAction::Rate(n)))
    };
    let thumbnails = Rc::new(files.borrow().thumbnails.clone());
    let heading_id = props
        .heading_id
        .clone()
        .unwrap_or_else(|| AttrValue::from(format!("{prefix}-heading")));
    let save_error = state
        .save_error
        .as_ref()
        .map(|err| ctx.strings.enqueue_error(err));

    html! {
        <div class="review-form" ref={root.clone()}>
            <h3 id={heading_id.clone()} class="form-heading" tabindex="-1">
                { fill(s.form_heading, &[("product", &props.product_name)]) }
            </h3>
            if editable || state.phase == state::Phase::Saving {
                <form novalidate=true aria-labelledby={heading_id} {onsubmit} {onkeydown}>
                    <StarInput name={format!("{prefix}-rating")} id={format!("{prefix}-rating")}
                        legend={s.rating_legend} required_mark={s.required} labels={labels}
                        value={state.rating} required=true disabled={!editable}
                        invalid={error_for(&Field::Rating).is_some()}
                        describedby={error_for(&Field::Rating).map(|_| AttrValue::from(fields::error_id(&format!("{prefix}-rating"))))}
                        on_change={on_rate} />
                    if let Some(message) = error_for(&Field::Rating) {
                        <p id={fields::error_id(&format!("{prefix}-rating"))} class="field-error">{ message }</p>
                    }
                    <TextField id={format!("{prefix}-title")} label={s.title_label} mark={s.optional}
                        value={state.title.clone()} error={error_for(&Field::Title)}
                        disabled={!editable} on_input={dispatch(FormAction::Title)} />
                    <BodyField id={format!("{prefix}-body")} strings={s} value={state.body.clone()}
                        count={char_count(&state.body)} min={usize::from(props.form.min_body)}
                        max={BODY_MAX} note={state.counter_note} error={error_for(&Field::Body)}
                        disabled={!editable} on_input={dispatch(FormAction::Body)} />
                    <TextField id={format!("{prefix}-name")} label={s.name_label} mark={s.required}
                        value={state.name.clone()} autocomplete={AttrValue::from("nickname")}
                        required=true error={error_for(&Field::Name)} disabled={!editable}
                        on_input={dispatch(FormAction::Name)} />
                    for (i, question) in props.form.questions.iter().enumerate() {
                        { question_field(&state, &prefix, i, question, locale, s, error_for(&Field::Question(question.id.clone())), editable) }
                    }
                    <PhotoPicker id={format!("{prefix}-photos")} strings={s}
                        photos={state.photos.clone()} thumbnails={thumbnails}
                        error={error_for(&Field::Photos)} disabled={!editable}
                        on_choose={on_choose} on_remove={on_remove} />
                    <Honeypot id={format!("{prefix}-website")} label={s.honeypot_label}
                        value={state.website.clone()} on_input={dispatch(FormAction::Website)} />
                    <ErrorSummary title={s.errors_title} problems={summary} />
                    if let Some(message) = save_error {
                        <p class="save-error" role="alert">{ message }</p>
                    }
                    <div class="actions">
                        <button type="submit" class="primary" disabled={!editable}>
                            { if editable { s.submit } else { s.submitting } }
                        </button>
                        if let Some(onclick) = on_cancel {
                            <button type="button" class="secondary" {onclick}>{ s.cancel }</button>
                        }
                    </div>
                </form>
            } else {
                <Outcome phase={state.phase.clone()} strings={s} />
                if let Some(close) = props.on_close.clone() {
                    <button type="button" class="secondary"
                        onclick={Callback::from(move |_: MouseEvent| close.emit(()))}>
                        { s.close }
                    </button>
                }
            }
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn question_field(
    state: &UseReducerHandle<FormState>,
    prefix: &str,
    index: usize,
    question: &encore_core::reviews::Question,
    locale: encore_core::locale::Locale,
    s: &'static FormStrings,
    error: Option<AttrValue>,
    editable: bool,
) -> Html {
    let id = question.id.clone();
    let on_change = {
        let state = state.clone();
        Callback::from(move |value: String| {
            state.dispatch(FormAction::Answer {
                question: id.clone(),
                value,
            })
        })
    };
    html! {
        <QuestionField key={question.id.clone()} id={format!("{prefix}-q{index}")}
            question={question.clone()} {locale} mark={s.optional}
            value={state.answer(&question.id).map(|v| AttrValue::from(v.to_owned()))}
            {error} disabled={!editable} {on_change} />
    }
}

/// Moves focus to the element `id` inside the form.
fn focus(root: &NodeRef, id: &str) {
    let target = root
        .cast::<web_sys::Element>()
        .and_then(|r| r.query_selector(&format!("#{id}")).ok().flatten())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(e).ok());
    if let Some(el) = target {
        let _ = el.focus();
    }
}

/// Queues the review, then listens for the endpoint's answer.
fn submit(
    state: UseReducerHandle<FormState>,
    ctx: WidgetContext,
    review: ReviewSubmitted,
    photos: Vec<PendingPhoto>,
    waiting: Rc<RefCell<Option<Following>>>,
    on_queued: Option<Callback<String>>,
) {
    state.dispatch(FormAction::Saving);
    wasm_bindgen_futures::spawn_local(async move {
        match api::submit(&ctx.host, &ctx.config, review, photos).await {
            Ok(id) => {
                state.dispatch(FormAction::Saved {
                    id: id.clone(),
                    offline: offline(),
                });
                let answered = state.clone();
                let slow = state.clone();
                *waiting.borrow_mut() = Some(follow(
                    &id,
                    move |settlement| answered.dispatch(FormAction::Settled(settlement)),
                    move || slow.dispatch(FormAction::AnswerSlow),
                ));
                if let Some(on_queued) = on_queued {
                    on_queued.emit(id);
                }
            }
            Err(err) => {
                crate::console::warn(&format!("could not queue the review: {err}"));
                state.dispatch(FormAction::SaveFailed(err));
            }
        }
    });
}
