//! The queue's filter form: edits a draft and hands back the filter to show (the page puts it
//! in the address, so reload and back keep it).

use crate::i18n::Strings;
use crate::ui::draft::{self, non_empty, use_draft};
use encore_core::admin::queue::QueueFilter;
use yew::prelude::*;

/// Props of [`Filters`].
#[derive(Properties, PartialEq)]
pub struct FiltersProps {
    /// The filter shown.
    pub filter: QueueFilter,
    /// The words.
    pub t: &'static Strings,
    /// Called with the filter to show.
    pub on_apply: Callback<QueueFilter>,
}

/// The filter form.
#[component]
pub fn Filters(props: &FiltersProps) -> Html {
    let t = props.t;
    let draft = use_draft(&props.filter);
    let edit = |change: fn(&mut QueueFilter, String)| draft::edit(&draft, change);
    let onsubmit = {
        let draft = draft.clone();
        let on_apply = props.on_apply.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_apply.emit(QueueFilter {
                page: 0,
                ..(*draft).clone()
            });
        })
    };
    let clear = {
        let on_apply = props.on_apply.clone();
        let status = props.filter.status;
        Callback::from(move |_| {
            on_apply.emit(QueueFilter {
                status,
                ..QueueFilter::default()
            })
        })
    };
    let yes_no = |value: Option<bool>| {
        html! {
            <>
                <option value="" selected={value.is_none()}>{ t.any }</option>
                <option value="true" selected={value == Some(true)}>{ t.yes }</option>
                <option value="false" selected={value == Some(false)}>{ t.no }</option>
            </>
        }
    };
    // On a phone the form would push the queue a screen down: it folds away there, unless a
    // filter is on (then the person should see why the list is short).
    let status = props.filter.status;
    let open =
        props.filter.on_tab(status) != QueueFilter::default().on_tab(status) || !narrow_screen();
    html! {
        <details class="filters-panel" {open}>
            <summary>{ t.filters_label }</summary>
            <form class="filters" role="search" aria-label={t.filters_label} {onsubmit}>
                <label>
                    <span class="label">{ t.filter_rating }</span>
                    <select name="rating" onchange={edit(|f, v| f.rating = v.parse().ok())}>
                        <option value="" selected={draft.rating.is_none()}>{ t.any }</option>
                        { for (1..=5u8).rev().map(|n| html! {
                            <option value={n.to_string()} selected={draft.rating == Some(n)}>{ std::iter::repeat_n('★', usize::from(n)).collect::<String>() }</option>
                        }) }
                    </select>
                </label>
                <label>
                    <span class="label">{ t.filter_product }</span>
                    <input type="text" name="product" value={draft.product.clone().unwrap_or_default()}
                        onchange={edit(|f, v| f.product = non_empty(v))} />
                </label>
                <label>
                    <span class="label">{ t.filter_verified }</span>
                    <select name="verified" onchange={edit(|f, v| f.verified = v.parse().ok())}>{ yes_no(draft.verified) }</select>
                </label>
                <label>
                    <span class="label">{ t.filter_photos }</span>
                    <select name="photos" onchange={edit(|f, v| f.photos = v.parse().ok())}>{ yes_no(draft.photos) }</select>
                </label>
                <label>
                    <span class="label">{ t.filter_from }</span>
                    <input type="date" name="from" value={draft.from.clone().unwrap_or_default()}
                        onchange={edit(|f, v| f.from = non_empty(v))} />
                </label>
                <label>
                    <span class="label">{ t.filter_to }</span>
                    <input type="date" name="to" value={draft.to.clone().unwrap_or_default()}
                        onchange={edit(|f, v| f.to = non_empty(v))} />
                </label>
                <label class="wide">
                    <span class="label">{ t.filter_search }</span>
                    <input type="search" name="q" value={draft.search.clone().unwrap_or_default()}
                        maxlength="200" onchange={edit(|f, v| f.search = non_empty(v))} />
                </label>
                <div class="buttons">
                    <button type="submit" class="primary">{ t.apply_filters }</button>
                    <button type="button" onclick={clear}>{ t.clear_filters }</button>
                </div>
            </form>
        </details>
    }
}

/// Whether the screen is as narrow as a phone's.
fn narrow_screen() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 40rem)").ok().flatten())
        .is_some_and(|m| m.matches())
}
