//! The durable outbox: results wait in IndexedDB until the endpoint has answered for them.
//!
//! One database per origin (`encore`), shared by every widget and tab of the store; each entry
//! remembers the endpoint it is for, so a later page of the same store sends what an earlier
//! one could not.
//!
//! Version 2 adds the `photos` store: a review's photos are written in the same transaction as
//! the review, and deleted with it (or once uploaded).

use super::idb::{self, IdbError, failed};
use super::photos::StoredPhoto;
use encore_core::outbox::{self as book, Admission, EntryMeta, Refusal};
use js_sys::{Array, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbTransaction, IdbTransactionMode};

/// Database name, namespaced so it cannot collide with the host page's own databases.
pub const DB_NAME: &str = "encore";
const DB_VERSION: u32 = 2;
const STORE: &str = "outbox";
const PHOTOS: &str = "photos";

/// One queued result as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResult {
    /// The result's id (the key).
    pub id: String,
    /// The endpoint base URL it is for.
    pub endpoint: String,
    /// When it was queued, in milliseconds since the epoch.
    pub at: u64,
    /// Whether a person did this (see `EventBody::is_user_action`).
    pub action: bool,
    /// The result's JSON.
    pub body: String,
    /// Upload ids of photos (in the `photos` store) to upload before the result is sent.
    pub attachments: Vec<String>,
}

/// Why a result could not be queued.
#[derive(Debug, Clone, PartialEq)]
pub enum EnqueueError {
    /// The outbox is at its caps with results that may not be dropped.
    Full,
    /// The result is too large to ever be sent.
    TooLarge,
    /// The browser's storage failed or is unavailable.
    Storage(IdbError),
}

impl From<IdbError> for EnqueueError {
    fn from(e: IdbError) -> Self {
        EnqueueError::Storage(e)
    }
}

impl std::fmt::Display for EnqueueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnqueueError::Full => f.write_str("the outbox is full"),
            EnqueueError::TooLarge => f.write_str("the result is too large"),
            EnqueueError::Storage(e) => e.fmt(f),
        }
    }
}

thread_local! {
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

fn upgrade(db: &IdbDatabase) -> Result<(), JsValue> {
    for name in [STORE, PHOTOS] {
        if !db.object_store_names().contains(name) {
            let params = web_sys::IdbObjectStoreParameters::new();
            params.set_key_path(&JsValue::from_str("id"));
            db.create_object_store_with_optional_parameters(name, &params)?;
        }
    }
    Ok(())
}

/// The page's connection to the outbox database, opened on first use.
async fn database() -> Result<IdbDatabase, IdbError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = idb::open(DB_NAME, DB_VERSION, upgrade).await?;
    // Another tab upgrading the schema asks us to let go; reopen on next use.
    let on_change = Closure::<dyn FnMut()>::new(close);
    db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// Closes the page's connection; the next call opens a fresh one (as a reload would).
pub fn close() {
    if let Some(db) = DB.with(|d| d.borrow_mut().take()) {
        db.close();
    }
}

fn to_js(entry: &StoredResult) -> Result<JsValue, JsValue> {
    let obj = Object::new();
    Reflect::set(&obj, &"id".into(), &entry.id.as_str().into())?;
    Reflect::set(&obj, &"endpoint".into(), &entry.endpoint.as_str().into())?;
    Reflect::set(&obj, &"at".into(), &(entry.at as f64).into())?;
    Reflect::set(&obj, &"action".into(), &entry.action.into())?;
    Reflect::set(&obj, &"body".into(), &entry.body.as_str().into())?;
    let attachments: Array = entry
        .attachments
        .iter()
        .map(|id| JsValue::from_str(id))
        .collect();
    Reflect::set(&obj, &"attachments".into(), &attachments)?;
    Ok(obj.into())
}

/// Reads a stored entry; anything malformed (written by a future version, or tampered with)
/// is skipped rather than trusted.
fn from_js(value: &JsValue) -> Option<StoredResult> {
    let get = |k: &str| Reflect::get(value, &k.into()).ok();
    Some(StoredResult {
        id: get("id")?.as_string()?,
        endpoint: get("endpoint")?.as_string()?,
        at: get("at")?.as_f64().filter(|n| n.is_finite() && *n >= 0.0)? as u64,
        action: get("action")?.as_bool()?,
        body: get("body")?.as_string()?,
        // Entries written by version 1 have none.
        attachments: get("attachments")
            .filter(Array::is_array)
            .map(|v| {
                Array::from(&v)
                    .iter()
                    .filter_map(|id| id.as_string())
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn meta(entry: &StoredResult) -> EntryMeta {
    EntryMeta {
        id: entry.id.clone(),
        bytes: entry.body.len(),
        enqueued_at: entry.at,
        user_action: entry.action,
    }
}

async fn all_entries(store: &IdbObjectStore) -> Result<Vec<StoredResult>, IdbError> {
    let request = store.get_all().map_err(failed)?;
    let values: Array = idb::request_result(&request).await?.unchecked_into();
    let mut entries: Vec<StoredResult> = values.iter().filter_map(|v| from_js(&v)).collect();
    // Ids are unique, so the order is total and an unstable sort gives the same one.
    entries.sort_unstable_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    Ok(entries)
}

/// One read-write transaction over both stores, the future of its commit, and the stores.
struct ReadWrite {
    tx: IdbTransaction,
    done: JsFuture,
    results: IdbObjectStore,
    photos: IdbObjectStore,
}

async fn read_write() -> Result<ReadWrite, IdbError> {
    let db = database().await?;
    let names: Array = [STORE, PHOTOS]
        .iter()
        .map(|n| JsValue::from_str(n))
        .collect();
    let tx = db
        .transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)
        .map_err(failed)?;
    let done = idb::committed(&tx);
    let results = tx.object_store(STORE).map_err(failed)?;
    let photos = tx.object_store(PHOTOS).map_err(failed)?;
    Ok(ReadWrite {
        tx,
        done,
        results,
        photos,
    })
}

/// Deletes results and the photos attached to them, within one transaction.
fn delete_with_attachments(
    rw: &ReadWrite,
    entries: &[StoredResult],
    ids: &[String],
) -> Result<(), JsValue> {
    for id in ids {
        rw.results.delete(&JsValue::from_str(id))?;
    }
    for entry in entries.iter().filter(|e| ids.contains(&e.id)) {
        for photo in &entry.attachments {
            rw.photos.delete(&JsValue::from_str(photo))?;
        }
    }
    Ok(())
}

/// Queues a result. Resolves only after the IndexedDB transaction has committed, so a
/// result the caller was told about survives a crash or a closed tab from then on.
pub async fn enqueue(entry: &StoredResult) -> Result<(), EnqueueError> {
    enqueue_with_photos(entry, &[]).await
}

/// Queues a result and its photos in one transaction: either both are stored or neither.
/// Photos do not count against the outbox's caps.
pub async fn enqueue_with_photos(
    entry: &StoredResult,
    photos: &[StoredPhoto],
) -> Result<(), EnqueueError> {
    let rw = read_write().await?;
    let entries = all_entries(&rw.results).await?;
    let existing: Vec<EntryMeta> = entries.iter().map(meta).collect();
    let outcome = match book::admit(&existing, &meta(entry)) {
        Admission::Admit { evict } => {
            let write = || -> Result<(), JsValue> {
                delete_with_attachments(&rw, &entries, &evict)?;
                for photo in photos {
                    rw.photos.put(&photo.to_js()?)?;
                }
                rw.results.put(&to_js(entry)?)?;
                Ok(())
            };
            write().map_err(|e| EnqueueError::Storage(failed(e)))
        }
        Admission::Refuse(Refusal::Full) => Err(EnqueueError::Full),
        Admission::Refuse(Refusal::TooLarge) => Err(EnqueueError::TooLarge),
    };
    if outcome.is_err() {
        // Nothing is kept; end the transaction instead of waiting for it.
        let _ = rw.tx.abort();
    }
    let committed = idb::await_commit(&rw.tx, rw.done).await;
    outcome?;
    committed.map_err(EnqueueError::from)
}

/// The results waiting for `endpoint`, oldest first, after giving up those past their age.
pub async fn pending(endpoint: &str, now_ms: u64) -> Result<Vec<StoredResult>, IdbError> {
    let rw = read_write().await?;
    let entries = all_entries(&rw.results).await?;
    let metas: Vec<EntryMeta> = entries.iter().map(meta).collect();
    let expired = book::expired(&metas, now_ms);
    delete_with_attachments(&rw, &entries, &expired).map_err(failed)?;
    idb::await_commit(&rw.tx, rw.done).await?;
    if !expired.is_empty() {
        crate::console::warn(&format!(
            "gave up {} result(s) undelivered for 7 days",
            expired.len()
        ));
    }
    Ok(entries
        .into_iter()
        .filter(|e| e.endpoint == endpoint && !expired.contains(&e.id))
        .collect())
}

/// Deletes delivered (or dead-lettered) results, and any photos still attached to them.
pub async fn remove(ids: &[String]) -> Result<(), IdbError> {
    if ids.is_empty() {
        return Ok(());
    }
    let rw = read_write().await?;
    let entries = all_entries(&rw.results).await?;
    delete_with_attachments(&rw, &entries, ids).map_err(failed)?;
    idb::await_commit(&rw.tx, rw.done).await
}

/// The photo stored under `id`, if it is still waiting for its upload.
pub async fn photo(id: &str) -> Result<Option<StoredPhoto>, IdbError> {
    let db = database().await?;
    let tx = db.transaction_with_str(PHOTOS).map_err(failed)?;
    let store = tx.object_store(PHOTOS).map_err(failed)?;
    let request = store.get(&JsValue::from_str(id)).map_err(failed)?;
    let value = idb::request_result(&request).await?;
    Ok(StoredPhoto::from_js(&value))
}

/// Deletes an uploaded (or refused) photo.
pub async fn remove_photo(id: &str) -> Result<(), IdbError> {
    let rw = read_write().await?;
    rw.photos.delete(&JsValue::from_str(id)).map_err(failed)?;
    idb::await_commit(&rw.tx, rw.done).await
}
