//! `mode="review"`: the items of one order, reviewed one after another, from the link in a
//! delivery message. A dead endpoint shows "Try again", never breaks the page.

use super::api;
use super::outcome::RewardCode;
use super::review_form::ReviewForm;
use super::state::Refusal;
use super::steps::{ItemStatus, StepAction, Steps};
use super::strings::{FormStrings, fill, form_strings};
use crate::console::warn;
use crate::context::WidgetContext;
use crate::transport::acks::{self, Subscription};
use encore_core::reviews::{ReviewRequest as OrderRequest, TokenProblem};
use std::rc::Rc;
use yew::prelude::*;

/// Where loading the order stands.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Failed,
    Ready(Rc<OrderRequest>),
}

/// The whole of `mode="review"`: the order's products, reviewed one after another.
#[component]
pub fn ReviewRequest() -> Html {
    let ctx = use_context::<WidgetContext>();
    let load = use_state(|| Load::Loading);
    let attempt = use_state(|| 0u32);
    {
        let load = load.clone();
        let ctx = ctx.clone();
        use_effect_with(*attempt, move |_| {
            if let Some(ctx) = ctx {
                if let Some(order) = ctx.config.order.clone() {
                    wasm_bindgen_futures::spawn_local(async move {
                        let token = ctx.config.order_token.as_deref();
                        match api::load_request(&ctx.config, &order, token).await {
                            Ok(request) => load.set(Load::Ready(Rc::new(request))),
                            Err(err) => {
                                warn(&format!("could not load the review request: {err}"));
                                load.set(Load::Failed);
                            }
                        }
                    });
                }
            }
        });
    }
    let Some(ctx) = ctx else {
        return Html::default();
    };
    let s = form_strings(ctx.config.locale);
    match &*load {
        Load::Loading => html! {
            <p class="request-loading" role="status">{ s.request_loading }</p>
        },
        Load::Failed => {
            let retry = {
                let load = load.clone();
                let attempt = attempt.clone();
                Callback::from(move |_: MouseEvent| {
                    load.set(Load::Loading);
                    attempt.set(*attempt + 1);
                })
            };
            html! {
                <div class="request-failed" role="alert">
                    <p>{ s.request_failed }</p>
                    <button type="button" onclick={retry}>{ s.retry }</button>
                </div>
            }
        }
        Load::Ready(request) => html! { <RequestSteps request={request.clone()} /> },
    }
}

/// Props of [`RequestSteps`].
#[derive(Properties, PartialEq)]
pub struct RequestStepsProps {
    /// The order's review request.
    pub request: Rc<OrderRequest>,
}

/// The order's items as steps, with the form for the current one.
#[component]
pub fn RequestSteps(props: &RequestStepsProps) -> Html {
    let ctx = use_context::<WidgetContext>();
    let store = ctx
        .as_ref()
        .map(|c| c.config.store.clone())
        .unwrap_or_default();
    let request = props.request.clone();
    let steps = {
        let store = store.clone();
        use_reducer(move || Steps::new(&request.items, &api::reviewed_here(&store, &request.order)))
    };
    let subscriptions = use_mut_ref(Vec::<Subscription>::new);
    {
        let steps = steps.clone();
        let subscriptions = subscriptions.clone();
        use_effect_with((), move |_| {
            for id in steps.waiting_ids() {
                subscriptions.borrow_mut().push(listen(&steps, id));
            }
        });
    }
    let moved = use_mut_ref(|| false);
    let root = use_node_ref();
    {
        let moved = moved.clone();
        let root = root.clone();
        use_effect_with(steps.current, move |current| {
            if std::mem::replace(&mut *moved.borrow_mut(), true) {
                let target = match current {
                    Some(_) => "encore-request-item",
                    None => "encore-request-done",
                };
                focus_by_id(&root, target);
            }
        });
    }
    let Some(ctx) = ctx else {
        return Html::default();
    };
    let s = form_strings(ctx.config.locale);
    let request = &props.request;
    let notice = match request.problem {
        Some(TokenProblem::Expired) => Some(s.expired_notice),
        Some(TokenProblem::Invalid | TokenProblem::Missing) => Some(s.unverified_notice),
        None => None,
    };
    let total = request.items.len().to_string();
    let current = steps
        .current
        .and_then(|i| request.items.get(i).map(|it| (i, it)));
    html! {
        <div class="review-request" ref={root}>
            if let Some(notice) = notice {
                <p class="notice request-notice" role="note">{ notice }</p>
            }
            if request.items.is_empty() {
                <p>{ s.no_items }</p>
            } else {
                <ol class="steps" aria-label={s.steps_label}>
                    for (i, item) in request.items.iter().enumerate() {
                        <li key={item.product.clone()} class="step"
                            aria-current={(steps.current == Some(i)).then_some("step")}>
                            <span class="step-count">
                                { fill(s.step_of, &[("n", &(i + 1).to_string()), ("total", &total)]) }
                            </span>
                            <span class="step-name">{ item.name.clone() }</span>
                            { status_line(s, &steps.items[i]) }
                        </li>
                    }
                </ol>
                if let Some((index, item)) = current {
                    <ReviewForm key={item.product.clone()} product={item.product.clone()}
                        product_name={item.name.clone()} form={Rc::new(request.form.clone())}
                        order={ctx.config.order.clone().map(AttrValue::from)}
                        order_token={ctx.config.order_token.clone().map(AttrValue::from)}
                        heading_id={AttrValue::from("encore-request-item")}
                        on_queued={on_queued(&steps, &subscriptions, &store, &request.order, index, &item.product)} />
                } else {
                    <p id="encore-request-done" class="all-done" tabindex="-1" role="status">
                        { s.all_done }
                    </p>
                }
            }
        </div>
    }
}

fn status_line(s: &'static FormStrings, status: &ItemStatus) -> Html {
    match status {
        ItemStatus::ToReview => Html::default(),
        ItemStatus::Saved { .. } => html! { <span class="step-status">{ s.step_saved }</span> },
        ItemStatus::Reviewed { reward } => html! {
            <>
                <span class="step-status done">{ s.step_reviewed }</span>
                if let Some(reward) = reward {
                    <RewardCode reward={reward.clone()} strings={s} />
                }
            </>
        },
        ItemStatus::Refused(refusal) => html! {
            <span class="step-status refused">
                { match refusal {
                    Refusal::AlreadyReviewed => s.already_reviewed,
                    Refusal::NotAccepted => s.not_accepted,
                    Refusal::Other => s.rejected,
                } }
            </span>
        },
    }
}

/// Subscribes the steps to the endpoint's answer for result `id`.
fn listen(steps: &UseReducerHandle<Steps>, id: String) -> Subscription {
    let steps = steps.clone();
    let key = id.clone();
    acks::on_settled(&key, move |settlement| {
        steps.dispatch(StepAction::Settled {
            id: id.clone(),
            settlement,
        })
    })
}

fn on_queued(
    steps: &UseReducerHandle<Steps>,
    subscriptions: &Rc<std::cell::RefCell<Vec<Subscription>>>,
    store: &str,
    order: &str,
    index: usize,
    product: &str,
) -> Callback<String> {
    let steps = steps.clone();
    let subscriptions = subscriptions.clone();
    let (store, order, product) = (store.to_owned(), order.to_owned(), product.to_owned());
    Callback::from(move |id: String| {
        api::remember_reviewed(&store, &order, &product, &id);
        subscriptions.borrow_mut().push(listen(&steps, id.clone()));
        steps.dispatch(StepAction::Queued { index, id });
    })
}

/// Focuses the element with `id` inside `root`.
fn focus_by_id(root: &NodeRef, id: &str) {
    let target = root
        .cast::<web_sys::Element>()
        .and_then(|r| r.query_selector(&format!("#{id}")).ok().flatten())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
    if let Some(el) = target {
        let _ = el.focus();
    }
}
