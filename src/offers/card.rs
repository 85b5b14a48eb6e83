//! One offer a member qualifies for: what it is, until when, and its claim: the button, the
//! code with a copy button, or why it cannot be claimed. Each card has its own polite live
//! region, present from the start, so that screen readers hear the code when it arrives.

use super::state::Claim;
use super::strings::{OffersStrings, fill, offers_strings};
use crate::i18n::strings;
use crate::ui::clipboard::CopyButton;
use crate::ui::dates::{iso, local};
use crate::ui::focus;
use encore_core::locale::Locale;
use encore_core::offers::OfferCard;
use yew::prelude::*;

/// Props of [`OfferCardView`].
#[derive(Properties, PartialEq, Clone)]
pub struct OfferCardProps {
    /// The offer, as the endpoint described it.
    pub offer: OfferCard,
    /// Where its claim stands.
    pub claim: Claim,
    /// The widget's language.
    pub locale: Locale,
    /// The server's clock when the page arrived (ms), to leave out the current year.
    pub now: u64,
    /// Called with the offer id when the member presses "Claim".
    pub on_claim: Callback<String>,
}

/// An offer card, inside an `<li>` of the member's offer list.
#[component]
pub fn OfferCardView(props: &OfferCardProps) -> Html {
    let s = offers_strings(props.locale);
    let card = use_node_ref();
    let offer = &props.offer;

    let was_pending = use_mut_ref(|| false);
    {
        // The claim button goes away when the code arrives or the claim is refused; if it had
        // focus, focus moves to the copy button, else to the card, never to the page's top.
        // Only after a claim of this page: a code shown with the page takes no focus.
        let card = card.clone();
        let pending = props.claim.pending();
        let settled = !pending && !props.claim.claimable();
        use_effect_with(props.claim.clone(), move |_| {
            let answered = std::mem::replace(&mut *was_pending.borrow_mut(), pending);
            if answered && settled && focus::was_lost() {
                focus::move_into(&card, ".copy-button");
            }
        });
    }

    let until = offer.ends_at.map(|ends_at| {
        // `ends_at` is exclusive: the last day is the one of the moment before.
        let last = ends_at.saturating_sub(1);
        (iso(last), s.until(local(last), local(props.now).year))
    });
    let onclick = {
        let on_claim = props.on_claim.clone();
        let id = offer.id.clone();
        let claim = props.claim.clone();
        Callback::from(move |_: MouseEvent| {
            if claim.claimable() {
                on_claim.emit(id.clone());
            }
        })
    };
    let show_button = props.claim.claimable() || props.claim.pending();
    let busy = props.claim.pending();

    html! {
        <article class="offer-card" part="offer" tabindex="-1" ref={card}>
            <h4 class="offer-title">{ offer.title.clone() }</h4>
            if !offer.description.is_empty() {
                <p class="offer-description">{ offer.description.clone() }</p>
            }
            if let Some((datetime, text)) = until {
                <p class="offer-until"><time {datetime}>{ text }</time></p>
            }
            <div class="offer-claim">
                if show_button {
                    <button type="button" class="claim-button" part="claim-button"
                        aria-disabled={if busy { "true" } else { "false" }} {onclick}>
                        { if busy { s.claiming } else { s.claim } }
                        // "Claim" alone is ambiguous in a list of offers: name the offer too.
                        <span class="visually-hidden">{ " " }{ offer.title.clone() }</span>
                    </button>
                }
                if props.claim == Claim::SoldOut {
                    <p class="offer-sold-out">{ s.sold_out }</p>
                }
                if let Claim::Claimed { code, .. } = &props.claim {
                    <p class="offer-code-line">
                        <span class="offer-code-label">{ s.your_code }</span>
                        <code class="offer-code">{ code.clone() }</code>
                        <CopyButton text={code.clone()} label={s.copy} copied={s.copied}
                            failed={s.copy_failed} />
                    </p>
                }
                <p class="claim-status" role="status" aria-live="polite">
                    { status(&props.claim, s, props.locale) }
                </p>
            </div>
        </article>
    }
}

/// What the card's live region says about the claim.
fn status(claim: &Claim, s: &OffersStrings, locale: Locale) -> Html {
    match claim {
        Claim::Open | Claim::SoldOut | Claim::Saving | Claim::Sending { .. } => Html::default(),
        Claim::SavedOffline { .. } => html! { s.claim_saved },
        // The code is on screen beside the copy button; the sentence is for screen readers.
        Claim::Claimed { code, fresh: true } => html! {
            <span class="visually-hidden">{ fill(s.code_announced, &[("code", code)]) }</span>
        },
        Claim::Claimed { fresh: false, .. } => Html::default(),
        Claim::Received => html! { s.claim_received },
        Claim::Refused(refusal) => html! { s.refusal(*refusal) },
        Claim::SaveFailed(error) => html! { strings(locale).enqueue_error(error) },
    }
}
