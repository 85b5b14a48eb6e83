//! The friend's welcome (`mode="referral-welcome"`): on a visit through a referral link, one
//! line saying who sent the gift and what it is. Nothing at all without a known code, and the
//! element then gives back the space the loader reserved.

use super::api;
use super::strings::referral_strings;
use crate::console::warn;
use crate::context::WidgetContext;
use crate::referral_landing;
use encore_core::referral::page::ReferralWelcome;
use yew::prelude::*;

/// Set on the host element when there is nothing to welcome with (the loader's CSS then
/// releases the reserved height).
const EMPTY: &str = "empty";

/// The welcome banner for the landing the loader remembered.
#[component]
pub fn ReferralWelcomeBanner() -> Html {
    let ctx = use_context::<WidgetContext>();
    let welcome = use_state(|| None::<ReferralWelcome>);
    {
        let welcome = welcome.clone();
        let ctx = ctx.clone();
        use_effect_with((), move |_| {
            let Some(ctx) = ctx else {
                return;
            };
            let Some(landed) = referral_landing::remembered() else {
                // After the loader's own mark of the mounted element, which comes next.
                wasm_bindgen_futures::spawn_local(async move { set_empty(&ctx) });
                return;
            };
            wasm_bindgen_futures::spawn_local(async move {
                match api::fetch_welcome(&ctx.config, &landed.code).await {
                    Ok(answer) => welcome.set(Some(answer)),
                    Err(err) => {
                        warn(&format!("no referral welcome for this visit: {err}"));
                        set_empty(&ctx);
                    }
                }
            });
        });
    }
    let (Some(ctx), Some(answer)) = (ctx, (*welcome).clone()) else {
        return Html::default();
    };
    let s = referral_strings(ctx.config.locale);
    html! {
        <p class="referral-welcome" part="referral-welcome" role="note">
            <svg class="referral-gift" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M4 11h16v10H4zM3 7h18v4H3zM11 7h2v14h-2zM12 7c-2-4-6-4-6-1.5S10 7 12 7zm0 0c2-4 6-4 6-1.5S14 7 12 7z" />
            </svg>
            <span>{ s.welcome(answer.advocate_name.as_deref(), &answer.friend_gets) }</span>
        </p>
    }
}

fn set_empty(ctx: &WidgetContext) {
    let _ = ctx.host.set_attribute("data-encore", EMPTY);
}
