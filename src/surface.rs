//! The frame every surface shares: its heading and introduction, in the widget's language,
//! and the interaction the `mode` asks for inside it.

use crate::app::WidgetContext;
use crate::reviews::form::ReviewRequest;
use crate::reviews::product::ProductReviews;
use encore_core::config::Mode;
use yew::prelude::*;

/// Shows the heading and introduction of the configured surface, then its interaction.
#[component]
pub fn Surface() -> Html {
    let Some(ctx) = use_context::<WidgetContext>() else {
        return Html::default();
    };
    let mode = ctx.config.mode;
    let body = match mode {
        Mode::Product => html! { <ProductReviews /> },
        Mode::Review => html! { <ReviewRequest /> },
        _ => Html::default(),
    };
    html! {
        <section class="card" part="card" aria-labelledby="encore-title">
            <h2 id="encore-title" class="heading" part="heading">{ ctx.strings.surface_title(mode) }</h2>
            <p class="lead">{ ctx.strings.surface_lead(mode) }</p>
            { body }
        </section>
    }
}
