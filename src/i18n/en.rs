//! English strings.

use super::shell::Strings;

/// The English table.
pub static STRINGS: Strings = Strings {
    widget_label: "Store reviews and rewards",
    surface_titles: [
        "Reviews",
        "Review your order",
        "Thank you for your order",
        "Your surprise",
        "Member offers",
        "Share with friends",
        "A gift from a friend",
    ],
    surface_leads: [
        "What customers say about this product.",
        "Tell us how your order worked out for you.",
        "Your order is confirmed. Here is what comes next.",
        "The code on your package opens a little surprise.",
        "Offers for members of this store.",
        "Give friends a reason to shop here.",
        "Someone who shops here sent you this.",
    ],
    config_notice_title: "This widget is not set up correctly",
    config_notice_intro: "Please check these attributes of <encore-widget>:",
    err_missing: "The \"{attr}\" attribute is required.",
    err_mode: "Mode \"{value}\" is unknown. Use one of: {modes}.",
    err_endpoint: "Endpoint \"{value}\" is not a valid address. Use https://… or a path starting with /.",
    err_store: "Store \"{value}\" is not a store id (lowercase letters, digits, - and _).",
    err_locale: "Locale \"{value}\" is not a language tag such as en or zh-CN.",
    err_theme: "Theme \"{value}\" is unknown. Use auto, light or dark.",
    err_value: "The \"{attr}\" attribute is too long or contains invisible characters.",
    outbox_full: "We could not save this on your device because its storage for this shop is full. Please try again later.",
    storage_failed: "We could not save this on your device. Please check that your browser allows site storage and try again.",
    result_too_large: "This is too large to send. Please shorten it or remove a photo and try again.",
};
