//! The moderation queue, the console's main page: tabs with counts, filters in the address,
//! a keyboard-driven list of reviews, single and bulk actions, and a live region that says
//! what happened.

pub mod card;
pub mod filters;
pub mod state;

use crate::api;
use crate::i18n::{Strings, fill};
use crate::route::Route;
use crate::ui::dialog::Modal;
use crate::ui::format::number;
use crate::ui::{error_text, navigate, value_of};
use card::ReviewCard;
use encore_core::admin::queue::{BulkAction, BulkRequest, QueueFilter, ReviewStatus, TabCounts};
use encore_core::locale::Locale;
use filters::Filters;
use state::{Announcement, Dialog, Queue, QueueAction};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`ReviewsPage`].
#[derive(Properties, PartialEq)]
pub struct ReviewsPageProps {
    /// The words.
    pub t: &'static Strings,
    /// The language for dates and numbers.
    pub locale: Locale,
    /// The filter in the address.
    pub filter: QueueFilter,
    /// The role may approve, reject, reply and hide photos.
    pub may_moderate: bool,
}

fn count(counts: &TabCounts, status: ReviewStatus) -> u64 {
    match status {
        ReviewStatus::Pending => counts.pending,
        ReviewStatus::Published => counts.published,
        ReviewStatus::Rejected => counts.rejected,
    }
}

fn announcement_text(a: &Announcement, t: &Strings) -> String {
    match a {
        Announcement::Approved => t.announce_approved.to_owned(),
        Announcement::Rejected => t.announce_rejected.to_owned(),
        Announcement::BulkApproved(n) => fill(t.announce_bulk_approved, &[("n", &n.to_string())]),
        Announcement::BulkRejected(n) => fill(t.announce_bulk_rejected, &[("n", &n.to_string())]),
        Announcement::ReplySaved => t.announce_reply_saved.to_owned(),
        Announcement::PhotoHidden => t.announce_photo_hidden.to_owned(),
        Announcement::PhotoRestored => t.announce_photo_restored.to_owned(),
        Announcement::Failed(why) => why.clone(),
    }
}

/// The queue page.
#[component]
pub fn ReviewsPage(props: &ReviewsPageProps) -> Html {
    let t = props.t;
    let queue = use_reducer(|| Queue::new(props.filter.clone()));

    // Load whenever the address's filter changes, and after a bulk change.
    {
        let dispatcher = queue.dispatcher();
        use_effect_with((props.filter.clone(), queue.reloads), move |(filter, _)| {
            dispatcher.dispatch(QueueAction::Load(filter.clone()));
            let filter = filter.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::queue(&filter).await {
                    Ok(page) => dispatcher.dispatch(QueueAction::Loaded(filter, page)),
                    Err(_) => dispatcher.dispatch(QueueAction::LoadFailed),
                }
            });
        });
    }
    // Move the document's focus with the list's roving focus.
    {
        let focus = queue.focus;
        use_effect_with(queue.focus_moves, move |moves| {
            if *moves > 0 {
                let article = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&format!("review-{focus}")))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(article) = article {
                    let _ = article.focus();
                }
            }
        });
    }

    let approve = {
        let d = queue.dispatcher();
        Callback::from(move |id: String| {
            let d = d.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::approve(&id).await {
                    Ok(item) => d.dispatch(QueueAction::Changed(item, Announcement::Approved)),
                    Err(e) => d.dispatch(QueueAction::Failed(error_text(&e, t))),
                }
            });
        })
    };
    let ask_reject = {
        let d = queue.dispatcher();
        Callback::from(move |id: String| d.dispatch(QueueAction::AskReject(id)))
    };
    let toggle = {
        let d = queue.dispatcher();
        Callback::from(move |id: String| d.dispatch(QueueAction::Toggle(id)))
    };
    let on_photo = {
        let d = queue.dispatcher();
        Callback::from(move |(id, name, hide): (String, String, bool)| {
            let d = d.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let said = if hide {
                    Announcement::PhotoHidden
                } else {
                    Announcement::PhotoRestored
                };
                match api::photo(&id, &name, hide).await {
                    Ok(item) => d.dispatch(QueueAction::Changed(item, said)),
                    Err(e) => d.dispatch(QueueAction::Failed(error_text(&e, t))),
                }
            });
        })
    };
    let on_reply = {
        let d = queue.dispatcher();
        Callback::from(move |(id, body): (String, String)| {
            let d = d.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::reply(&id, &body).await {
                    Ok(item) => d.dispatch(QueueAction::Changed(item, Announcement::ReplySaved)),
                    Err(e) => d.dispatch(QueueAction::Failed(error_text(&e, t))),
                }
            });
        })
    };
    let on_focus = {
        let d = queue.dispatcher();
        Callback::from(move |i: usize| d.dispatch(QueueAction::Focused(i)))
    };

    let onkeydown = {
        let queue = queue.clone();
        let approve = approve.clone();
        let may = props.may_moderate;
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            // Letters typed into a field are text, not commands.
            let in_field = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            if in_field {
                return;
            }
            let focused = queue.focused().map(|r| r.id.clone());
            match (e.key().as_str(), focused) {
                ("j" | "ArrowDown", _) => queue.dispatch(QueueAction::Move(1)),
                ("k" | "ArrowUp", _) => queue.dispatch(QueueAction::Move(-1)),
                ("a", Some(id)) if may => approve.emit(id),
                ("r", Some(id)) if may => queue.dispatch(QueueAction::AskReject(id)),
                ("x", Some(id)) if may => queue.dispatch(QueueAction::Toggle(id)),
                _ => return,
            }
            e.prevent_default();
        })
    };

    let counts = queue.page.as_ref().map(|p| p.counts).unwrap_or_default();
    let filter = &props.filter;
    let tabs = ReviewStatus::ALL.into_iter().enumerate().map(|(i, status)| {
        let selected = status == filter.status;
        let name = fill(t.tab_name, &[("label", t.tabs[i]), ("count", &number(count(&counts, status), props.locale))]);
        html! {
            <a role="tab" id={format!("tab-{}", status.as_str())} href={Route::Reviews(filter.on_tab(status)).to_hash()}
                aria-selected={if selected { "true" } else { "false" }} aria-controls="queue-panel"
                tabindex={if selected { "0" } else { "-1" }}
                class={classes!("tab", selected.then_some("selected"))}>
                { name }
            </a>
        }
    });

    // The tab list's arrow keys (a tablist is one tab stop): move to the next tab and show it.
    let on_tab_key = {
        let filter = filter.clone();
        Callback::from(move |e: KeyboardEvent| {
            let all = ReviewStatus::ALL;
            let at = all.iter().position(|s| *s == filter.status).unwrap_or(0);
            let to = match e.key().as_str() {
                "ArrowRight" => all[(at + 1) % all.len()],
                "ArrowLeft" => all[(at + all.len() - 1) % all.len()],
                "Home" => all[0],
                "End" => all[all.len() - 1],
                _ => return,
            };
            e.prevent_default();
            navigate(&Route::Reviews(filter.on_tab(to)));
            let tab = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", to.as_str())))
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(tab) = tab {
                let _ = tab.focus();
            }
        })
    };
    let on_apply = Callback::from(|f: QueueFilter| navigate(&Route::Reviews(f)));
    let select_all = {
        let d = queue.dispatcher();
        Callback::from(move |e: Event| {
            d.dispatch(QueueAction::SelectAll(crate::ui::checked_of(&e)))
        })
    };
    let ask_bulk = |action: BulkAction| {
        let d = queue.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(QueueAction::AskBulk(action)))
    };

    let dialog = queue.dialog.clone().map(|dialog| {
        let close = {
            let d = queue.dispatcher();
            Callback::from(move |()| d.dispatch(QueueAction::CloseDialog))
        };
        let close_click = {
            let close = close.clone();
            Callback::from(move |_: MouseEvent| close.emit(()))
        };
        let on_reason = {
            let d = queue.dispatcher();
            Callback::from(move |e: InputEvent| d.dispatch(QueueAction::Reason(value_of(&e))))
        };
        let (title, reason, is_reject) = match &dialog {
            Dialog::Reject { reason, .. } => (t.reject_title.to_owned(), reason.clone(), true),
            Dialog::Bulk { action, ids, reason } => {
                let n = ids.len().to_string();
                let question = match action {
                    BulkAction::Approve => t.confirm_bulk_approve,
                    BulkAction::Reject => t.confirm_bulk_reject,
                };
                (fill(question, &[("n", &n)]), reason.clone(), *action == BulkAction::Reject)
            }
        };
        let onsubmit = {
            let d = queue.dispatcher();
            let dialog = dialog.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                d.dispatch(QueueAction::CloseDialog);
                let d = d.clone();
                let dialog = dialog.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match dialog {
                        Dialog::Reject { id, reason } => match api::reject(&id, reason.trim()).await {
                            Ok(item) => d.dispatch(QueueAction::Changed(item, Announcement::Rejected)),
                            Err(e) => d.dispatch(QueueAction::Failed(error_text(&e, t))),
                        },
                        Dialog::Bulk { action, ids, reason } => {
                            let request = BulkRequest { action, ids, reason: reason.trim().to_owned() };
                            match api::bulk(&request).await {
                                Ok(result) => d.dispatch(QueueAction::BulkDone(action, result.changed)),
                                Err(e) => d.dispatch(QueueAction::Failed(error_text(&e, t))),
                            }
                        }
                    }
                });
            })
        };
        html! {
            <Modal title={title} on_cancel={close}>
                <form method="dialog" {onsubmit}>
                    if is_reject {
                        <label>
                            <span class="label">{ t.reject_reason }</span>
                            <textarea name="reason" rows="3" maxlength="500" value={reason} oninput={on_reason} />
                        </label>
                    }
                    <div class="buttons">
                        <button type="submit" class={if is_reject { "danger" } else { "primary" }}>{ t.confirm }</button>
                        <button type="button" onclick={close_click}>{ t.cancel }</button>
                    </div>
                </form>
            </Modal>
        }
    });

    let list = if queue.page.is_none() && queue.failed {
        let retry = {
            let d = queue.dispatcher();
            Callback::from(move |_: MouseEvent| d.dispatch(QueueAction::Reload))
        };
        html! {
            <div class="failed">
                <p class="error" role="alert">{ t.load_failed }</p>
                <button type="button" onclick={retry}>{ t.retry }</button>
            </div>
        }
    } else if queue.page.is_none() {
        html! { <p class="loading" role="status">{ t.loading }</p> }
    } else if queue.reviews().is_empty() {
        html! { <p class="empty">{ t.empty_queue }</p> }
    } else {
        html! {
            <ul class="queue" aria-label={t.list_label} {onkeydown}>
                { for queue.reviews().iter().enumerate().map(|(i, item)| html! {
                    <li key={item.id.clone()}>
                        <ReviewCard item={item.clone()} index={i} focused={i == queue.focus}
                            selected={queue.selected.contains(&item.id)} may_moderate={props.may_moderate}
                            t={t} locale={props.locale} on_approve={approve.clone()} on_reject={ask_reject.clone()}
                            on_toggle={toggle.clone()} on_photo={on_photo.clone()} on_reply={on_reply.clone()}
                            on_focus={on_focus.clone()} />
                    </li>
                }) }
            </ul>
        }
    };

    let page = queue.page.as_ref();
    let has_more = page.is_some_and(|p| p.has_more);
    let pager = (filter.page > 0 || has_more).then(|| {
        let at = |n: u32| Route::Reviews(QueueFilter { page: n, ..filter.clone() }).to_hash();
        html! {
            <nav class="pager" aria-label={fill(t.page_n, &[("n", &(filter.page + 1).to_string())])}>
                if filter.page > 0 { <a href={at(filter.page - 1)} rel="prev">{ t.prev_page }</a> }
                <span>{ fill(t.page_n, &[("n", &(filter.page + 1).to_string())]) }</span>
                if has_more { <a href={at(filter.page + 1)} rel="next">{ t.next_page }</a> }
            </nav>
        }
    });
    let said = queue.announcement.as_ref().map(|(n, a)| {
        html! {
            <span key={n.to_string()}>{ announcement_text(a, t) }</span>
        }
    });
    let selected = queue.selected.len();

    html! {
        <section class="reviews" aria-labelledby="reviews-title">
            <h1 id="reviews-title">{ t.reviews_title }</h1>
            <div role="tablist" aria-label={t.tabs_label} class="tabs" onkeydown={on_tab_key}>{ for tabs }</div>
            <Filters filter={filter.clone()} t={t} on_apply={on_apply} />
            <div role="tabpanel" id="queue-panel" aria-labelledby={format!("tab-{}", filter.status.as_str())}
                aria-busy={queue.loading.then_some("true")}>
                if props.may_moderate && !queue.reviews().is_empty() {
                    <div class="bulk">
                        <label class="check">
                            <input type="checkbox" checked={queue.all_selected()} onchange={select_all} />
                            <span>{ t.select_all }</span>
                        </label>
                        <span class="count">{ fill(t.selected_count, &[("n", &selected.to_string())]) }</span>
                        if filter.status != ReviewStatus::Published {
                            <button type="button" class="primary" disabled={selected == 0} onclick={ask_bulk(BulkAction::Approve)}>{ t.bulk_approve }</button>
                        }
                        if filter.status != ReviewStatus::Rejected {
                            <button type="button" class="danger" disabled={selected == 0} onclick={ask_bulk(BulkAction::Reject)}>{ t.bulk_reject }</button>
                        }
                    </div>
                    <p class="hint">{ t.keyboard_help }</p>
                }
                { list }
                { for pager }
            </div>
            <p class="sr-only" role="status" aria-live="polite" aria-atomic="true">{ for said }</p>
            { for dialog }
        </section>
    }
}
