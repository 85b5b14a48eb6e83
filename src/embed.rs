//! Reading the host `<encore-widget>` element and its page into a validated configuration.

use encore_core::config::{ConfigError, PageContext, WidgetConfig};
use encore_core::locale::Locale;
use web_sys::HtmlElement;

/// What a widget instance starts from: a usable configuration, or the mistakes to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Setup {
    /// The attributes are valid.
    Ready(WidgetConfig),
    /// The attributes are not; show the store owner why, in this language.
    Invalid {
        /// Every mistake found.
        errors: Vec<ConfigError>,
        /// The language to explain them in.
        locale: Locale,
    },
}

/// Reads the element's attributes and the page's origin and languages.
pub fn read(host: &HtmlElement) -> Setup {
    let page = page_context(host);
    let attribute = |name: &str| host.get_attribute(name);
    match WidgetConfig::from_attributes(attribute, &page) {
        Ok(config) => Setup::Ready(config),
        Err(errors) => Setup::Invalid {
            errors,
            locale: WidgetConfig::locale_for(attribute, &page),
        },
    }
}

fn page_context(host: &HtmlElement) -> PageContext {
    let window = web_sys::window();
    let origin = window
        .as_ref()
        .and_then(|w| w.location().origin().ok())
        .filter(|o| o != "null");
    let lang = host
        .owner_document()
        .and_then(|d| d.document_element())
        .and_then(|root| root.get_attribute("lang"))
        .filter(|l| !l.is_empty());
    let languages = window
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    PageContext {
        origin,
        lang,
        languages,
    }
}
