//! A thin async layer over IndexedDB: requests and transactions as futures.
//!
//! Written against `web-sys` directly rather than a wrapper crate, because the outbox needs
//! exactly one guarantee that is easy to see here: a write resolves only once its transaction
//! has committed (`complete`), never on the request's `success`.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction};

/// What can go wrong talking to IndexedDB.
#[derive(Debug, Clone, PartialEq)]
pub enum IdbError {
    /// IndexedDB is missing or blocked (some private modes, sandboxed iframes).
    Unavailable(String),
    /// A request or transaction failed or was aborted (quota, version change, ...).
    Failed(String),
}

impl std::fmt::Display for IdbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdbError::Unavailable(why) => write!(f, "IndexedDB is not available: {why}"),
            IdbError::Failed(why) => write!(f, "IndexedDB failed: {why}"),
        }
    }
}

/// A readable description of a thrown JS value.
pub fn describe(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.dyn_ref::<web_sys::DomException>().map(|e| e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// A thrown IndexedDB error as an [`IdbError`].
pub fn failed(err: JsValue) -> IdbError {
    IdbError::Failed(describe(&err))
}

/// Opens (and creates or upgrades) a database; `upgrade` runs inside `upgradeneeded`.
pub async fn open(
    name: &str,
    version: u32,
    upgrade: fn(&IdbDatabase) -> Result<(), JsValue>,
) -> Result<IdbDatabase, IdbError> {
    let factory = web_sys::window()
        .ok_or_else(|| IdbError::Unavailable("no window".into()))?
        .indexed_db()
        .map_err(|e| IdbError::Unavailable(describe(&e)))?
        .ok_or_else(|| IdbError::Unavailable("indexedDB is null".into()))?;
    let request: IdbOpenDbRequest = factory
        .open_with_u32(name, version)
        .map_err(|e| IdbError::Unavailable(describe(&e)))?;
    let on_upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let db = event
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            if let Err(err) = upgrade(&db) {
                crate::console::warn(&format!("outbox upgrade failed: {}", describe(&err)));
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let result = request_result(&request).await;
    request.set_onupgradeneeded(None);
    drop(on_upgrade);
    result?
        .dyn_into::<IdbDatabase>()
        .map_err(|_| IdbError::Failed("open returned no database".into()))
}

/// Waits for a request's `success` and returns its result.
pub async fn request_result(request: &IdbRequest) -> Result<JsValue, IdbError> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    match outcome {
        Ok(_) => request.result().map_err(failed),
        Err(_) => Err(IdbError::Failed(
            request
                .error()
                .ok()
                .flatten()
                .map(|e| e.message())
                .unwrap_or_else(|| "request failed".into()),
        )),
    }
}

/// A future for a transaction's end: `complete` (committed) or `error`/`abort`.
///
/// Create it right after the transaction, before issuing requests, so the outcome cannot be
/// missed; await it after the last request.
pub fn committed(tx: &IdbTransaction) -> JsFuture {
    let promise = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    JsFuture::from(promise)
}

/// Awaits [`committed`], translating the failure into an [`IdbError`].
pub async fn await_commit(tx: &IdbTransaction, done: JsFuture) -> Result<(), IdbError> {
    let outcome = done.await;
    tx.set_oncomplete(None);
    tx.set_onerror(None);
    tx.set_onabort(None);
    outcome.map(|_| ()).map_err(|_| {
        IdbError::Failed(
            tx.error()
                .map(|e| e.message())
                .unwrap_or_else(|| "transaction aborted".into()),
        )
    })
}
