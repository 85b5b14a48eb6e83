//! Messages for the store's developers in the browser console, always prefixed `[encore]`.

/// Logs a warning: something went wrong but the widget carries on.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&format!("[encore] {message}").into());
}

/// Logs an error: the widget cannot work as configured.
pub fn error(message: &str) {
    web_sys::console::error_1(&format!("[encore] {message}").into());
}
