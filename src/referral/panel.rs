//! The advocate's referral panel (`mode="referral"`, and after the offers on `mode="thank-you"`):
//! the give/get offer, the personal link with copy, the share sheet, the channel buttons and the
//! QR code, and how the link has done. Every share is a `referral.shared` result in the outbox.

use super::api;
use super::share::{ShareChannels, qr_download_href};
use super::state::{Load, ReferralAction, ReferralState};
use super::strings::{ReferralStrings, referral_strings};
use crate::console::warn;
use crate::context::WidgetContext;
use crate::transport::http::HttpError;
use crate::ui::clipboard::CopyButton;
use crate::ui::qr::QrCodeSvg;
use crate::ui::together::{Part, use_together};
use encore_core::config::Mode;
use encore_core::referral::page::ReferralPage;
use encore_core::referral::results::SharedVia;
use std::cell::Cell;
use yew::prelude::*;

thread_local! {
    static NEXT_PANEL: Cell<u32> = const { Cell::new(0) };
}

/// An id prefix unique on the page, so two panels do not share label targets.
fn next_id() -> AttrValue {
    NEXT_PANEL.with(|n| {
        n.set(n.get() + 1);
        AttrValue::from(format!("encore-referral-{}", n.get()))
    })
}

/// The referral panel for the advocate the page's member or order token names.
#[component]
pub fn ReferralPanel() -> Html {
    let ctx = use_context::<WidgetContext>();
    let state = use_reducer(ReferralState::default);
    let share_error = use_state(|| None::<&'static str>);
    let id = use_memo((), |_| next_id());

    {
        let dispatcher = state.dispatcher();
        let ctx = ctx.clone();
        use_effect_with(state.generation, move |generation| {
            let generation = *generation;
            let Some(ctx) = ctx else {
                return;
            };
            let Some(query) = api::page_query(&ctx.config) else {
                dispatcher.dispatch(ReferralAction::NoToken);
                return;
            };
            wasm_bindgen_futures::spawn_local(async move {
                match api::fetch_page(&ctx.config, &query).await {
                    Ok(page) => dispatcher.dispatch(ReferralAction::Loaded { generation, page }),
                    Err(err) => {
                        warn(&format!("the referral link could not be loaded: {err}"));
                        let status = match err {
                            HttpError::Status { status, .. } => Some(status),
                            _ => None,
                        };
                        dispatcher.dispatch(ReferralAction::Failed { generation, status });
                    }
                }
            });
        });
    }

    let shown = use_together(Part::Referral, !matches!(state.load, Load::Loading));

    let Some(ctx) = ctx else {
        return Html::default();
    };
    let s = referral_strings(ctx.config.locale);
    let loading = || html! { <p class="referral-status" role="status">{ s.loading }</p> };
    if !shown {
        // Not the panel's own root: replaced, not pushed down, when the parts appear.
        return loading();
    }
    let body = match &state.load {
        Load::Loading => loading(),
        // On the order confirmation a guest without a token simply sees no panel.
        Load::SignedOut if ctx.config.mode == Mode::Referral => {
            html! { <p class="referral-status">{ s.signed_out }</p> }
        }
        Load::SignedOut | Load::NotOffered => return Html::default(),
        Load::Failed => {
            let dispatcher = state.dispatcher();
            let onclick = Callback::from(move |_: MouseEvent| {
                dispatcher.dispatch(ReferralAction::Retry);
            });
            html! {
                <div class="referral-error" role="alert">
                    <p>{ s.load_failed }</p>
                    <button type="button" {onclick}>{ s.try_again }</button>
                </div>
            }
        }
        Load::Ready(page) => {
            let on_share = {
                let ctx = ctx.clone();
                let code = page.code.clone();
                let share_error = share_error.clone();
                Callback::from(move |via: SharedVia| {
                    let ctx = ctx.clone();
                    let code = code.clone();
                    let share_error = share_error.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        match api::shared(&ctx.host, &ctx.config, &code, via).await {
                            Ok(()) => share_error.set(None),
                            Err(err) => share_error.set(Some(ctx.strings.enqueue_error(&err))),
                        }
                    });
                })
            };
            ready(page, s, &id, on_share, *share_error)
        }
    };
    let heading = match &state.load {
        Load::Ready(page) => s.heading(page),
        _ => String::new(),
    };
    html! {
        <div class="referral" part="referral" aria-labelledby={format!("{id}-heading")}
            data-status={status_name(&state.load)}>
            if !heading.is_empty() {
                <h3 class="referral-heading" id={format!("{id}-heading")}>{ heading }</h3>
            }
            { body }
        </div>
    }
}

/// The panel's `data-status`, for the store's CSS and for tests.
fn status_name(load: &Load) -> &'static str {
    match load {
        Load::Loading => "loading",
        Load::Ready(_) => "ready",
        Load::SignedOut => "signed-out",
        Load::NotOffered => "not-offered",
        Load::Failed => "failed",
    }
}

fn ready(
    page: &ReferralPage,
    s: &'static ReferralStrings,
    id: &str,
    on_share: Callback<SharedVia>,
    share_error: Option<&'static str>,
) -> Html {
    let link = AttrValue::from(page.link.clone());
    let message = AttrValue::from(s.message(page));
    let subject = AttrValue::from(s.subject(page));
    let input_id = format!("{id}-link");
    let on_copied = {
        let on_share = on_share.clone();
        Callback::from(move |()| on_share.emit(SharedVia::Copy))
    };
    let native = api::can_share_natively().then(|| {
        let on_share = on_share.clone();
        let (link, message, subject) = (link.clone(), message.clone(), subject.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let on_share = on_share.clone();
            let (link, message, subject) = (link.clone(), message.clone(), subject.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if api::share_natively(&subject, &message, &link).await {
                    on_share.emit(SharedVia::Native);
                }
            });
        });
        html! { <button type="button" class="referral-native" {onclick}>{ s.share }</button> }
    });
    let download = qr_download_href(&page.link).map(|href| {
        let on_share = on_share.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_share.emit(SharedVia::QrDownload));
        html! {
            <a class="referral-download" {href} download={format!("{}.svg", s.qr_file)} {onclick}>
                { s.qr_download }
            </a>
        }
    });
    let select_all = Callback::from(|e: FocusEvent| {
        use wasm_bindgen::JsCast;
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.select();
        }
    });
    html! {
        <>
            <p class="referral-terms">{ s.terms(page) }</p>
            <label class="referral-label" for={input_id.clone()}>{ s.your_link }</label>
            <div class="referral-link">
                <input id={input_id} class="referral-url" type="text" readonly=true
                    value={link.clone()} onfocus={select_all} />
                <CopyButton text={link.clone()} label={s.copy} copied={s.copied}
                    failed={s.copy_failed} {on_copied} />
            </div>
            { native }
            <ShareChannels link={link.clone()} {message} {subject} strings={s}
                on_share={on_share} />
            <figure class="referral-qr">
                <QrCodeSvg text={link.clone()} label={s.qr_label(&page.link)} size={160} />
                <figcaption>{ s.qr_caption }</figcaption>
                { download }
            </figure>
            if let Some(error) = share_error {
                <p class="referral-share-error" role="alert">{ error }</p>
            }
            <section class="referral-results" aria-label={s.results}>
                <h4 class="referral-results-heading">{ s.results }</h4>
                <dl class="referral-counts">
                    for (label, n) in s.counts(&page.counts) {
                        <div class="referral-count">
                            <dt>{ label }</dt>
                            <dd>{ n }</dd>
                        </div>
                    }
                </dl>
                if let Some(pending) = s.pending(&page.counts) {
                    <p class="referral-pending">{ pending }</p>
                }
            </section>
        </>
    }
}
