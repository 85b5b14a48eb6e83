//! Signing in, and setting a password from an invitation link (the welcome page).

pub mod state;

use crate::api::{self, ApiError};
use crate::i18n::{Strings, fill};
use crate::route::Route;
use crate::ui::{navigate, value_of};
use encore_core::admin::session::{
    PasswordProblem, SessionInfo, SetPasswordRequest, SignInRequest,
};
use state::{SignInAction, SignInError, SignInForm, WelcomeAction, WelcomeForm, minutes_to_wait};
use yew::prelude::*;

/// Props of [`SignInPage`].
#[derive(Properties, PartialEq)]
pub struct SignInProps {
    /// The words.
    pub t: &'static Strings,
    /// The store to preselect (`?store=`).
    pub store: Option<String>,
    /// Where to go afterwards (the app reads it; kept here so the page re-renders with it).
    pub next: Option<String>,
    /// The person has just set their password on the welcome page.
    #[prop_or_default]
    pub password_set: bool,
    /// Called with the new session.
    pub on_signed_in: Callback<SessionInfo>,
}

fn sign_in_error(error: ApiError) -> SignInError {
    match error {
        ApiError::Network => SignInError::Network,
        ApiError::Refused {
            status: 429,
            retry_after,
            ..
        } => SignInError::Locked(minutes_to_wait(retry_after)),
        ApiError::Refused { code, message, .. }
            if code == "sign_in_failed" || message.is_empty() =>
        {
            if code == "sign_in_failed" {
                SignInError::Failed
            } else {
                SignInError::Other(code)
            }
        }
        ApiError::Refused { message, .. } => SignInError::Other(message),
        ApiError::Decode => SignInError::Other("decode".into()),
    }
}

/// The sign-in form: store, e-mail, password.
#[component]
pub fn SignInPage(props: &SignInProps) -> Html {
    let t = props.t;
    let form = use_reducer(SignInForm::default);
    {
        let form = form.dispatcher();
        use_effect_with(props.store.clone(), move |wanted| {
            let wanted = wanted.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let list = api::stores().await.unwrap_or_default();
                let list = list.into_iter().map(|s| (s.id, s.name)).collect();
                form.dispatch(SignInAction::Stores(list, wanted));
            });
        });
    }
    let onsubmit = {
        let form = form.clone();
        let done = props.on_signed_in.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !form.ready() {
                return;
            }
            let request = SignInRequest {
                store: form.store.clone(),
                email: form.email.trim().to_owned(),
                password: form.password.clone(),
            };
            form.dispatch(SignInAction::Submit);
            let form = form.dispatcher();
            let done = done.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::sign_in(&request).await {
                    Ok(session) => done.emit(session),
                    Err(e) => form.dispatch(SignInAction::Failed(sign_in_error(e))),
                }
            });
        })
    };
    let on = |make: fn(String) -> SignInAction| {
        let form = form.dispatcher();
        Callback::from(move |e: Event| form.dispatch(make(value_of(&e))))
    };
    let on_input = |make: fn(String) -> SignInAction| {
        let form = form.dispatcher();
        Callback::from(move |e: InputEvent| form.dispatch(make(value_of(&e))))
    };
    let error = form.error.as_ref().map(|e| match e {
        SignInError::Failed => t.sign_in_failed.to_owned(),
        SignInError::Locked(m) => fill(t.locked, &[("minutes", &m.to_string())]),
        SignInError::Network => t.network_error.to_owned(),
        SignInError::Other(m) => fill(t.action_failed, &[("why", m)]),
    });
    html! {
        <section class="card narrow" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{ t.sign_in_title }</h1>
            if props.password_set {
                <p class="notice" role="status">{ t.password_set }</p>
            }
            <form {onsubmit} novalidate=true>
                <label>
                    <span class="label">{ t.store_label }</span>
                    <select name="store" required=true onchange={on(SignInAction::Store)}>
                        <option value="" selected={form.store.is_empty()} disabled=true>{ "—" }</option>
                        { for form.stores.iter().map(|(id, name)| html! {
                            <option value={id.clone()} selected={*id == form.store}>{ name }</option>
                        }) }
                    </select>
                </label>
                <label>
                    <span class="label">{ t.email_label }</span>
                    <input type="email" name="email" autocomplete="username" required=true
                        value={form.email.clone()} oninput={on_input(SignInAction::Email)} />
                </label>
                <label>
                    <span class="label">{ t.password_label }</span>
                    <input type="password" name="password" autocomplete="current-password" required=true
                        value={form.password.clone()} oninput={on_input(SignInAction::Password)} />
                </label>
                <p class="error" role="alert">{ error.unwrap_or_default() }</p>
                <button type="submit" class="primary" disabled={form.busy}>{ t.sign_in_button }</button>
            </form>
        </section>
    }
}

/// Props of [`WelcomePage`].
#[derive(Properties, PartialEq)]
pub struct WelcomeProps {
    /// The words.
    pub t: &'static Strings,
    /// The invitation's token.
    pub token: String,
}

/// Sets a password from an invitation's token, then goes to sign in.
#[component]
pub fn WelcomePage(props: &WelcomeProps) -> Html {
    let t = props.t;
    let form = use_reducer(WelcomeForm::default);
    let onsubmit = {
        let form = form.clone();
        let token = props.token.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Read before dispatching: the handle shows the reduced state at once.
            let send = encore_core::admin::session::password_problem(&form.password).is_none()
                && !form.busy
                && !form.expired;
            let request = SetPasswordRequest {
                token: token.clone(),
                password: form.password.clone(),
            };
            form.dispatch(WelcomeAction::Submit);
            if !send {
                return;
            }
            let form = form.dispatcher();
            wasm_bindgen_futures::spawn_local(async move {
                match api::set_password(&request).await {
                    Ok(()) => navigate(&Route::SignIn {
                        next: None,
                        store: None,
                        password_set: true,
                    }),
                    Err(ApiError::Refused { status: 410, .. }) => {
                        form.dispatch(WelcomeAction::Expired)
                    }
                    Err(ApiError::Refused { message, .. }) => {
                        form.dispatch(WelcomeAction::Failed(message))
                    }
                    Err(_) => form.dispatch(WelcomeAction::Failed(String::new())),
                }
            });
        })
    };
    let oninput = {
        let form = form.dispatcher();
        Callback::from(move |e: InputEvent| form.dispatch(WelcomeAction::Password(value_of(&e))))
    };
    let problem = form.problem.map(|p| match p {
        PasswordProblem::TooShort => t.pw_too_short,
        PasswordProblem::TooLong => t.pw_too_long,
        PasswordProblem::Blank => t.pw_blank,
    });
    let error = if form.expired {
        t.link_expired.to_owned()
    } else {
        match &form.error {
            Some(m) if m.is_empty() => t.network_error.to_owned(),
            Some(m) => fill(t.action_failed, &[("why", m)]),
            None => String::new(),
        }
    };
    html! {
        <section class="card narrow" aria-labelledby="welcome-title">
            <h1 id="welcome-title">{ t.welcome_title }</h1>
            <p>{ t.welcome_intro }</p>
            <form {onsubmit} novalidate=true>
                <label>
                    <span class="label">{ t.new_password_label }</span>
                    <input type="password" name="new-password" autocomplete="new-password"
                        aria-describedby="password-problem" aria-invalid={problem.is_some().then_some("true")}
                        value={form.password.clone()} {oninput} />
                </label>
                <p id="password-problem" class="hint" aria-live="polite">{ problem.unwrap_or_default() }</p>
                <p class="error" role="alert">{ error }</p>
                <button type="submit" class="primary" disabled={form.busy || form.expired}>{ t.set_password_button }</button>
            </form>
        </section>
    }
}
