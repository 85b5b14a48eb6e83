//! The list's controls: the sort menu and the "with photos" filter.

use super::strings::product_strings;
use encore_core::locale::Locale;
use encore_core::reviews::listing::ReviewSort;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Props of [`ListControls`].
#[derive(Properties, PartialEq, Clone)]
pub struct ListControlsProps {
    /// The order in use.
    pub sort: ReviewSort,
    /// Whether only reviews with photos are listed.
    pub photos: bool,
    /// The language.
    pub locale: Locale,
    /// Called with the order the shopper picked.
    pub on_sort: Callback<ReviewSort>,
    /// Called when the shopper toggles the photo filter.
    pub on_toggle_photos: Callback<()>,
}

/// A labelled sort `<select>` and a pressed/unpressed "With photos" button.
#[component]
pub fn ListControls(props: &ListControlsProps) -> Html {
    let s = product_strings(props.locale);
    let onchange = {
        let on_sort = props.on_sort.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            if let Some(sort) = ReviewSort::parse(&select.value()) {
                on_sort.emit(sort);
            }
        })
    };
    let on_photos = {
        let on_toggle = props.on_toggle_photos.clone();
        Callback::from(move |_: MouseEvent| on_toggle.emit(()))
    };
    html! {
        <div class="controls" part="controls">
            <label class="sort">
                <span class="sort-label">{ s.sort_label }</span>
                <select class="sort-select" {onchange}>
                    for sort in ReviewSort::ALL {
                        <option value={sort.as_str()} selected={sort == props.sort}>
                            { s.sort_option(sort) }
                        </option>
                    }
                </select>
            </label>
            <button type="button" class="outline photos-filter"
                aria-pressed={if props.photos { "true" } else { "false" }}
                onclick={on_photos}>
                { s.with_photos }
            </button>
        </div>
    }
}
