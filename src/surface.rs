//! The frame every surface shares: its heading and introduction, in the widget's language.
//! The interactions (reviews, offers, surprise, referral) render inside it.

use crate::app::WidgetContext;
use yew::prelude::*;

/// Shows the heading and introduction of the configured surface.
#[component]
pub fn Surface() -> Html {
    let Some(ctx) = use_context::<WidgetContext>() else {
        return Html::default();
    };
    let mode = ctx.config.mode;
    html! {
        <section class="card" part="card" aria-labelledby="encore-title">
            <h2 id="encore-title" class="heading" part="heading">{ ctx.strings.surface_title(mode) }</h2>
            <p class="lead">{ ctx.strings.surface_lead(mode) }</p>
        </section>
    }
}
