//! The audit log: who changed what and when, newest first, filterable by action, actor and
//! target, with the values before and after.

pub mod state;

use crate::api;
use crate::i18n::{Strings, fill};
use crate::route::Route;
use crate::ui::draft::{self, non_empty, use_draft};
use crate::ui::format::date_time;
use crate::ui::{error_text, navigate};
use encore_core::admin::audit::{AuditAction as Did, AuditFilter};
use encore_core::locale::Locale;
use state::{AuditAction, AuditView};
use yew::prelude::*;

/// Props of [`AuditPage`].
#[derive(Properties, PartialEq)]
pub struct AuditPageProps {
    /// The words.
    pub t: &'static Strings,
    /// The language for dates.
    pub locale: Locale,
    /// The filter in the address.
    pub filter: AuditFilter,
}

/// The audit page.
#[component]
pub fn AuditPage(props: &AuditPageProps) -> Html {
    let t = props.t;
    let view = use_reducer(AuditView::default);
    {
        let d = view.dispatcher();
        use_effect_with(props.filter.clone(), move |filter| {
            d.dispatch(AuditAction::Load(filter.clone()));
            let filter = filter.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::audit(&filter).await {
                    Ok(page) => d.dispatch(AuditAction::Loaded(filter, page)),
                    Err(e) => d.dispatch(AuditAction::Failed(error_text(&e, t))),
                }
            });
        });
    }
    let draft = use_draft(&props.filter);
    let edit = |change: fn(&mut AuditFilter, String)| draft::edit(&draft, change);
    let onsubmit = {
        let draft = draft.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            navigate(&Route::Audit(AuditFilter {
                page: 0,
                ..(*draft).clone()
            }));
        })
    };
    let filter = &props.filter;
    let rows = view
        .page
        .iter()
        .flat_map(|p| p.entries.iter())
        .map(|entry| {
            html! {
                <tr>
                    <td><time>{ date_time(entry.at, props.locale) }</time></td>
                    <td>{ t.audit(entry.action) }</td>
                    <td class="break">{ &entry.actor }</td>
                    <td class="break">{ &entry.target }</td>
                    <td>{ &entry.address }</td>
                    <td><code class="json">{ &entry.before }</code></td>
                    <td><code class="json">{ &entry.after }</code></td>
                </tr>
            }
        });
    let has_more = view.page.as_ref().is_some_and(|p| p.has_more);
    let at = |n: u32| {
        Route::Audit(AuditFilter {
            page: n,
            ..filter.clone()
        })
        .to_hash()
    };
    html! {
        <section aria-labelledby="audit-title">
            <h1 id="audit-title">{ t.audit_title }</h1>
            <form class="filters" role="search" aria-label={t.filters_label} {onsubmit}>
                <label>
                    <span class="label">{ t.audit_action }</span>
                    <select name="action" onchange={edit(|f, v| f.action = Did::parse(&v))}>
                        <option value="" selected={draft.action.is_none()}>{ t.any }</option>
                        { for Did::ALL.into_iter().map(|a| html! {
                            <option value={a.as_str()} selected={draft.action == Some(a)}>{ t.audit(a) }</option>
                        }) }
                    </select>
                </label>
                <label>
                    <span class="label">{ t.audit_actor }</span>
                    <input type="text" name="actor" value={draft.actor.clone().unwrap_or_default()}
                        onchange={edit(|f, v| f.actor = non_empty(v))} />
                </label>
                <label>
                    <span class="label">{ t.audit_target }</span>
                    <input type="text" name="target" value={draft.target.clone().unwrap_or_default()}
                        onchange={edit(|f, v| f.target = non_empty(v))} />
                </label>
                <div class="buttons"><button type="submit" class="primary">{ t.apply_filters }</button></div>
            </form>
            if let Some(error) = &view.error { <p class="error" role="alert">{ error }</p> }
            if view.page.is_none() && view.error.is_none() { <p class="loading" role="status">{ t.loading }</p> }
            if view.page.as_ref().is_some_and(|p| p.entries.is_empty()) { <p class="empty">{ t.audit_empty }</p> }
            if view.page.as_ref().is_some_and(|p| !p.entries.is_empty()) {
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="audit-title">
                    <table class="audit">
                        <thead><tr>
                            <th scope="col">{ t.audit_when }</th>
                            <th scope="col">{ t.audit_action }</th>
                            <th scope="col">{ t.audit_actor }</th>
                            <th scope="col">{ t.audit_target }</th>
                            <th scope="col">{ t.audit_address }</th>
                            <th scope="col">{ t.audit_before }</th>
                            <th scope="col">{ t.audit_after }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            if filter.page > 0 || has_more {
                <nav class="pager" aria-label={fill(t.page_n, &[("n", &(filter.page + 1).to_string())])}>
                    if filter.page > 0 { <a href={at(filter.page - 1)} rel="prev">{ t.prev_page }</a> }
                    <span>{ fill(t.page_n, &[("n", &(filter.page + 1).to_string())]) }</span>
                    if has_more { <a href={at(filter.page + 1)} rel="next">{ t.next_page }</a> }
                </nav>
            }
        </section>
    }
}
