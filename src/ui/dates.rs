//! Instants from the endpoint (ms since the epoch) on the shopper's wall clock, read through
//! JavaScript's `Date` (which knows the device's time zone) rather than a date library.

use wasm_bindgen::JsValue;

/// A moment as the shopper's clock shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
    /// The day of the week, 0 (Sunday) to 6.
    pub weekday: u8,
    /// The hour, 0 to 23.
    pub hour: u8,
    /// The minute, 0 to 59.
    pub minute: u8,
}

fn js_date(ms: u64) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(ms as f64))
}

/// `ms` on the device's clock, in its time zone.
pub fn local(ms: u64) -> LocalTime {
    let date = js_date(ms);
    // JavaScript gives every field as a small number; an invalid date gives NaN, read as 0.
    let small = |n: u32| u8::try_from(n).unwrap_or(0);
    LocalTime {
        year: i32::try_from(date.get_full_year()).unwrap_or(0),
        month: small(date.get_month()).saturating_add(1),
        day: small(date.get_date()),
        weekday: small(date.get_day()),
        hour: small(date.get_hours()),
        minute: small(date.get_minutes()),
    }
}

/// `ms` as an ISO 8601 instant, for a `<time datetime>` attribute.
pub fn iso(ms: u64) -> String {
    // An out-of-range date throws in `toISOString`: then there is no attribute value.
    let date = js_date(ms);
    if date.get_time().is_nan() {
        return String::new();
    }
    String::from(date.to_iso_string())
}
