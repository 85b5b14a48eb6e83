//! The frame every surface shares: its heading and introduction, in the widget's language,
//! and the interaction the `mode` asks for inside it (the offers panel on the product page,
//! the order confirmation and the offers surface, the QR landing page on the scan surface, the
//! referral panel on the order confirmation and the referral surface). The friend's welcome is
//! a bare banner, without the frame.
//!
//! Each interaction is behind a cargo feature, so that a bundle holds only the surfaces its
//! pages show; the loader picks the bundle by `mode`, and a piece a bundle lacks renders as
//! nothing with one console error.

use crate::context::WidgetContext;
use crate::ui::together::{Part, Together};
use encore_core::config::Mode;
use yew::prelude::*;

/// The parts of the product page that wait for each other: the bundle's own.
const PRODUCT_PARTS: &[Part] = &[
    #[cfg(feature = "offers")]
    Part::Offers,
    #[cfg(feature = "reviews")]
    Part::Reviews,
];

/// The parts of the order confirmation that wait for each other (without a surprise).
const THANK_YOU_PARTS: &[Part] = &[
    #[cfg(feature = "offers")]
    Part::Offers,
    #[cfg(feature = "referral")]
    Part::Referral,
];

/// Shows the heading and introduction of the configured surface, then its interaction.
#[component]
pub fn Surface() -> Html {
    let Some(ctx) = use_context::<WidgetContext>() else {
        return Html::default();
    };
    let mode = ctx.config.mode;
    let body = match mode {
        // The offers teaser first: it shows only when the store has something for the shopper.
        // Both load on their own; they appear together, so neither pushes the other down.
        Mode::Product => together(
            PRODUCT_PARTS,
            html! { <>{ offers(true) }{ product_reviews() }</> },
        ),
        Mode::Review => review_request(),
        // Journey order: what the shopper gets now (the surprise the store attached to this
        // order with `code`, else the member offers), then what they can give.
        Mode::ThankYou if ctx.config.code.is_some() => {
            html! { <>{ scan_landing() }{ referral_panel() }</> }
        }
        Mode::ThankYou => together(
            THANK_YOU_PARTS,
            html! { <>{ offers(false) }{ referral_panel() }</> },
        ),
        Mode::Offers => offers(false),
        Mode::Scan => scan_landing(),
        Mode::Referral => referral_panel(),
        // A one-line banner in the page's flow: no card around it.
        Mode::ReferralWelcome => return referral_welcome(),
    };
    html! {
        <section class="card" part="card" aria-labelledby="encore-title">
            <h2 id="encore-title" class="heading" part="heading">{ ctx.strings.surface_title(mode) }</h2>
            <p class="lead">{ ctx.strings.surface_lead(mode) }</p>
            { body }
        </section>
    }
}

/// `children` inside a [`Together`] waiting for `parts`; with fewer than two parts in this
/// bundle there is nothing to wait for, and the bundle carries no gate (inlined, so that the
/// constant length decides at compile time).
#[inline(always)]
fn together(parts: &'static [Part], children: Html) -> Html {
    if parts.len() < 2 {
        return children;
    }
    html! { <Together parts={parts.to_vec()}>{ children }</Together> }
}

/// What a bundle renders for an interaction it was built without: nothing, and a console
/// error for the store's developer (the loader maps every mode to a bundle that has it).
#[allow(dead_code)]
fn not_in_bundle(feature: &str) -> Html {
    crate::console::error(&format!(
        "this bundle was built without `{feature}`; load the bundle the loader picks for this mode"
    ));
    Html::default()
}

fn offers(compact: bool) -> Html {
    #[cfg(feature = "offers")]
    return html! { <crate::offers::OffersPanel {compact} /> };
    #[cfg(not(feature = "offers"))]
    {
        let _ = compact;
        not_in_bundle("offers")
    }
}

fn product_reviews() -> Html {
    #[cfg(feature = "reviews")]
    return html! { <crate::reviews::product::ProductReviews /> };
    #[cfg(not(feature = "reviews"))]
    return not_in_bundle("reviews");
}

fn review_request() -> Html {
    #[cfg(feature = "review-form")]
    return html! { <crate::reviews::form::ReviewRequest /> };
    #[cfg(not(feature = "review-form"))]
    return not_in_bundle("review-form");
}

fn scan_landing() -> Html {
    #[cfg(feature = "surprise")]
    return html! { <crate::surprise::ScanLanding /> };
    #[cfg(not(feature = "surprise"))]
    return not_in_bundle("surprise");
}

fn referral_panel() -> Html {
    #[cfg(feature = "referral")]
    return html! { <crate::referral::ReferralPanel /> };
    #[cfg(not(feature = "referral"))]
    return not_in_bundle("referral");
}

fn referral_welcome() -> Html {
    #[cfg(feature = "referral-welcome")]
    return html! { <crate::referral::ReferralWelcomeBanner /> };
    #[cfg(not(feature = "referral-welcome"))]
    return not_in_bundle("referral-welcome");
}
