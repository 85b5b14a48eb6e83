//! A read-only star rating: five SVG stars filled to the tenth, with a text alternative.
//! The fill is SVG geometry (no inline `style`), so a strict host CSP cannot break it.
//! `data-encore-ui` marks it as the widget's own markup (tests tell it from review text).

use yew::prelude::*;

/// Each star's position in the 100 × 20 drawing.
const OFFSETS: [&str; 5] = [
    "translate(0 0)",
    "translate(20 0)",
    "translate(40 0)",
    "translate(60 0)",
    "translate(80 0)",
];
/// A five-pointed star in a 20 × 20 box.
const STAR: &str =
    "10,1.2 12.7,6.9 19,7.6 14.3,11.9 15.6,18.2 10,15 4.4,18.2 5.7,11.9 1,7.6 7.3,6.9";

/// Props of [`Stars`].
#[derive(Properties, PartialEq, Clone)]
pub struct StarsProps {
    /// The rating in tenths of a star, 0 to 50 (46 is 4.6 stars); larger values show 5.
    pub value_tenths: u32,
    /// What the stars say, for screen readers ("4.6 out of 5 stars").
    pub label: AttrValue,
}

/// Five stars filled to `value_tenths`, announced as `label`.
#[component]
pub fn Stars(props: &StarsProps) -> Html {
    // 50 tenths fill the 100 units of the drawing.
    let filled = (props.value_tenths.min(50) * 2).to_string();
    html! {
        <span class="rating-stars" part="stars" role="img" aria-label={props.label.clone()} data-encore-ui="">
            <svg viewBox="0 0 100 20" aria-hidden="true" focusable="false">
                <g class="stars-empty">
                    for offset in OFFSETS {
                        <polygon points={STAR} transform={offset} />
                    }
                </g>
                // A nested viewport in the drawing's units clips the filled stars.
                <svg width={filled} height="20">
                    <g class="stars-full">
                        for offset in OFFSETS {
                            <polygon points={STAR} transform={offset} />
                        }
                    </g>
                </svg>
            </svg>
        </span>
    }
}
