//! The photo picker: a labelled button opening the file chooser, and the chosen photos as
//! thumbnails with their status and a remove button each.

use super::state::{PhotoSlot, PhotoStatus};
use super::strings::{FormStrings, fill};
use crate::small_map::SmallMap;
use encore_core::reviews::MAX_PHOTOS;
use std::rc::Rc;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

/// The file types offered in the chooser.
pub const ACCEPT: &str = "image/jpeg,image/png,image/webp,image/heic,image/heif";

/// Props of [`PhotoPicker`].
#[derive(Properties, PartialEq)]
pub struct PhotoPickerProps {
    /// The file input's id (its button is `{id}-button`).
    pub id: AttrValue,
    /// The strings.
    pub strings: &'static FormStrings,
    /// The chosen photos.
    pub photos: Vec<PhotoSlot>,
    /// Thumbnail object URLs by photo key.
    pub thumbnails: Rc<SmallMap<u32, String>>,
    /// The problem to show.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Disables the picker.
    #[prop_or_default]
    pub disabled: bool,
    /// Called with the files chosen.
    pub on_choose: Callback<Vec<File>>,
    /// Called with the key of a photo to remove.
    pub on_remove: Callback<u32>,
}

/// Chooses photos and shows them.
#[component]
pub fn PhotoPicker(props: &PhotoPickerProps) -> Html {
    let s = props.strings;
    let input = use_node_ref();
    let open = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let onchange = props.on_choose.reform(|e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        let files = input.files();
        let chosen: Vec<File> = files
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        // Let the same file be chosen again after removing it.
        input.set_value("");
        chosen
    });
    let full = props.photos.len() >= MAX_PHOTOS;
    let max = MAX_PHOTOS.to_string();
    let hint_id = format!("{}-hint", props.id);
    let error_id = super::fields::error_id(&props.id);
    let describedby = if props.error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    html! {
        <div class="field photos">
            <input ref={input} type="file" id={props.id.clone()} class="visually-hidden"
                accept={ACCEPT} multiple=true tabindex="-1" aria-hidden="true" {onchange} />
            <button type="button" id={format!("{}-button", props.id)} class="secondary"
                disabled={props.disabled || full} aria-describedby={describedby}
                onclick={open}>
                { s.photos_add }
            </button>
            <p id={hint_id} class="hint">
                { if full { fill(s.photos_too_many, &[("max", &max)]) }
                  else { fill(s.photos_hint, &[("max", &max)]) } }
            </p>
            if let Some(error) = props.error.clone() {
                <p id={error_id} class="field-error">{ error }</p>
            }
            if !props.photos.is_empty() {
                <ul class="thumbnails">
                    for (i, photo) in props.photos.iter().enumerate() {
                        { thumbnail(props, i + 1, photo) }
                    }
                </ul>
            }
        </div>
    }
}

fn thumbnail(props: &PhotoPickerProps, n: usize, photo: &PhotoSlot) -> Html {
    let s = props.strings;
    let n_text = n.to_string();
    let (status, failed) = match &photo.status {
        PhotoStatus::Preparing => (s.photo_preparing.to_owned(), false),
        PhotoStatus::Ready { bytes, .. } => (
            fill(s.photo_ready, &[("size", &FormStrings::size(*bytes))]),
            false,
        ),
        PhotoStatus::Unsupported => (s.photo_unsupported.to_owned(), true),
        PhotoStatus::Failed => (s.photo_failed.to_owned(), true),
    };
    let key = photo.key;
    let onclick = props.on_remove.reform(move |_: MouseEvent| key);
    html! {
        <li key={key} class={classes!("thumbnail", failed.then_some("failed"))}>
            if let Some(url) = props.thumbnails.get(&key) {
                <img src={url.clone()} alt={fill(s.photo_alt, &[("n", &n_text)])} />
            } else {
                <span class="placeholder" aria-hidden="true"></span>
            }
            <span class="photo-status" role="status">{ status }</span>
            <button type="button" class="remove" disabled={props.disabled} {onclick}>
                { fill(s.photo_remove, &[("n", &n_text)]) }
            </button>
        </li>
    }
}
