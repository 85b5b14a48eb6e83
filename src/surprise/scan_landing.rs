//! The QR landing page (`mode="scan"`): takes the code from the element's `code` attribute
//! or the page's `?c=`, queues `surprise.redeemed` under this browser's redemption id and
//! redeems at once (with progress, a slow-network hint, retries and an offline state), then
//! the reveal and the prize, or a clear word on why not. Without a code: scanner and entry.

use super::api::{self, Outcome, Progress};
use super::entry::ManualEntry;
use super::odds::OddsView;
use super::prize::{PrizeView, day, heading, moment};
use super::reveal::Reveal;
use super::scanner::Scanner;
use super::state::{Odds, Phase, ScanAction, ScanState};
use super::storage;
use super::strings::{SurpriseStrings, fill, surprise_strings};
use crate::context::WidgetContext;
use crate::device::device_id;
use crate::ui::focus;
use encore_core::config::RevealStyle;
use encore_core::locale::Locale;
use encore_core::surprise::redeem::Redemption;
use gloo_timers::callback::Timeout;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// How long before the progress says the network is slow.
const SLOW_AFTER_MS: u32 = 3_000;

/// The name of what is on screen, also the root's `data-status` (for tests and styling).
fn view_name(state: &ScanState) -> &'static str {
    match &state.phase {
        Phase::Entry { .. } => "entry",
        Phase::Redeeming { .. } => "redeeming",
        Phase::Offline => "offline",
        Phase::RateLimited { .. } => "rate_limited",
        Phase::Failed => "failed",
        Phase::Answered(_) if state.awaiting_reveal() => "reveal",
        Phase::Answered(_) if state.prize().is_some() => "prize",
        Phase::Answered(answer) => answer.status(),
    }
}

/// Whether this browser revealed the prize of the code in `text` before.
fn revealed_before(store: &str, text: &str) -> bool {
    super::codes::from_scan(text).is_some_and(|code| storage::was_revealed(store, &code))
}

/// The QR landing page.
#[component]
pub fn ScanLanding() -> Html {
    let ctx = use_context::<WidgetContext>();
    // The code from the URL or the attribute is there from the first render (no flash of
    // the entry form), and its attempt starts with the landing.
    let state = {
        let ctx = ctx.clone();
        use_reducer(move || {
            let initial = ctx
                .as_ref()
                .and_then(|c| Some((c.config.store.clone(), api::initial_code(&c.config)?)));
            match initial {
                Some((store, text)) => {
                    let revealed = revealed_before(&store, &text);
                    ScanState::starting(text, revealed)
                }
                None => ScanState::default(),
            }
        })
    };
    // The attempt the page still wants an answer for; 0 once the landing is gone.
    let wanted = use_mut_ref(|| Rc::new(Cell::new(0u32)));
    let slow_timer = use_mut_ref(|| None::<Timeout>);
    let root = use_node_ref();
    let last_view = use_mut_ref(|| "");
    // Whether the shopper has done something here; only then does focus follow the view.
    let acted = use_mut_ref(|| false);
    let gift_box = use_memo((), |_| {
        ctx.as_ref()
            .is_some_and(|c| c.config.reveal == RevealStyle::Box)
    });

    let submit = {
        let (dispatcher, acted) = (state.dispatcher(), acted.clone());
        use_callback(ctx.clone(), move |text: String, ctx| {
            *acted.borrow_mut() = true;
            let revealed = ctx
                .as_ref()
                .is_some_and(|ctx| revealed_before(&ctx.config.store, &text));
            dispatcher.dispatch(ScanAction::Code {
                text,
                revealed_before: revealed,
            });
        })
    };
    let on_reveal = {
        let (dispatcher, acted) = (state.dispatcher(), acted.clone());
        use_callback((), move |_: (), _| {
            *acted.borrow_mut() = true;
            dispatcher.dispatch(ScanAction::Reveal);
        })
    };
    {
        let wanted = wanted.clone();
        use_effect_with((), move |_| move || wanted.borrow().set(0));
    }
    {
        // Each attempt: queue the result, redeem, report; an older attempt's answer is dropped.
        let (ctx, dispatcher) = (ctx.clone(), state.dispatcher());
        let (code, redeeming) = (state.code.clone(), state.redeeming());
        let (wanted, slow_timer) = (wanted.clone(), slow_timer.clone());
        use_effect_with(state.attempt, move |attempt| {
            let attempt = *attempt;
            if let (Some(ctx), Some(code), true) = (ctx, code, redeeming) {
                let wanted = wanted.borrow().clone();
                wanted.set(attempt);
                let slow = dispatcher.clone();
                *slow_timer.borrow_mut() = Some(Timeout::new(SLOW_AFTER_MS, move || {
                    slow.dispatch(ScanAction::Slow { attempt });
                }));
                wasm_bindgen_futures::spawn_local(redeem(ctx, code, attempt, wanted, dispatcher));
            }
        });
    }
    {
        // A prize shown once is not ceremonied again on a later visit.
        let (ctx, code) = (ctx.clone(), state.code.clone());
        use_effect_with(state.prize().is_some(), move |shown| {
            if let (true, Some(ctx), Some(code)) = (*shown, ctx, code) {
                storage::mark_revealed(&ctx.config.store, &code);
            }
        });
    }
    {
        // Focus follows the shopper's action: to the prize after the reveal, or to what
        // replaced the element that had focus.
        let (root, last_view, acted) = (root.clone(), last_view.clone(), acted.clone());
        let view = view_name(&state);
        use_effect_with(view, move |view| {
            let before = std::mem::replace(&mut *last_view.borrow_mut(), view);
            let revealed = before == "reveal" && *view == "prize";
            if *acted.borrow() && (revealed || focus::was_lost()) {
                focus::move_into(&root, ".surprise-focus");
            }
        });
    }

    let Some(ctx) = ctx else {
        return Html::default();
    };
    let locale = ctx.config.locale;
    let s = surprise_strings(locale);
    let action = |action: ScanAction| {
        let (dispatcher, acted) = (state.dispatcher(), acted.clone());
        Callback::from(move |_: MouseEvent| {
            *acted.borrow_mut() = true;
            dispatcher.dispatch(action.clone());
        })
    };
    let on_show_odds = {
        let (dispatcher, config) = (state.dispatcher(), ctx.config.clone());
        let campaign = state.campaign();
        Callback::from(move |_: ()| {
            let Some(campaign) = campaign else {
                return;
            };
            dispatcher.dispatch(ScanAction::ShowOdds);
            let (dispatcher, config) = (dispatcher.clone(), config.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::odds(&config, campaign).await {
                    Ok(odds) => dispatcher.dispatch(ScanAction::OddsLoaded(odds)),
                    Err(_) => dispatcher.dispatch(ScanAction::OddsFailed),
                }
            });
        })
    };

    let another = html! {
        <button type="button" class="another-button outline" onclick={action(ScanAction::Another)}>
            { s.another }
        </button>
    };
    let retry = html! {
        <button type="button" class="retry-button" onclick={action(ScanAction::Retry)}>
            { s.try_again }
        </button>
    };
    let entry = |malformed: bool, scanner: bool| {
        html! {
            <div class="surprise-entry-area">
                if scanner {
                    <Scanner strings={s} on_code={submit.clone()} />
                }
                <ManualEntry strings={s} {malformed} on_code={submit.clone()} />
            </div>
        }
    };
    let message = |text: String| {
        html! {
            <p class="surprise-message surprise-focus" role="status" tabindex="-1">{ text }</p>
        }
    };

    let body = match &state.phase {
        Phase::Entry { malformed } => entry(*malformed, true),
        Phase::Redeeming { slow } => html! {
            <div class="surprise-progress" aria-busy="true">
                <span class="spinner" aria-hidden="true"></span>
                <p class="surprise-status surprise-focus" role="status" tabindex="-1">
                    { s.redeeming }
                    if *slow {
                        <span class="surprise-slow">{ " " }{ s.slow }</span>
                    }
                </p>
            </div>
        },
        Phase::Offline => message(s.offline.to_owned()),
        Phase::Failed => html! { <>{ message(s.failed.to_owned()) }{ retry }</> },
        Phase::RateLimited { retry_at } => {
            let text = match retry_at {
                Some(at) => fill(s.rate_limited, &[("time", &moment(locale, *at))]),
                None => s.rate_limited_later.to_owned(),
            };
            html! { <>{ message(text) }{ retry }{ another.clone() }</> }
        }
        Phase::Answered(_) if state.awaiting_reveal() => html! {
            <Reveal strings={s} gift_box={*gift_box} {on_reveal} />
        },
        Phase::Answered(answer) => outcome(&state, answer, s, locale, entry(false, false), another),
    };
    let announcement = match state.prize() {
        Some(prize) if prize.is_win() => fill(s.announce_win, &[("title", &prize.title)]),
        Some(prize) => heading(s, prize),
        None => String::new(),
    };
    let odds_shown = state.campaign().is_some()
        && (matches!(state.phase, Phase::Answered(_)) || state.odds != Odds::Hidden);
    html! {
        <div class="surprise" part="surprise" data-status={view_name(&state)} ref={root}>
            <p class="surprise-announce visually-hidden" aria-live="polite">{ announcement }</p>
            { body }
            if odds_shown {
                <OddsView odds={state.odds.clone()} {locale} on_show={on_show_odds} />
            }
        </div>
    }
}

/// The view of a final answer (other than a win waiting for its reveal).
fn outcome(
    state: &ScanState,
    answer: &Redemption,
    s: &'static SurpriseStrings,
    locale: Locale,
    entry: Html,
    another: Html,
) -> Html {
    let message = |text: String| {
        html! {
            <p class="surprise-message surprise-focus" role="status" tabindex="-1">{ text }</p>
        }
    };
    if let Some(prize) = state.prize() {
        let note = match answer {
            Redemption::AlreadyRedeemed { redeemed_at, .. } => Some(fill(
                s.already_yours,
                &[("date", &day(locale, *redeemed_at))],
            )),
            _ if state.revisit => Some(s.revisit.to_owned()),
            _ => None,
        };
        return html! {
            <PrizeView prize={prize.clone()} {locale} note={note.map(AttrValue::from)} />
        };
    }
    let text = match answer {
        Redemption::AlreadyRedeemed { redeemed_at, .. } => {
            fill(s.already_redeemed, &[("date", &day(locale, *redeemed_at))])
        }
        Redemption::Invalid => {
            return html! { <>{ message(s.invalid.to_owned()) }{ entry }</> };
        }
        Redemption::Expired { ended_at } => fill(
            s.expired,
            &[("date", &day(locale, ended_at.saturating_sub(1)))],
        ),
        Redemption::NotStarted { starts_at } => {
            fill(s.not_started, &[("date", &day(locale, *starts_at))])
        }
        Redemption::LimitReached => s.limit_reached.to_owned(),
        Redemption::Redeemed { .. } => String::new(),
    };
    html! { <>{ message(text) }{ another }</> }
}

/// One attempt: queue the result under the redemption id, then redeem until answered.
async fn redeem(
    ctx: WidgetContext,
    code: String,
    attempt: u32,
    wanted: Rc<Cell<u32>>,
    dispatcher: UseReducerDispatcher<ScanState>,
) {
    let config = &ctx.config;
    let device = device_id(&config.store);
    let record = api::queue_result(&ctx.host, config, &code, &device).await;
    let request = api::request(config, &code, &record, &device);
    let progress = {
        let dispatcher = dispatcher.clone();
        move |p: Progress| match p {
            Progress::Offline => dispatcher.dispatch(ScanAction::Offline { attempt }),
            Progress::Retrying => dispatcher.dispatch(ScanAction::Retrying { attempt }),
        }
    };
    let still_wanted = || wanted.get() == attempt;
    match api::redeem(config, &request, still_wanted, progress).await {
        Outcome::Answer(answer) => dispatcher.dispatch(ScanAction::Answered { attempt, answer }),
        Outcome::RateLimited(retry_at) => {
            dispatcher.dispatch(ScanAction::RateLimited { attempt, retry_at })
        }
        Outcome::Failed => dispatcher.dispatch(ScanAction::Failed { attempt }),
        Outcome::Cancelled => {}
    }
}
