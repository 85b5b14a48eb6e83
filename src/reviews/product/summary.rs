//! The rating summary: average, stars, count with a text alternative, and the histogram whose
//! bars filter the list by star.

use super::strings::product_strings;
use crate::ui::stars::Stars;
use encore_core::locale::Locale;
use encore_core::reviews::summary::Summary;
use yew::prelude::*;

/// Props of [`RatingSummary`].
#[derive(Properties, PartialEq, Clone)]
pub struct RatingSummaryProps {
    /// Count and histogram of every published review.
    pub summary: Summary,
    /// The star filter in use.
    #[prop_or_default]
    pub selected: Option<u8>,
    /// The language.
    pub locale: Locale,
    /// Called with the star (1–5) of the bar pressed.
    pub on_filter: Callback<u8>,
    /// Called when the shopper clears the star filter.
    pub on_clear: Callback<()>,
}

/// Average, stars and count, then one filter button per star, 5 to 1.
#[component]
pub fn RatingSummary(props: &RatingSummaryProps) -> Html {
    let s = product_strings(props.locale);
    let summary = &props.summary;
    let (Some(average), Some(tenths)) = (summary.average_text(), summary.average_tenths()) else {
        return Html::default();
    };
    let on_clear = {
        let on_clear = props.on_clear.clone();
        Callback::from(move |_: MouseEvent| on_clear.emit(()))
    };
    html! {
        <div class="summary" part="summary">
            <div class="summary-score">
                <p class="summary-text visually-hidden">{ s.summary(&average, summary.count) }</p>
                <div class="summary-visual" aria-hidden="true">
                    <span class="summary-average">{ average.clone() }</span>
                    <Stars value_tenths={tenths} label={s.rating(&average)} />
                    <span class="summary-count">{ s.reviews(summary.count) }</span>
                </div>
            </div>
            <ul class="histogram" part="histogram" role="list" aria-label={s.histogram_label}>
                for stars in (1..=5u8).rev() {
                    { bar(props, stars) }
                }
            </ul>
            if props.selected.is_some() {
                <button type="button" class="outline clear-filter" onclick={on_clear}>
                    { s.clear_filter }
                </button>
            }
        </div>
    }
}

/// One histogram bar: a toggle button named "5 stars: 80 reviews (63%)".
fn bar(props: &RatingSummaryProps, stars: u8) -> Html {
    let s = product_strings(props.locale);
    let count = props.summary.with_stars(stars);
    let percent = props.summary.percent(stars);
    let pressed = props.selected == Some(stars);
    let onclick = {
        let on_filter = props.on_filter.clone();
        Callback::from(move |_: MouseEvent| on_filter.emit(stars))
    };
    html! {
        <li key={stars}>
            <button type="button" class="bar" part="histogram-bar"
                aria-pressed={if pressed { "true" } else { "false" }}
                aria-label={s.bar(stars, count, percent)}
                disabled={count == 0 && !pressed}
                {onclick}>
                <span class="bar-stars" aria-hidden="true">{ stars }{ "★" }</span>
                <svg class="bar-meter" viewBox="0 0 100 8" preserveAspectRatio="none"
                    aria-hidden="true" focusable="false">
                    <rect class="bar-track" width="100" height="8" rx="4" />
                    <rect class="bar-fill" width={percent.min(100).to_string()} height="8" rx="4" />
                </svg>
                <span class="bar-count" aria-hidden="true">{ count }</span>
            </button>
        </li>
    }
}
