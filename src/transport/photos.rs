//! Review photos waiting in the outbox's `photos` store until the sender has uploaded them:
//! what a component hands over, and how a record is written to and read from IndexedDB.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

/// A photo prepared in the browser, handed to `results::emit_with_photos` with its review.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingPhoto {
    /// The upload id (a fresh UUID from `results::new_event_id`); the review lists it.
    pub id: String,
    /// The re-encoded image.
    pub blob: Blob,
    /// Its media type (`image/jpeg`), sent as the upload's `Content-Type`.
    pub content_type: String,
}

/// A photo as stored: the pending photo and where it is to be uploaded.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPhoto {
    /// The upload id (the key).
    pub id: String,
    /// The endpoint base URL it is for.
    pub endpoint: String,
    /// The store it is for.
    pub store: String,
    /// The image.
    pub blob: Blob,
    /// Its media type.
    pub content_type: String,
}

impl StoredPhoto {
    /// `photo` for `endpoint` and `store`.
    pub fn new(photo: &PendingPhoto, endpoint: &str, store: &str) -> Self {
        StoredPhoto {
            id: photo.id.clone(),
            endpoint: endpoint.to_owned(),
            store: store.to_owned(),
            blob: photo.blob.clone(),
            content_type: photo.content_type.clone(),
        }
    }

    /// The record written to IndexedDB: `{ id, endpoint, store, blob, type }`.
    pub fn to_js(&self) -> Result<JsValue, JsValue> {
        let obj = Object::new();
        Reflect::set(&obj, &"id".into(), &self.id.as_str().into())?;
        Reflect::set(&obj, &"endpoint".into(), &self.endpoint.as_str().into())?;
        Reflect::set(&obj, &"store".into(), &self.store.as_str().into())?;
        Reflect::set(&obj, &"blob".into(), &self.blob)?;
        Reflect::set(&obj, &"type".into(), &self.content_type.as_str().into())?;
        Ok(obj.into())
    }

    /// Reads a stored record; anything malformed is skipped rather than trusted.
    pub fn from_js(value: &JsValue) -> Option<StoredPhoto> {
        let get = |k: &str| Reflect::get(value, &k.into()).ok();
        Some(StoredPhoto {
            id: get("id")?.as_string()?,
            endpoint: get("endpoint")?.as_string()?,
            store: get("store")?.as_string()?,
            blob: get("blob")?.dyn_into::<Blob>().ok()?,
            content_type: get("type")?.as_string()?,
        })
    }
}
