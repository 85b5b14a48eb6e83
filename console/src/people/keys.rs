//! The API keys page: the list, a form that makes a key and shows its secret once, and
//! revoking.

use super::state::{Keys, KeysAction};
use crate::api;
use crate::i18n::{Strings, fill};
use crate::ui::copy::CopyText;
use crate::ui::format::date_time;
use crate::ui::{checked_of, error_text, value_of};
use encore_core::admin::people::NewKeyRequest;
use encore_core::admin::role::Scope;
use encore_core::locale::Locale;
use yew::prelude::*;

/// Props of [`KeysPage`].
#[derive(Properties, PartialEq)]
pub struct KeysPageProps {
    /// The words.
    pub t: &'static Strings,
    /// The language for dates.
    pub locale: Locale,
}

/// The keys page.
#[component]
pub fn KeysPage(props: &KeysPageProps) -> Html {
    let t = props.t;
    let keys = use_reducer(Keys::default);
    {
        let d = keys.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::keys().await {
                    Ok(list) => d.dispatch(KeysAction::Loaded(list)),
                    Err(e) => d.dispatch(KeysAction::Failed(error_text(&e, t))),
                }
            });
        });
    }
    let onsubmit = {
        let keys = keys.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if keys.scopes.is_empty() {
                keys.dispatch(KeysAction::NoScope);
                return;
            }
            let request = NewKeyRequest {
                scopes: keys.scopes.clone(),
                label: keys.label.trim().to_owned(),
            };
            let d = keys.dispatcher();
            wasm_bindgen_futures::spawn_local(async move {
                match api::add_key(&request).await {
                    Ok(key) => d.dispatch(KeysAction::Created(key)),
                    Err(e) => d.dispatch(KeysAction::Failed(error_text(&e, t))),
                }
            });
        })
    };
    let on_label = {
        let d = keys.dispatcher();
        Callback::from(move |e: InputEvent| d.dispatch(KeysAction::Label(value_of(&e))))
    };
    let revoke = |id: String| {
        let d = keys.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let (d, id) = (d.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::revoke(&id).await {
                    Ok(line) => d.dispatch(KeysAction::Changed(line)),
                    Err(e) => d.dispatch(KeysAction::Failed(error_text(&e, t))),
                }
            });
        })
    };
    let scope_box = |scope: Scope| {
        let d = keys.dispatcher();
        let onchange =
            Callback::from(move |e: Event| d.dispatch(KeysAction::Scope(scope, checked_of(&e))));
        html! {
            <label class="check">
                <input type="checkbox" name="scope" value={scope.as_str()} checked={keys.scopes.contains(&scope)} {onchange} />
                <span>{ t.scope(scope) }</span>
            </label>
        }
    };
    html! {
        <section aria-labelledby="keys-title">
            <h1 id="keys-title">{ t.keys_title }</h1>
            if let Some(error) = &keys.error { <p class="error" role="alert">{ error }</p> }
            { match &keys.list {
                None => html! { <p class="loading" role="status">{ t.loading }</p> },
                Some(list) => html! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="keys-title">
                    <table>
                        <thead><tr>
                            <th scope="col">{ t.key_id }</th>
                            <th scope="col">{ t.key_label }</th>
                            <th scope="col">{ t.scopes_label }</th>
                            <th scope="col">{ t.created_label }</th>
                            <th scope="col"><span class="sr-only">{ t.revoke }</span></th>
                        </tr></thead>
                        <tbody>
                            { for list.iter().map(|k| html! {
                                <tr>
                                    <td><code>{ &k.id }</code></td>
                                    <td class="break">{ &k.label }</td>
                                    <td>{ k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ") }</td>
                                    <td>{ date_time(k.created_at, props.locale) }</td>
                                    <td>
                                        if let Some(at) = k.revoked_at {
                                            { fill(t.revoked_at, &[("date", &date_time(at, props.locale))]) }
                                        } else {
                                            <button type="button" class="danger" onclick={revoke(k.id.clone())}
                                                aria-label={format!("{} {}", t.revoke, k.id)}>{ t.revoke }</button>
                                        }
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    </div>
                },
            } }
            <form class="card" aria-labelledby="new-key-title" {onsubmit} novalidate=true>
                <h2 id="new-key-title">{ t.new_key_title }</h2>
                <label>
                    <span class="label">{ t.key_label }</span>
                    <input type="text" name="label" maxlength="200" value={keys.label.clone()} oninput={on_label} />
                </label>
                <fieldset>
                    <legend>{ t.scopes_label }</legend>
                    { for Scope::ALL.into_iter().map(scope_box) }
                </fieldset>
                <p class="error" role="alert">{ if keys.no_scope { t.no_scope } else { "" } }</p>
                <button type="submit" class="primary">{ t.create_key }</button>
                if let Some(created) = &keys.created {
                    <CopyText t={t} label={t.secret_once} text={created.secret.clone()} />
                }
            </form>
        </section>
    }
}
