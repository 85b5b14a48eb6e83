//! The shopper's chosen photos kept beside the form's reducer (which holds only their slots):
//! each prepared in the background, its blob and thumbnail URL kept until the review is
//! queued or the photo removed.

use super::photos;
use super::state::{FormAction, FormState, PhotoStatus};
use crate::small_map::SmallMap;
use crate::transport::photos::PendingPhoto;
use crate::transport::results::new_event_id;
use encore_core::reviews::MAX_PHOTOS;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{Blob, File};
use yew::prelude::*;

/// Photo blobs and thumbnail URLs kept beside the reducer; URLs are revoked when dropped.
#[derive(Default)]
pub struct PhotoFiles {
    blobs: SmallMap<u32, Blob>,
    /// The thumbnail URL of each photo slot, by key.
    pub thumbnails: SmallMap<u32, String>,
}

impl PhotoFiles {
    /// Drops the photo of slot `key` and revokes its thumbnail URL.
    pub fn forget(&mut self, key: u32) {
        self.blobs.remove(&key);
        if let Some(url) = self.thumbnails.remove(&key) {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }
}

impl Drop for PhotoFiles {
    fn drop(&mut self) {
        for url in self.thumbnails.values() {
            let _ = web_sys::Url::revoke_object_url(url);
        }
    }
}

/// Adds slots for the chosen files and prepares each in the background.
pub fn choose_photos(
    state: &UseReducerHandle<FormState>,
    files: &Rc<RefCell<PhotoFiles>>,
    chosen: Vec<File>,
) {
    let first_key = state.next_key;
    let room = MAX_PHOTOS.saturating_sub(state.photos.len());
    let taken: Vec<File> = chosen.into_iter().take(room).collect();
    state.dispatch(FormAction::PhotosChosen(taken.len()));
    for (i, file) in taken.into_iter().enumerate() {
        let key = first_key + i as u32;
        let state = state.clone();
        let files = files.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match photos::prepare(&file).await {
                Ok(prepared) => {
                    let bytes = prepared.blob.size().max(0.0) as u64;
                    {
                        let mut files = files.borrow_mut();
                        if let Ok(url) = web_sys::Url::create_object_url_with_blob(&prepared.blob) {
                            files.thumbnails.insert(key, url);
                        }
                        files.blobs.insert(key, prepared.blob);
                    }
                    state.dispatch(FormAction::PhotoReady {
                        key,
                        upload_id: new_event_id().to_string(),
                        bytes,
                    });
                }
                Err(err) => state.dispatch(FormAction::PhotoFailed {
                    key,
                    unsupported: err == photos::PrepareError::Unsupported,
                }),
            }
        });
    }
}

/// The ready photos as handed to the outbox, in the form's order.
pub fn pending_photos(state: &FormState, files: &PhotoFiles) -> Vec<PendingPhoto> {
    state
        .photos
        .iter()
        .filter_map(|slot| match &slot.status {
            PhotoStatus::Ready { upload_id, .. } => {
                files.blobs.get(&slot.key).map(|blob| PendingPhoto {
                    id: upload_id.clone(),
                    blob: blob.clone(),
                    content_type: photos::OUTPUT_TYPE.to_owned(),
                })
            }
            _ => None,
        })
        .collect()
}
