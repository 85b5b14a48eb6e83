//! What a guest sees: the members' benefits, locked, with who they are for, and the store's
//! join or sign-in link (only when its address is safe to link).

use super::strings::OffersStrings;
use crate::ui::link::safe_href;
use encore_core::offers::{JoinLink, LockedOffer};
use yew::prelude::*;

/// The locked benefits as a list (a plain function, not a component: it has no state, and
/// every component costs the widget bytes).
pub fn locked_offers(locked: &[LockedOffer], s: &OffersStrings) -> Html {
    if locked.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="offer-list locked-list" role="list">
            for offer in locked.iter() {
                <li key={offer.id.as_str()}>
                    <div class="offer-card locked" part="locked-offer">
                        { lock_icon() }
                        <p class="offer-title">
                            <span class="visually-hidden">{ s.locked }{ " " }</span>
                            { offer.title.clone() }
                        </p>
                        if let Some(audience) = &offer.audience {
                            <p class="offer-audience">{ audience.clone() }</p>
                        }
                    </div>
                </li>
            }
        </ul>
    }
}

/// The store's join or sign-in link; nothing when its address is not safe to link.
pub fn join_link(join: &JoinLink) -> Html {
    let Some(href) = safe_href(&join.url) else {
        return Html::default();
    };
    html! {
        <p class="join">
            <a class="join-link" part="join-link" href={href.to_owned()}>{ join.label.clone() }</a>
        </p>
    }
}

/// A padlock, decorative: the text says the offer is for members.
fn lock_icon() -> Html {
    html! {
        <svg class="lock-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"
            focusable="false">
            <rect x="5" y="10.5" width="14" height="10" rx="2" fill="currentColor" />
            <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor"
                stroke-width="2" />
        </svg>
    }
}
