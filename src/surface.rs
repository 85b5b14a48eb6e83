//! The frame every surface shares: its heading and introduction, in the widget's language,
//! and the interaction the `mode` asks for inside it (the offers panel on the product page,
//! the order confirmation and the offers surface, the QR landing page on the scan surface, the
//! referral panel on the order confirmation and the referral surface). The friend's welcome is
//! a bare banner, without the frame.

use crate::app::WidgetContext;
use crate::offers::OffersPanel;
use crate::referral::{ReferralPanel, ReferralWelcomeBanner};
use crate::reviews::form::ReviewRequest;
use crate::reviews::product::ProductReviews;
use crate::surprise::ScanLanding;
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
        // The offers teaser first: it shows only when the store has something for the shopper.
        Mode::Product => html! { <><OffersPanel compact=true /><ProductReviews /></> },
        Mode::Review => html! { <ReviewRequest /> },
        // Journey order: what the shopper gets now (the surprise the store attached to this
        // order with `code`, else the member offers), then what they can give.
        Mode::ThankYou if ctx.host.has_attribute("code") => {
            html! { <><ScanLanding /><ReferralPanel /></> }
        }
        Mode::ThankYou => html! { <><OffersPanel /><ReferralPanel /></> },
        Mode::Offers => html! { <OffersPanel /> },
        Mode::Scan => html! { <ScanLanding /> },
        Mode::Referral => html! { <ReferralPanel /> },
        // A one-line banner in the page's flow: no card around it.
        Mode::ReferralWelcome => return html! { <ReferralWelcomeBanner /> },
    };
    html! {
        <section class="card" part="card" aria-labelledby="encore-title">
            <h2 id="encore-title" class="heading" part="heading">{ ctx.strings.surface_title(mode) }</h2>
            <p class="lead">{ ctx.strings.surface_lead(mode) }</p>
            { body }
        </section>
    }
}
