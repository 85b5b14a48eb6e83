//! What the widget reads from the browser it runs in: its clock and whether it says it is
//! offline. One place, so every feature reads them the same way.

/// Milliseconds since the epoch, by the browser's clock.
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Whether the browser says it is offline.
pub fn offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}
