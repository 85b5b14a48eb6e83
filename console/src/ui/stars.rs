//! A review's rating drawn as stars, named in words for screen readers.

use crate::i18n::{Strings, fill};
use yew::prelude::*;

/// Props of [`Stars`].
#[derive(Properties, PartialEq)]
pub struct StarsProps {
    /// Stars, 1 to 5.
    pub rating: u8,
    /// The words.
    pub t: &'static Strings,
}

/// Five stars, `rating` of them filled; the picture is hidden, the words are read.
#[component]
pub fn Stars(props: &StarsProps) -> Html {
    let rating = props.rating.min(5);
    let label = fill(props.t.stars, &[("n", &rating.to_string())]);
    let picture: String = (1..=5)
        .map(|i| if i <= rating { '★' } else { '☆' })
        .collect();
    html! {
        <span class="stars" role="img" aria-label={label}>{ picture }</span>
    }
}
