//! The console's shell: which page the address names, the session, the language, and the
//! header with the navigation that shows only what the role may open.

use crate::api;
use crate::audit::AuditPage;
use crate::i18n::{Strings, fill, strings};
use crate::people::{KeysPage, UsersPage};
use crate::reviews::ReviewsPage;
use crate::route::{Route, Section};
use crate::rules::RulesPage;
use crate::sign_in::{SignInPage, WelcomePage};
use crate::ui::navigate;
use encore_core::admin::role::Action;
use encore_core::admin::session::SessionInfo;
use encore_core::locale::Locale;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use yew::prelude::*;

/// Where the chosen language is remembered between visits.
const LOCALE_KEY: &str = "encore-console-locale";

fn current_route() -> Route {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Route::parse(&hash)
}

/// The language: the one chosen before, else the browser's first that the console speaks.
fn initial_locale() -> Locale {
    let window = web_sys::window();
    let stored = window
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(LOCALE_KEY).ok().flatten());
    if let Some(locale) = stored.as_deref().and_then(Locale::for_tag) {
        return locale;
    }
    let browser: Vec<String> = window
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    encore_core::locale::resolve(None, None, &browser)
}

fn set_document_language(locale: Locale, t: &Strings) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if let Some(html) = document.document_element() {
            let _ = html.set_attribute("lang", locale.tag());
        }
        document.set_title(t.app_title);
    }
}

/// The whole console.
#[component]
pub fn App() -> Html {
    let route = use_state(current_route);
    let locale = use_state(initial_locale);
    let session = use_state(|| None::<Rc<SessionInfo>>);
    let t = strings(*locale);

    // Follow the address: links, the back button, and the API's move to sign in.
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || route.set(current_route()));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    use_effect_with(*locale, move |locale| {
        set_document_language(*locale, strings(*locale))
    });

    // A page that needs a session and has none asks the server (a reload keeps the session
    // in its cookie); a 401 sends the console to sign in.
    {
        let session = session.clone();
        let needs = route.needs_session() && session.is_none();
        use_effect_with(needs, move |needs| {
            if *needs {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(info) = api::session().await {
                        session.set(Some(Rc::new(info)));
                    }
                });
            }
        });
    }

    let on_locale = {
        let locale = locale.clone();
        Callback::from(move |e: Event| {
            let Some(chosen) = Locale::for_tag(&crate::ui::value_of(&e)) else {
                return;
            };
            if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten())
            {
                let _ = storage.set_item(LOCALE_KEY, chosen.tag());
            }
            locale.set(chosen);
        })
    };
    let on_signed_in = {
        let session = session.clone();
        let route = route.clone();
        Callback::from(move |info: SessionInfo| {
            session.set(Some(Rc::new(info)));
            let next = match &*route {
                Route::SignIn {
                    next: Some(next), ..
                } => Route::parse(next),
                _ => Route::default(),
            };
            navigate(&next);
        })
    };
    let on_sign_out = {
        let session = session.clone();
        Callback::from(move |_| {
            let session = session.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = api::sign_out().await;
                session.set(None);
                navigate(&Route::SignIn {
                    next: None,
                    store: None,
                    password_set: false,
                });
            });
        })
    };

    let language_switch = html! {
        <label class="language">
            <span class="label">{ t.language_label }</span>
            <select onchange={on_locale}>
                { for [Locale::En, Locale::ZhCn].into_iter().map(|l| html! {
                    <option value={l.tag()} selected={l == *locale} lang={l.tag()}>
                        { strings(l).language_name }
                    </option>
                }) }
            </select>
        </label>
    };

    let page = match (&*route, &*session) {
        (
            Route::SignIn {
                next,
                store,
                password_set,
            },
            _,
        ) => html! {
            <SignInPage t={t} store={store.clone()} next={next.clone()}
                password_set={*password_set} on_signed_in={on_signed_in} />
        },
        (Route::Welcome { token }, _) => html! { <WelcomePage t={t} token={token.clone()} /> },
        (_, None) => html! { <p class="loading" role="status">{ t.loading }</p> },
        (route, Some(session)) => signed_in_page(route, session, t, *locale),
    };

    let header = match (&*session, route.needs_session()) {
        (Some(session), true) => header(&route, session, t, language_switch, on_sign_out),
        _ => html! {
            <header class="top"><span class="brand">{ t.app_title }</span>{ language_switch }</header>
        },
    };
    html! {
        <>
            <a class="skip" href="#main" onclick={Callback::from(|e: MouseEvent| {
                // The hash is the router's: move focus without changing it.
                e.prevent_default();
                if let Some(main) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main")) {
                    if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() { let _ = main.focus(); }
                }
            })}>{ t.skip_to_content }</a>
            { header }
            <main id="main" tabindex="-1">{ page }</main>
        </>
    }
}

fn header(
    route: &Route,
    session: &SessionInfo,
    t: &'static Strings,
    language_switch: Html,
    on_sign_out: Callback<MouseEvent>,
) -> Html {
    let role = session.role;
    let section = route.section();
    let entries = [
        (Section::Reviews, Route::default(), t.nav_reviews, true),
        (
            Section::Rules,
            Route::Rules,
            t.nav_rules,
            role.may(Action::ReadRules),
        ),
        (
            Section::Audit,
            Route::Audit(Default::default()),
            t.nav_audit,
            role.may(Action::ReadAudit),
        ),
        (
            Section::Users,
            Route::Users,
            t.nav_users,
            role.may(Action::ManageUsers),
        ),
        (
            Section::Keys,
            Route::Keys,
            t.nav_keys,
            role.may(Action::ManageKeys),
        ),
    ];
    let who = fill(
        t.signed_in_as,
        &[("email", &session.email), ("role", t.role(role))],
    );
    html! {
        <header class="top">
            <span class="brand">{ &session.store_name }</span>
            <nav aria-label={t.nav_label}>
                <ul>
                    { for entries.into_iter().filter(|e| e.3).map(|(s, r, label, _)| html! {
                        <li>
                            <a href={r.to_hash()} aria-current={(s == section).then_some("page")}>{ label }</a>
                        </li>
                    }) }
                </ul>
            </nav>
            <span class="who">{ who }</span>
            { language_switch }
            <button type="button" class="sign-out" onclick={on_sign_out}>{ t.sign_out }</button>
        </header>
    }
}

fn signed_in_page(
    route: &Route,
    session: &Rc<SessionInfo>,
    t: &'static Strings,
    locale: Locale,
) -> Html {
    let role = session.role;
    let refused = html! { <p class="notice" role="alert">{ t.not_allowed }</p> };
    match route {
        Route::Reviews(filter) => html! {
            <ReviewsPage t={t} locale={locale} filter={filter.clone()}
                may_moderate={role.may(Action::ModerateReviews)} />
        },
        Route::Rules => html! { <RulesPage t={t} may_edit={role.may(Action::EditRules)} /> },
        Route::Audit(filter) => {
            html! { <AuditPage t={t} locale={locale} filter={filter.clone()} /> }
        }
        Route::Users if role.may(Action::ManageUsers) => {
            html! { <UsersPage t={t} locale={locale} /> }
        }
        Route::Keys if role.may(Action::ManageKeys) => html! { <KeysPage t={t} locale={locale} /> },
        Route::Users | Route::Keys => refused,
        Route::SignIn { .. } | Route::Welcome { .. } => Html::default(),
    }
}
