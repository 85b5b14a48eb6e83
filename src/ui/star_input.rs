//! A star rating input that is a real radio group: five native radio buttons in a fieldset,
//! so arrow keys, required-ness and screen readers work as for any radio group, styled as
//! stars (see `.star-input` in the review form's stylesheet).

use yew::prelude::*;

/// Props of [`StarInput`].
#[derive(Properties, PartialEq)]
pub struct StarInputProps {
    /// The radio group's `name`, unique on the page (two forms may be open).
    pub name: AttrValue,
    /// The group's `id` prefix; radio `n` gets `{id}-{n}`, the legend `{id}-legend`.
    pub id: AttrValue,
    /// The legend ("Your rating").
    pub legend: AttrValue,
    /// Shown after the legend when `required` ("(required)").
    #[prop_or_default]
    pub required_mark: AttrValue,
    /// The accessible label of each star, 1 to 5 ("1 star" … "5 stars").
    pub labels: [AttrValue; 5],
    /// The chosen stars.
    #[prop_or_default]
    pub value: Option<u8>,
    /// Whether a choice is required.
    #[prop_or_default]
    pub required: bool,
    /// Marks the group invalid.
    #[prop_or_default]
    pub invalid: bool,
    /// The id of the element describing a problem, when there is one.
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
    /// Disables the group.
    #[prop_or_default]
    pub disabled: bool,
    /// Called with 1 to 5 when the shopper chooses.
    pub on_change: Callback<u8>,
}

/// Five radio buttons shown as stars; the stars up to the chosen one are filled.
#[component]
pub fn StarInput(props: &StarInputProps) -> Html {
    let chosen = props.value.unwrap_or(0);
    let legend_id = format!("{}-legend", props.id);
    html! {
        <fieldset class="star-input" aria-invalid={props.invalid.then_some("true")}
            aria-describedby={props.describedby.clone()}>
            <legend id={legend_id}>
                { props.legend.clone() }
                if props.required {
                    <span class="required">{" "}{ props.required_mark.clone() }</span>
                }
            </legend>
            <div class="stars">
                for n in 1..=5u8 {
                    { star(props, n, chosen) }
                }
            </div>
        </fieldset>
    }
}

fn star(props: &StarInputProps, n: u8, chosen: u8) -> Html {
    let id = format!("{}-{n}", props.id);
    let onchange = props.on_change.reform(move |_: Event| n);
    let filled = n <= chosen;
    html! {
        <span class="star">
            <input type="radio" id={id.clone()} name={props.name.clone()} value={n.to_string()}
                checked={chosen == n} required={props.required} disabled={props.disabled}
                {onchange} />
            <label for={id} class={classes!("star-label", filled.then_some("filled"))}>
                <span class="star-glyph" aria-hidden="true">{ "★" }</span>
                <span class="visually-hidden">{ props.labels[usize::from(n - 1)].clone() }</span>
            </label>
        </span>
    }
}
