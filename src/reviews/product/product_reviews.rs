//! The product page's reviews section: loads the pages of reviews its reducer asks for,
//! lays out the summary, the controls, the list with its lightbox and "write a review", and
//! publishes the JSON-LD for search engines.

use super::api;
use super::card::ReviewCard;
use super::controls::ListControls;
use super::jsonld;
use super::lightbox::Lightbox;
use super::state::{Load, ReviewsAction, ReviewsState};
use super::strings::{ProductStrings, product_strings};
use super::summary::RatingSummary;
use crate::browser::now_ms;
use crate::console::warn;
use crate::context::WidgetContext;
use crate::reviews::form::ReviewForm;
use crate::ui::together::{Part, use_together};
use encore_core::reviews::FormSpec;
use encore_core::reviews::listing::{ReviewQuery, ReviewSort};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// The id of the element the review form opens in (unique within the widget's shadow root).
const FORM_ID: &str = "encore-write-review";

/// The reviews section of `mode="product"`.
#[component]
pub fn ProductReviews() -> Html {
    let Some(ctx) = use_context::<WidgetContext>() else {
        return Html::default();
    };
    let Some(product) = ctx.config.product.clone() else {
        return Html::default();
    };
    html! { <ReviewsSection {ctx} product={AttrValue::from(product)} /> }
}

/// Props of [`ReviewsSection`].
#[derive(Properties, PartialEq, Clone)]
struct ReviewsSectionProps {
    /// The widget's context.
    ctx: WidgetContext,
    /// The product id.
    product: AttrValue,
}

/// Loads and shows one product's reviews.
#[component]
fn ReviewsSection(props: &ReviewsSectionProps) -> Html {
    let state = use_reducer(|| ReviewsState::new(api::voted_reviews()));
    let list = use_node_ref();
    let write_button = use_node_ref();
    let default_form = use_memo((), |_| FormSpec::default());
    let locale = props.ctx.config.locale;
    let s = product_strings(locale);

    {
        let dispatcher = state.dispatcher();
        let ctx = props.ctx.clone();
        let product = props.product.clone();
        use_effect_with(state.request, move |request| {
            let request = *request;
            wasm_bindgen_futures::spawn_local(async move {
                match api::fetch_page(&ctx.config, &product, &request.query).await {
                    Ok(page) => {
                        if request.query == ReviewQuery::default() {
                            publish_jsonld(&ctx, &product, &page);
                        }
                        dispatcher.dispatch(ReviewsAction::Loaded {
                            generation: request.generation,
                            page,
                            now: now_ms(),
                        });
                    }
                    Err(err) => {
                        warn(&format!("reviews could not be loaded: {err}"));
                        dispatcher.dispatch(ReviewsAction::Failed {
                            generation: request.generation,
                        });
                    }
                }
            });
        });
    }
    {
        let list = list.clone();
        use_effect_with(state.focus, move |focus| {
            if let Some((_, index)) = focus {
                focus_review(&list, *index);
            }
        });
    }

    // Until the offers teaser above has settled too, only the loading line: the section then
    // appears whole, below a teaser that no longer moves. The line is not the section's root
    // (a `<p>`, not its `<div>`), so it is replaced rather than pushed down by the teaser.
    let shown = use_together(Part::Reviews, state.load != Load::Loading);
    if !shown {
        return html! {
            <p class="list-status" part="status" role="status" aria-live="polite">
                { s.loading }
            </p>
        };
    }

    let send = |action: fn() -> ReviewsAction| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(action()))
    };
    let on_vote = {
        let dispatcher = state.dispatcher();
        let ctx = props.ctx.clone();
        Callback::from(move |id: String| {
            if api::voted_reviews().contains(&id) {
                return;
            }
            dispatcher.dispatch(ReviewsAction::Vote(id.clone()));
            api::remember_helpful(&id);
            let dispatcher = dispatcher.clone();
            let ctx = ctx.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::vote_helpful(&ctx.config, &id).await {
                    Ok(tally) => dispatcher.dispatch(ReviewsAction::VoteCounted { id, tally }),
                    Err(problem) => {
                        api::forget_helpful(&id);
                        dispatcher.dispatch(ReviewsAction::VoteFailed { id, problem });
                    }
                }
            });
        })
    };
    let on_open_photo = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(review, index): (String, usize)| {
            dispatcher.dispatch(ReviewsAction::OpenPhoto { review, index })
        })
    };
    let on_filter = {
        let dispatcher = state.dispatcher();
        Callback::from(move |stars: u8| dispatcher.dispatch(ReviewsAction::Stars(stars)))
    };
    let on_sort = {
        let dispatcher = state.dispatcher();
        Callback::from(move |sort: ReviewSort| dispatcher.dispatch(ReviewsAction::Sort(sort)))
    };
    let unit = |action: ReviewsAction| {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(action.clone()))
    };
    let on_toggle_form = {
        let dispatcher = state.dispatcher();
        let open = state.form_open;
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(if open {
                ReviewsAction::CloseForm
            } else {
                ReviewsAction::OpenForm
            })
        })
    };
    let on_close_form = {
        let dispatcher = state.dispatcher();
        let write_button = write_button.clone();
        Callback::from(move |()| {
            dispatcher.dispatch(ReviewsAction::CloseForm);
            if let Some(button) = write_button.cast::<HtmlElement>() {
                let _ = button.focus();
            }
        })
    };

    let form = state
        .meta
        .as_ref()
        .map(|m| m.form.clone())
        .unwrap_or_else(|| default_form.clone());
    let product_name = state
        .meta
        .as_ref()
        .and_then(|m| m.product.name.clone())
        .map(AttrValue::from)
        .unwrap_or_else(|| props.product.clone());
    let count = state.meta.as_ref().map_or(0, |m| m.summary.count);

    html! {
        <div class="product-reviews" part="reviews">
            if let Some(meta) = &state.meta {
                if meta.summary.count > 0 {
                    <RatingSummary summary={meta.summary} selected={state.query.stars} {locale}
                        {on_filter} on_clear={unit(ReviewsAction::ClearStars)} />
                } else {
                    <div class="empty" part="empty">
                        <p class="empty-title">{ s.no_reviews }</p>
                        <p class="empty-lead">{ s.no_reviews_lead }</p>
                    </div>
                }
            }
            <div class="write" part="write">
                <button type="button" class="write-button" part="write-button" ref={write_button}
                    aria-expanded={if state.form_open { "true" } else { "false" }}
                    aria-controls={FORM_ID} onclick={on_toggle_form}>
                    { s.write_review }
                </button>
                <div id={FORM_ID} class="write-form">
                    if state.form_open {
                        <ReviewForm product={props.product.clone()} {product_name} {form}
                            on_close={Some(on_close_form)} />
                    }
                </div>
            </div>
            if count > 0 {
                <ListControls sort={state.query.sort} photos={state.query.photos} {locale}
                    {on_sort} on_toggle_photos={unit(ReviewsAction::TogglePhotos)} />
            }
            <p class="list-status" part="status" role="status" aria-live="polite">
                { status_text(&state, s) }
            </p>
            if state.load == Load::Failed {
                <div class="load-error" part="error" role="alert">
                    <p>{ s.load_failed }</p>
                    <button type="button" class="outline" onclick={send(|| ReviewsAction::Retry)}>
                        { s.try_again }
                    </button>
                </div>
            }
            <ul class="review-list" part="review-list" role="list" ref={list}
                aria-busy={if state.load == Load::Loading { "true" } else { "false" }}>
                for review in state.reviews.iter() {
                    <li key={review.id.as_str()}>
                        <ReviewCard review={review.clone()} {locale} now={state.now}
                            form={state.meta.as_ref().map_or_else(|| default_form.clone(), |m| m.form.clone())}
                            voted={state.has_voted(&review.id)}
                            vote_problem={state.vote_problem.as_ref()
                                .filter(|(id, _)| *id == review.id).map(|(_, p)| *p)}
                            on_vote={on_vote.clone()} on_open_photo={on_open_photo.clone()} />
                    </li>
                }
            </ul>
            if state.next_offset.is_some() && state.load != Load::Failed {
                <button type="button" class="outline show-more" part="show-more"
                    aria-disabled={if state.load == Load::Loading { "true" } else { "false" }}
                    onclick={send(|| ReviewsAction::ShowMore)}>
                    { s.show_more }
                </button>
            }
            if let Some((review, index)) = state.open_photo() {
                <Lightbox {review} {index} {locale}
                    on_close={unit(ReviewsAction::ClosePhoto)}
                    on_next={unit(ReviewsAction::StepPhoto(1))}
                    on_prev={unit(ReviewsAction::StepPhoto(-1))} />
            }
        </div>
    }
}

/// The polite status line: loading, or how many reviews are shown of how many.
fn status_text(state: &ReviewsState, s: &ProductStrings) -> String {
    match (state.load, &state.meta) {
        (Load::Loading, _) => s.loading.to_owned(),
        (Load::Failed, _) | (Load::Ready, None) => String::new(),
        (Load::Ready, Some(meta)) if meta.summary.count == 0 => String::new(),
        (Load::Ready, Some(_)) if state.reviews.is_empty() => s.no_matches.to_owned(),
        (Load::Ready, Some(_)) => s.showing(
            state.reviews.len(),
            state.total(),
            state.query.stars,
            state.query.photos,
        ),
    }
}

/// Writes the product's JSON-LD into the host page when the store wants it.
fn publish_jsonld(ctx: &WidgetContext, product: &str, page: &encore_core::reviews::ReviewsPage) {
    let Some(document) = ctx.host.owner_document() else {
        return;
    };
    if let Err(err) = jsonld::publish(&document, ctx.config.jsonld, product, page) {
        warn(&format!(
            "the reviews' JSON-LD could not be written: {}",
            crate::transport::idb::describe(&err)
        ));
    }
}

/// Moves focus to the `index`th review of the list (after "Show more").
fn focus_review(list: &NodeRef, index: usize) {
    let selector = format!(":scope > li:nth-child({}) > article", index + 1);
    if let Some(article) = list
        .cast::<Element>()
        .and_then(|ul| ul.query_selector(&selector).ok().flatten())
        .and_then(|a| a.dyn_into::<HtmlElement>().ok())
    {
        let _ = article.focus();
    }
}
