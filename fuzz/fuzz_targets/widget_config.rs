//! The widget's attributes: the input split at NUL bytes gives the values of its attributes in
//! a fixed order, then the page's origin and language. A panic is a finding; so is an accepted
//! endpoint that does not parse to itself again.

#![no_main]

use encore_core::config::{PageContext, WidgetConfig};
use encore_core::url::Endpoint;
use libfuzzer_sys::fuzz_target;

const ATTRIBUTES: [&str; 11] = [
    "mode",
    "endpoint",
    "store",
    "product",
    "order",
    "order-token",
    "member",
    "member-token",
    "locale",
    "theme",
    "data-jsonld",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let values: Vec<Option<String>> = ATTRIBUTES
        .iter()
        .map(|_| parts.next().filter(|v| !v.is_empty()).map(str::to_owned))
        .collect();
    let page = PageContext {
        origin: parts.next().map(str::to_owned),
        lang: parts.next().map(str::to_owned),
        languages: parts.map(str::to_owned).collect(),
    };
    let attribute = |name: &str| {
        let i = ATTRIBUTES.iter().position(|a| *a == name)?;
        values[i].clone()
    };
    if let Ok(config) = WidgetConfig::from_attributes(attribute, &page) {
        let again = Endpoint::parse(config.endpoint.as_str(), None);
        assert_eq!(again.as_ref(), Ok(&config.endpoint));
    }
    if let Some(raw) = &values[1] {
        if let Ok(endpoint) = Endpoint::parse(raw, page.origin.as_deref()) {
            assert_eq!(Endpoint::parse(endpoint.as_str(), None), Ok(endpoint));
        }
    }
});
