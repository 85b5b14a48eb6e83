//! A filter form's draft: the fields a person is editing before they apply them, started
//! again from the filter in the address whenever the address changes (back, a link, a tab).

use super::value_of;
use yew::prelude::*;

/// The draft of `shown`, reset to it whenever `shown` changes.
#[hook]
pub fn use_draft<T: Clone + PartialEq + 'static>(shown: &T) -> UseStateHandle<T> {
    let draft = use_state(|| shown.clone());
    {
        let draft = draft.clone();
        use_effect_with(shown.clone(), move |s| draft.set(s.clone()));
    }
    draft
}

/// A change handler for one field: `change` writes the field's value into the draft.
pub fn edit<T: Clone + 'static>(
    draft: &UseStateHandle<T>,
    change: fn(&mut T, String),
) -> Callback<Event> {
    let draft = draft.clone();
    Callback::from(move |e: Event| {
        let mut next = (*draft).clone();
        change(&mut next, value_of(&e));
        draft.set(next);
    })
}

/// `text` trimmed, or `None` when nothing is left: an empty field is no filter.
pub fn non_empty(text: String) -> Option<String> {
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}
