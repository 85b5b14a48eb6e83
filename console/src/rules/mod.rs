//! The auto-publish rules: which new reviews go live at once. Owners edit them; other roles
//! see them read-only (the API refuses their changes anyway).

pub mod state;

use crate::api;
use crate::i18n::{Strings, fill};
use crate::ui::{checked_of, error_text, value_of};
use state::{RulesAction, RulesForm};
use yew::prelude::*;

/// Props of [`RulesPage`].
#[derive(Properties, PartialEq)]
pub struct RulesPageProps {
    /// The words.
    pub t: &'static Strings,
    /// The role may change the rules.
    pub may_edit: bool,
}

/// The rules page.
#[component]
pub fn RulesPage(props: &RulesPageProps) -> Html {
    let t = props.t;
    let form = use_reducer(RulesForm::default);
    {
        let d = form.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::rules().await {
                    Ok(rules) => d.dispatch(RulesAction::Loaded(rules)),
                    Err(e) => d.dispatch(RulesAction::Failed(error_text(&e, t))),
                }
            });
        });
    }
    let onsubmit = {
        let form = form.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !form.can_save() {
                return;
            }
            let rules = form.draft;
            form.dispatch(RulesAction::Save);
            let d = form.dispatcher();
            wasm_bindgen_futures::spawn_local(async move {
                match api::save_rules(&rules).await {
                    Ok(saved) => d.dispatch(RulesAction::Saved(saved)),
                    Err(e) => d.dispatch(RulesAction::Failed(error_text(&e, t))),
                }
            });
        })
    };
    let minimum = |name: &'static str,
                   label: &'static str,
                   value: Option<u8>,
                   make: fn(Option<u8>) -> RulesAction| {
        let d = form.dispatcher();
        let onchange = Callback::from(move |e: Event| d.dispatch(make(value_of(&e).parse().ok())));
        html! {
            <label>
                <span class="label">{ label }</span>
                <select name={name} {onchange}>
                    <option value="" selected={value.is_none()}>{ t.hold_all }</option>
                    { for (1..=5u8).map(|n| html! {
                        <option value={n.to_string()} selected={value == Some(n)}>
                            { fill(t.at_least_stars, &[("n", &n.to_string())]) }
                        </option>
                    }) }
                </select>
            </label>
        }
    };
    let check =
        |name: &'static str, label: &'static str, value: bool, make: fn(bool) -> RulesAction| {
            let d = form.dispatcher();
            let onchange = Callback::from(move |e: Event| d.dispatch(make(checked_of(&e))));
            html! {
                <label class="check">
                    <input type="checkbox" name={name} checked={value} {onchange} />
                    <span>{ label }</span>
                </label>
            }
        };
    let on_fast = {
        let d = form.dispatcher();
        Callback::from(move |e: Event| d.dispatch(RulesAction::Fast(value_of(&e))))
    };
    let draft = form.draft;
    html! {
        <section class="card" aria-labelledby="rules-title">
            <h1 id="rules-title">{ t.rules_title }</h1>
            if !props.may_edit { <p class="notice">{ t.rules_read_only }</p> }
            if let Some(error) = &form.error { <p class="error" role="alert">{ error }</p> }
            if form.saved.is_none() && form.error.is_none() {
                <p class="loading" role="status">{ t.loading }</p>
            }
            if form.saved.is_some() {
                <form {onsubmit}>
                    <fieldset disabled={!props.may_edit}>
                        <legend class="sr-only">{ t.rules_title }</legend>
                        { minimum("verified_min_rating", t.verified_min, draft.verified_min_rating, RulesAction::Verified) }
                        { minimum("unverified_min_rating", t.unverified_min, draft.unverified_min_rating, RulesAction::Unverified) }
                        { check("hold_with_photos", t.hold_with_photos, draft.hold_with_photos, RulesAction::Photos) }
                        { check("hold_links", t.hold_links, draft.hold_links, RulesAction::Links) }
                        <label>
                            <span class="label">{ t.hold_fast }</span>
                            <input type="number" name="hold_fast_seconds" min="0" max="600" inputmode="numeric"
                                value={draft.hold_fast_seconds.to_string()} onchange={on_fast} />
                        </label>
                        if props.may_edit {
                            <button type="submit" class="primary" disabled={!form.can_save()}>{ t.save }</button>
                        }
                    </fieldset>
                </form>
            }
            <p class="sr-only" role="status">
                if form.saves > 0 { <span key={form.saves.to_string()}>{ t.rules_saved }</span> }
            </p>
        </section>
    }
}
