//! Dates and numbers written the way the console's language writes them (the browser's
//! `Intl`), so a moderator in Shanghai reads `2026/1/10 20:00` and one in London `10/01/2026`.

use encore_core::locale::Locale;
use wasm_bindgen::JsValue;

/// A moment (ms since the epoch) as a date and time in `locale`.
pub fn date_time(ms: u64, locale: Locale) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(locale.tag(), &options).into()
}

/// A count in `locale` (grouping digits).
pub fn number(n: u64, locale: Locale) -> String {
    let text: String = js_sys::Number::from(n as f64)
        .to_locale_string(locale.tag())
        .into();
    if text.is_empty() { n.to_string() } else { text }
}
