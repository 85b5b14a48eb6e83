//! This browser's `localStorage`, as every feature reaches it, and values kept there with a
//! copy in memory for when storage refuses them (private modes, storage disabled, quota).

use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    /// What could not be kept in `localStorage`.
    static MEMORY: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// The page's `localStorage`; `None` when it is blocked (reading it throws in some private
/// modes and sandboxed frames).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value kept under `key`: from `localStorage`, else from this page's memory.
pub fn load(key: &str) -> Option<String> {
    let stored = local_storage().and_then(|s| s.get_item(key).ok().flatten());
    stored.or_else(|| MEMORY.with(|m| m.borrow().get(key).cloned()))
}

/// Keeps `value` under `key`, in `localStorage` when it takes it and in memory regardless.
pub fn keep(key: &str, value: &str) {
    MEMORY.with(|m| m.borrow_mut().insert(key.to_owned(), value.to_owned()));
    if let Some(storage) = local_storage() {
        // Quota or a blocked storage: the memory copy lasts as long as the page.
        let _ = storage.set_item(key, value);
    }
}
