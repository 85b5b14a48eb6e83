//! One review in the queue: everything a moderator decides on, and its buttons. A leaf: it
//! only calls its `on_*` callbacks; the page does the work.

use crate::api::photo_url;
use crate::i18n::{Strings, fill};
use crate::ui::format::date_time;
use crate::ui::stars::Stars;
use crate::ui::value_of;
use encore_core::admin::queue::{QueueItem, ReviewStatus, Verification};
use encore_core::locale::Locale;
use yew::prelude::*;

/// Props of [`ReviewCard`].
#[derive(Properties, PartialEq)]
pub struct ReviewCardProps {
    /// The review.
    pub item: QueueItem,
    /// Its place on the page (ids of its elements).
    pub index: usize,
    /// It has the list's roving focus (it is the one reachable with Tab).
    pub focused: bool,
    /// It is selected.
    pub selected: bool,
    /// The role may approve, reject, reply and hide photos.
    pub may_moderate: bool,
    /// The words.
    pub t: &'static Strings,
    /// The language for dates.
    pub locale: Locale,
    /// Approve it (its id).
    pub on_approve: Callback<String>,
    /// Ask to reject it (its id).
    pub on_reject: Callback<String>,
    /// Select or unselect it (its id).
    pub on_toggle: Callback<String>,
    /// Hide (`true`) or restore a photo: review id, photo name.
    pub on_photo: Callback<(String, String, bool)>,
    /// Set the reply (empty removes it): review id, text.
    pub on_reply: Callback<(String, String)>,
    /// It got focus (its index).
    pub on_focus: Callback<usize>,
}

/// A review card.
#[component]
pub fn ReviewCard(props: &ReviewCardProps) -> Html {
    let t = props.t;
    let item = &props.item;
    let editing = use_state(|| false);
    let draft = use_state(String::new);
    let id = item.id.clone();
    let title_id = format!("review-title-{}", props.index);
    let title = if item.title.trim().is_empty() {
        fill(t.by_name, &[("name", &item.name)])
    } else {
        item.title.clone()
    };
    let product = item
        .product
        .name
        .clone()
        .unwrap_or_else(|| item.product.id.clone());
    let order = item.order_id.clone().unwrap_or_default();
    let verification = match item.verification {
        Verification::OrderToken => fill(t.verified_order, &[("order", &order)]),
        Verification::UnprovenOrder => fill(t.unproven_order, &[("order", &order)]),
        Verification::NoOrder => t.no_order.to_owned(),
    };
    let click = |cb: &Callback<String>| {
        let cb = cb.clone();
        let id = id.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };
    let onfocusin = {
        let on_focus = props.on_focus.clone();
        let index = props.index;
        Callback::from(move |_: FocusEvent| on_focus.emit(index))
    };
    let toggle = {
        let cb = props.on_toggle.clone();
        let id = id.clone();
        Callback::from(move |_: Event| cb.emit(id.clone()))
    };

    let photos = item.photos.iter().enumerate().map(|(n, photo)| {
        let hide = !photo.hidden;
        let onclick = {
            let cb = props.on_photo.clone();
            let (id, name) = (id.clone(), photo.name.clone());
            Callback::from(move |_: MouseEvent| cb.emit((id.clone(), name.clone(), hide)))
        };
        let alt = fill(t.photo_alt, &[("n", &(n + 1).to_string())]);
        html! {
            <li class={classes!("photo", photo.hidden.then_some("hidden"))}>
                <img src={photo_url(&photo.name)} alt={alt} loading="lazy"
                    width={photo.width.min(160).to_string()}
                    height={(u64::from(photo.height) * u64::from(photo.width.min(160)) / u64::from(photo.width.max(1))).to_string()} />
                if photo.hidden { <span class="badge">{ t.photo_hidden }</span> }
                if props.may_moderate {
                    <button type="button" {onclick}>{ if hide { t.hide_photo } else { t.restore_photo } }</button>
                }
            </li>
        }
    });

    let reply = {
        let save = {
            let cb = props.on_reply.clone();
            let (id, draft, editing) = (id.clone(), draft.clone(), editing.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                cb.emit((id.clone(), draft.trim().to_owned()));
                editing.set(false);
            })
        };
        let remove = {
            let cb = props.on_reply.clone();
            let id = id.clone();
            Callback::from(move |_: MouseEvent| cb.emit((id.clone(), String::new())))
        };
        let open = {
            let (draft, editing) = (draft.clone(), editing.clone());
            let current = item
                .reply
                .as_ref()
                .map(|r| r.body.clone())
                .unwrap_or_default();
            Callback::from(move |_: MouseEvent| {
                draft.set(current.clone());
                editing.set(true);
            })
        };
        let cancel = {
            let editing = editing.clone();
            Callback::from(move |_: MouseEvent| editing.set(false))
        };
        let oninput = {
            let draft = draft.clone();
            Callback::from(move |e: InputEvent| draft.set(value_of(&e)))
        };
        let reply_id = format!("reply-{}", props.index);
        html! {
            <div class="reply">
                if let Some(r) = &item.reply {
                    if !*editing {
                        <h4>{ t.reply_label }</h4>
                        <p class="text">{ &r.body }</p>
                    }
                }
                if *editing {
                    <form onsubmit={save}>
                        <label for={reply_id.clone()} class="label">{ t.reply_label }</label>
                        <textarea id={reply_id} rows="3" maxlength="2000" value={(*draft).clone()} {oninput} />
                        <div class="buttons">
                            <button type="submit" class="primary">{ t.save_reply }</button>
                            <button type="button" onclick={cancel}>{ t.cancel }</button>
                        </div>
                    </form>
                } else if props.may_moderate {
                    <div class="buttons">
                        <button type="button" onclick={open}>
                            { if item.reply.is_some() { t.edit_reply } else { t.write_reply } }
                        </button>
                        if item.reply.is_some() {
                            <button type="button" onclick={remove}>{ t.remove_reply }</button>
                        }
                    </div>
                }
            </div>
        }
    };

    html! {
        <article id={format!("review-{}", props.index)} class={classes!("review", props.focused.then_some("focused"))}
            tabindex={if props.focused { "0" } else { "-1" }} aria-labelledby={title_id.clone()} {onfocusin}
            data-id={item.id.clone()}>
            <div class="review-head">
                if props.may_moderate {
                    <input type="checkbox" class="select" checked={props.selected} onchange={toggle}
                        aria-label={fill(t.select_review, &[("title", &title)])} />
                }
                <Stars rating={item.rating} t={t} />
                <h3 id={title_id}>{ &title }</h3>
                if item.incentivized { <span class="badge incentive">{ t.incentive }</span> }
            </div>
            <p class="body text">{ &item.body }</p>
            <p class="meta">
                <span>{ fill(t.by_name, &[("name", &item.name)]) }</span>
                <span>{ fill(t.product_is, &[("product", &product)]) }</span>
                <span>{ fill(t.locale_is, &[("locale", &item.locale)]) }</span>
                <time>{ date_time(item.created_at, props.locale) }</time>
            </p>
            <p class={classes!("verification", item.verified.then_some("verified"))}>{ verification }</p>
            if !item.signals.is_empty() {
                <p class="signals">
                    { t.held_because }{ " " }
                    { item.signals.iter().map(|s| t.signal(*s)).collect::<Vec<_>>().join("; ") }
                </p>
            }
            if !item.answers.is_empty() {
                <h4>{ t.answers_label }</h4>
                <dl class="answers">
                    { for item.answers.iter().map(|a| html! { <><dt>{ &a.question }</dt><dd>{ &a.value }</dd></> }) }
                </dl>
            }
            if !item.photos.is_empty() {
                <ul class="photos" aria-label={t.photos_label}>{ for photos }</ul>
            }
            if item.status == ReviewStatus::Rejected {
                if let Some(reason) = item.reject_reason.as_ref().filter(|r| !r.is_empty()) {
                    <p class="reason">{ fill(t.rejected_because, &[("reason", reason)]) }</p>
                }
            }
            { reply }
            if props.may_moderate {
                <div class="buttons actions">
                    if item.status != ReviewStatus::Published {
                        <button type="button" class="primary approve" onclick={click(&props.on_approve)}>{ t.approve }</button>
                    }
                    if item.status != ReviewStatus::Rejected {
                        <button type="button" class="danger reject" onclick={click(&props.on_reject)}>{ t.reject }</button>
                    }
                </div>
            }
        </article>
    }
}
