//! The users page: the list, an invitation form that shows the one-time link, and disabling.

use super::state::{Users, UsersAction};
use crate::api;
use crate::i18n::Strings;
use crate::ui::copy::CopyText;
use crate::ui::format::date_time;
use crate::ui::{error_text, value_of};
use encore_core::admin::people::{InviteRequest, UserState};
use encore_core::admin::role::Role;
use encore_core::locale::Locale;
use yew::prelude::*;

/// Props of [`UsersPage`].
#[derive(Properties, PartialEq)]
pub struct UsersPageProps {
    /// The words.
    pub t: &'static Strings,
    /// The language for dates.
    pub locale: Locale,
}

/// The users page.
#[component]
pub fn UsersPage(props: &UsersPageProps) -> Html {
    let t = props.t;
    let users = use_reducer(Users::default);
    {
        let d = users.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::users().await {
                    Ok(list) => d.dispatch(UsersAction::Loaded(list)),
                    Err(e) => d.dispatch(UsersAction::Failed(error_text(&e, t))),
                }
            });
        });
    }
    let onsubmit = {
        let users = users.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(email) = users.invitee() else {
                users.dispatch(UsersAction::BadEmail);
                return;
            };
            let request = InviteRequest {
                email,
                role: users.role,
            };
            let d = users.dispatcher();
            wasm_bindgen_futures::spawn_local(async move {
                match api::invite(&request).await {
                    Ok(invitation) => {
                        d.dispatch(UsersAction::Invited(invitation));
                        if let Ok(list) = api::users().await {
                            d.dispatch(UsersAction::Loaded(list));
                        }
                    }
                    Err(e) => d.dispatch(UsersAction::Failed(error_text(&e, t))),
                }
            });
        })
    };
    let on_email = {
        let d = users.dispatcher();
        Callback::from(move |e: InputEvent| d.dispatch(UsersAction::Email(value_of(&e))))
    };
    let on_role = {
        let d = users.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(role) = Role::parse(&value_of(&e)) {
                d.dispatch(UsersAction::Role(role));
            }
        })
    };
    let disable = |email: String| {
        let d = users.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let (d, email) = (d.clone(), email.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::disable(&email).await {
                    Ok(line) => d.dispatch(UsersAction::Changed(line)),
                    Err(e) => d.dispatch(UsersAction::Failed(error_text(&e, t))),
                }
            });
        })
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let state_name = |s: UserState| match s {
        UserState::Invited => t.user_states[0],
        UserState::Active => t.user_states[1],
        UserState::Disabled => t.user_states[2],
    };
    html! {
        <section aria-labelledby="users-title">
            <h1 id="users-title">{ t.users_title }</h1>
            if let Some(error) = &users.error { <p class="error" role="alert">{ error }</p> }
            { match &users.list {
                None => html! { <p class="loading" role="status">{ t.loading }</p> },
                Some(list) => html! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="users-title">
                    <table>
                        <thead><tr>
                            <th scope="col">{ t.email_label }</th>
                            <th scope="col">{ t.role_label }</th>
                            <th scope="col">{ t.state_label }</th>
                            <th scope="col">{ t.last_sign_in }</th>
                            <th scope="col"><span class="sr-only">{ t.disable }</span></th>
                        </tr></thead>
                        <tbody>
                            { for list.iter().map(|u| html! {
                                <tr>
                                    <td class="break">{ &u.email }</td>
                                    <td>{ t.role(u.role) }</td>
                                    <td>{ state_name(u.state) }</td>
                                    <td>{ u.last_sign_in.map(|ms| date_time(ms, props.locale)).unwrap_or_else(|| t.never.to_owned()) }</td>
                                    <td>
                                        if u.state != UserState::Disabled {
                                            <button type="button" class="danger" onclick={disable(u.email.clone())}
                                                aria-label={format!("{} {}", t.disable, u.email)}>{ t.disable }</button>
                                        }
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    </div>
                },
            } }
            <form class="card" aria-labelledby="invite-title" {onsubmit} novalidate=true>
                <h2 id="invite-title">{ t.invite_title }</h2>
                <label>
                    <span class="label">{ t.email_label }</span>
                    <input type="email" name="email" value={users.email.clone()} oninput={on_email}
                        aria-invalid={users.bad_email.then_some("true")} aria-describedby="invite-problem" />
                </label>
                <p id="invite-problem" class="error">{ if users.bad_email { t.bad_email } else { "" } }</p>
                <label>
                    <span class="label">{ t.role_label }</span>
                    <select name="role" onchange={on_role}>
                        { for Role::ALL.into_iter().map(|r| html! {
                            <option value={r.as_str()} selected={r == users.role}>{ t.role(r) }</option>
                        }) }
                    </select>
                </label>
                <button type="submit" class="primary">{ t.invite_button }</button>
                if let Some(invitation) = &users.invitation {
                    <CopyText t={t} label={t.invitation_link} text={format!("{origin}{}", invitation.link)} />
                }
            </form>
        </section>
    }
}
