//! The durable outbox: results wait in IndexedDB until the endpoint has answered for them.
//!
//! One database per origin (`encore`), shared by every widget and tab of the store; each entry
//! remembers the endpoint it is for, so a later page of the same store sends what an earlier
//! one could not.

use super::idb::{self, IdbError, failed};
use encore_core::outbox::{self as book, Admission, EntryMeta, Refusal};
use js_sys::{Array, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbTransaction, IdbTransactionMode};

/// Database name, namespaced so it cannot collide with the host page's own databases.
pub const DB_NAME: &str = "encore";
const DB_VERSION: u32 = 1;
const STORE: &str = "outbox";

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
    if !db.object_store_names().contains(STORE) {
        let params = web_sys::IdbObjectStoreParameters::new();
        params.set_key_path(&JsValue::from_str("id"));
        db.create_object_store_with_optional_parameters(STORE, &params)?;
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
    entries.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    Ok(entries)
}

/// A read-write transaction on the outbox, the future of its commit, and the store.
async fn read_write() -> Result<(IdbTransaction, JsFuture, IdbObjectStore), IdbError> {
    let db = database().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(failed)?;
    let done = idb::committed(&tx);
    let store = tx.object_store(STORE).map_err(failed)?;
    Ok((tx, done, store))
}

/// Queues a result. Resolves only after the IndexedDB transaction has committed, so a
/// result the caller was told about survives a crash or a closed tab from then on.
pub async fn enqueue(entry: &StoredResult) -> Result<(), EnqueueError> {
    let (tx, done, store) = read_write().await?;
    let existing: Vec<EntryMeta> = all_entries(&store).await?.iter().map(meta).collect();
    let outcome = match book::admit(&existing, &meta(entry)) {
        Admission::Admit { evict } => {
            let write = || -> Result<(), JsValue> {
                for id in &evict {
                    store.delete(&JsValue::from_str(id))?;
                }
                store.put(&to_js(entry)?)?;
                Ok(())
            };
            write().map_err(|e| EnqueueError::Storage(failed(e)))
        }
        Admission::Refuse(Refusal::Full) => Err(EnqueueError::Full),
        Admission::Refuse(Refusal::TooLarge) => Err(EnqueueError::TooLarge),
    };
    if outcome.is_err() {
        // Nothing was written; end the transaction instead of waiting for it.
        let _ = tx.abort();
    }
    let committed = idb::await_commit(&tx, done).await;
    outcome?;
    committed.map_err(EnqueueError::from)
}

/// The results waiting for `endpoint`, oldest first, after giving up those past their age.
pub async fn pending(endpoint: &str, now_ms: u64) -> Result<Vec<StoredResult>, IdbError> {
    let (tx, done, store) = read_write().await?;
    let entries = all_entries(&store).await?;
    let metas: Vec<EntryMeta> = entries.iter().map(meta).collect();
    let expired = book::expired(&metas, now_ms);
    for id in &expired {
        store.delete(&JsValue::from_str(id)).map_err(failed)?;
    }
    idb::await_commit(&tx, done).await?;
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

/// Deletes delivered (or dead-lettered) results.
pub async fn remove(ids: &[String]) -> Result<(), IdbError> {
    if ids.is_empty() {
        return Ok(());
    }
    let (tx, done, store) = read_write().await?;
    for id in ids {
        store.delete(&JsValue::from_str(id)).map_err(failed)?;
    }
    idb::await_commit(&tx, done).await
}
