//! The offers panel: loads what this shopper may see and shows it: a member's offers with
//! their claims, a guest's locked benefits with the join link, and the weekly drop. Claims go
//! through the durable outbox; the panel follows each one's acknowledgement for the code.

use super::api;
use super::card::OfferCardView;
use super::countdown::DropCountdown;
use super::locked::{join_link, locked_offers};
use super::state::{Load, OffersAction, OffersState};
use super::strings::{OffersStrings, offers_strings};
use crate::browser::{now_ms, offline};
use crate::console::warn;
use crate::context::WidgetContext;
use crate::transport::follow::{Following, follow};
use crate::ui::focus;
use crate::ui::link::safe_href;
use crate::ui::together::{Part, use_together};
use encore_core::offers::{MemberStatus, OffersPage};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use yew::prelude::*;

thread_local! {
    static NEXT_PANEL: Cell<u32> = const { Cell::new(0) };
}

/// A heading id unique on the page, so two panels in one tree do not share one.
fn next_heading_id() -> AttrValue {
    NEXT_PANEL.with(|n| {
        n.set(n.get() + 1);
        AttrValue::from(format!("encore-offers-{}", n.get()))
    })
}

/// Props of [`OffersPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct OffersPanelProps {
    /// A teaser beside other content (the product page): quieter, and nothing at all while
    /// loading or when loading failed, so the page's main content is not pushed around.
    #[prop_or_default]
    pub compact: bool,
}

/// The claims this panel has on their way, kept beside the reducer: which offers are being
/// claimed (so a quick second press sends nothing), and the follow-ups that must live as
/// long as the panel.
#[derive(Default)]
struct Claims {
    in_flight: Vec<String>,
    waits: Vec<Following>,
}

/// Member-only offers for the configured store and member token.
#[component]
pub fn OffersPanel(props: &OffersPanelProps) -> Html {
    let ctx = use_context::<WidgetContext>();
    let state = use_reducer(OffersState::default);
    let claims = use_mut_ref(Claims::default);
    let heading_id = use_memo((), |_| next_heading_id());
    let root = use_node_ref();

    {
        let dispatcher = state.dispatcher();
        let ctx = ctx.clone();
        use_effect_with(state.generation, move |generation| {
            let generation = *generation;
            if let Some(ctx) = ctx {
                wasm_bindgen_futures::spawn_local(async move {
                    match api::fetch_page(&ctx.config).await {
                        Ok(page) => {
                            check_join_link(&page);
                            dispatcher.dispatch(OffersAction::Loaded {
                                generation,
                                page,
                                device_now: now_ms(),
                            });
                        }
                        Err(err) => {
                            warn(&format!("member offers could not be loaded: {err}"));
                            dispatcher.dispatch(OffersAction::Failed { generation });
                        }
                    }
                });
            }
        });
    }
    {
        // The store's page listens for this to sign a fresh token (then the widget remounts).
        let ctx = ctx.clone();
        use_effect_with(state.token_expired, move |expired| {
            if let (true, Some(ctx)) = (*expired, ctx) {
                api::tell_token_expired(&ctx.host, &ctx.config.store);
            }
        });
    }
    {
        // After "Try again" the button goes away: focus follows to what replaces it.
        let root = root.clone();
        let retried = state.generation > 0;
        use_effect_with(state.load, move |load| {
            if retried && focus::was_lost() {
                let selector = match load {
                    Load::Loading => ".offers-status",
                    Load::Failed => ".offers-error button",
                    Load::Ready => ".offers-heading",
                };
                focus::move_into(&root, selector);
            }
        });
    }

    // One callback for the panel's life, so a card whose claim did not change is not redrawn.
    let on_claim = {
        let dispatcher = state.dispatcher();
        let claims = claims.clone();
        use_callback(ctx.clone(), move |offer: String, ctx| {
            if let Some(ctx) = ctx {
                claim(dispatcher.clone(), ctx.clone(), offer, &claims);
            }
        })
    };

    let shown = use_together(Part::Offers, state.load != Load::Loading);

    let Some(ctx) = ctx else {
        return Html::default();
    };
    // Waiting for the other parts looks like loading.
    let load = if shown { state.load } else { Load::Loading };
    let locale = ctx.config.locale;
    let s = offers_strings(locale);
    let compact = props.compact;
    let class = classes!("offers", compact.then_some("compact"));

    let page = match (load, state.page.clone()) {
        (Load::Ready, Some(page)) if state.has_content() => page,
        (Load::Loading, _) if !compact => {
            return html! {
                <div {class} part="offers" ref={root}>
                    <p class="offers-status" role="status" tabindex="-1">{ s.loading }</p>
                </div>
            };
        }
        (Load::Failed, _) if !compact => {
            let dispatcher = state.dispatcher();
            let onclick = Callback::from(move |_: MouseEvent| {
                dispatcher.dispatch(OffersAction::Retry);
            });
            return html! {
                <div {class} part="offers" ref={root}>
                    <div class="offers-error" role="alert">
                        <p>{ s.load_failed }</p>
                        <button type="button" class="outline" {onclick}>{ s.try_again }</button>
                    </div>
                </div>
            };
        }
        // Nothing to show (or a teaser not ready): the panel stays out of the way.
        _ => return Html::default(),
    };

    let member = page.status.is_member();

    html! {
        <section {class} part="offers" aria-labelledby={(*heading_id).clone()} ref={root}>
            <h3 id={(*heading_id).clone()} class="offers-heading" tabindex="-1">
                { heading(&page, s) }
            </h3>
            if page.status == MemberStatus::Expired {
                <p class="offers-notice" role="status">{ s.token_expired }</p>
            }
            if member {
                if page.offers.is_empty() {
                    <p class="offers-empty">{ s.no_offers }</p>
                } else {
                    <ul class="offer-list" role="list">
                        for offer in page.offers.iter() {
                            <li key={offer.id.as_str()}>
                                <OfferCardView offer={offer.clone()} claim={state.claim_of(offer)}
                                    {locale} now={page.now} on_claim={on_claim.clone()} />
                            </li>
                        }
                    </ul>
                }
            } else {
                { locked_offers(&page.locked, s) }
            }
            if let Some(drop) = &page.drop {
                <DropCountdown drop={drop.clone()} {member} clock_offset={state.clock_offset}
                    {locale} />
            }
            if !member {
                if let Some(join) = &page.join {
                    { join_link(join) }
                }
            }
        </section>
    }
}

/// "Gold member" for a member, the guest heading for everyone else.
fn heading(page: &OffersPage, s: &OffersStrings) -> String {
    match &page.status {
        MemberStatus::Member { tier_name, .. } => s.member_heading(tier_name.as_deref()),
        MemberStatus::Guest | MemberStatus::Expired | MemberStatus::Invalid => {
            s.guest_heading.to_owned()
        }
    }
}

/// Tells the store's developers when the join link will not be shown.
fn check_join_link(page: &OffersPage) {
    if let Some(join) = &page.join
        && safe_href(&join.url).is_none()
    {
        warn("the offers' join link is not an http(s) address or a path on this site");
    }
}

/// Queues a claim of `offer`, then follows the endpoint's answer for it.
fn claim(
    dispatcher: UseReducerDispatcher<OffersState>,
    ctx: WidgetContext,
    offer: String,
    claims: &Rc<RefCell<Claims>>,
) {
    let Some(token) = ctx.config.member_token.clone() else {
        // The endpoint only calls a shopper with a token a member; nothing to claim with.
        return;
    };
    {
        let mut claims = claims.borrow_mut();
        if claims.in_flight.contains(&offer) {
            return;
        }
        claims.in_flight.push(offer.clone());
    }
    dispatcher.dispatch(OffersAction::Claim(offer.clone()));
    // Weak: a claim answered after the panel is gone must not keep it alive.
    let claims = Rc::downgrade(claims);
    wasm_bindgen_futures::spawn_local(async move {
        match api::claim(&ctx.host, &ctx.config, &offer, &token).await {
            Ok(id) => {
                dispatcher.dispatch(OffersAction::Queued {
                    offer: offer.clone(),
                    id: id.clone(),
                    offline: offline(),
                });
                follow_claim(dispatcher, offer, id, claims);
            }
            Err(err) => {
                warn(&format!("could not queue the offer claim: {err}"));
                done(&claims, &offer);
                dispatcher.dispatch(OffersAction::SaveFailed { offer, error: err });
            }
        }
    });
}

/// Listens for result `id`'s answer, and says "saved" when it is slow to come.
fn follow_claim(
    dispatcher: UseReducerDispatcher<OffersState>,
    offer: String,
    id: String,
    claims: Weak<RefCell<Claims>>,
) {
    let on_settled = {
        let dispatcher = dispatcher.clone();
        let offer = offer.clone();
        let id = id.clone();
        let claims = claims.clone();
        // May be called at once (an answer already known): no borrow of `claims` is held here.
        move |settlement| {
            done(&claims, &offer);
            dispatcher.dispatch(OffersAction::Settled {
                offer: offer.clone(),
                id: id.clone(),
                settlement,
            });
        }
    };
    let following = follow(&id.clone(), on_settled, move || {
        dispatcher.dispatch(OffersAction::AnswerSlow { offer, id });
    });
    if let Some(claims) = claims.upgrade() {
        claims.borrow_mut().waits.push(following);
    }
}

/// The claim of `offer` is no longer on its way: it may be pressed again if it is claimable.
fn done(claims: &Weak<RefCell<Claims>>, offer: &str) {
    if let Some(claims) = claims.upgrade() {
        claims.borrow_mut().in_flight.retain(|o| o != offer);
    }
}
