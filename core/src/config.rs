//! The widget's configuration, read from the host element's attributes and validated, so a
//! store owner gets one clear message for each mistake instead of a broken widget.

use crate::length_caps::{MAX_ID_LEN, MAX_STORE_LEN};
use crate::locale::{self, Locale};
use crate::token::MAX_TOKEN_LEN;
use crate::url::{Endpoint, EndpointError};
use std::fmt;

/// Which surface the widget shows (the `mode` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Product page: reviews summary and list, member offers teaser.
    Product,
    /// Review request opened from a delivery message.
    Review,
    /// Order confirmation: surprise or member offer, then referral.
    ThankYou,
    /// QR landing page: redeem a code printed on the packaging.
    Scan,
    /// Member offers only.
    Offers,
    /// Referral sharing only.
    Referral,
    /// The friend's welcome banner on a referral landing.
    ReferralWelcome,
}

impl Mode {
    /// Every mode, in the order the documentation lists them.
    pub const ALL: [Mode; 7] = [
        Mode::Product,
        Mode::Review,
        Mode::ThankYou,
        Mode::Scan,
        Mode::Offers,
        Mode::Referral,
        Mode::ReferralWelcome,
    ];

    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Product => "product",
            Mode::Review => "review",
            Mode::ThankYou => "thank-you",
            Mode::Scan => "scan",
            Mode::Offers => "offers",
            Mode::Referral => "referral",
            Mode::ReferralWelcome => "referral-welcome",
        }
    }

    /// The mode named by an attribute value (exact, lowercase).
    pub fn parse(value: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == value)
    }

    /// The attributes a mode cannot work without, besides `endpoint` and `store`.
    pub fn required_attributes(self) -> &'static [&'static str] {
        match self {
            Mode::Product => &["product"],
            Mode::Review => &["order", "order-token"],
            _ => &[],
        }
    }
}

/// Colour scheme (the `theme` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the shopper's `prefers-color-scheme`.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// How a surprise prize is revealed (the `reveal` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevealStyle {
    /// A card the shopper scratches: the default, also for any value but `box`.
    #[default]
    Scratch,
    /// A box the shopper taps open (`reveal="box"`, any case, spaces around ignored).
    Box,
}

impl RevealStyle {
    /// The style an attribute value asks for; anything unknown is the default, as the
    /// attribute is only a preference.
    pub fn parse(value: Option<&str>) -> RevealStyle {
        match value {
            Some(v) if v.trim().eq_ignore_ascii_case("box") => RevealStyle::Box,
            _ => RevealStyle::Scratch,
        }
    }
}

/// What the widget knows about the page it runs on, besides its own attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageContext {
    /// The page's origin (`https://shop.example`), to resolve a root-relative endpoint.
    pub origin: Option<String>,
    /// The document's `lang` attribute.
    pub lang: Option<String>,
    /// The browser's preferred languages (`navigator.languages`).
    pub languages: Vec<String>,
}

/// A validated widget configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetConfig {
    /// The surface to show.
    pub mode: Mode,
    /// Where results are posted and data is read.
    pub endpoint: Endpoint,
    /// The store's id at the endpoint.
    pub store: String,
    /// The product the page is about.
    pub product: Option<String>,
    /// The order the page is about.
    pub order: Option<String>,
    /// The store backend's signature over the order (verified by the server, opaque here).
    pub order_token: Option<String>,
    /// The signed-in member's id.
    pub member: Option<String>,
    /// The store backend's signature over the member (verified by the server, opaque here).
    pub member_token: Option<String>,
    /// The language to speak.
    pub locale: Locale,
    /// The colour scheme.
    pub theme: Theme,
    /// Write the reviews' schema.org JSON-LD into the page (`data-jsonld="off"` turns it off
    /// for stores that render their own).
    pub jsonld: bool,
    /// The surprise code the store attached to this page (the `code` attribute), as written,
    /// even blank: on the order confirmation its presence alone puts the surprise first. Not
    /// checked here: a malformed code is the QR landing's to explain, like one typed by hand.
    pub code: Option<String>,
    /// How a surprise prize is revealed.
    pub reveal: RevealStyle,
}

/// One mistake in the attributes, described for the store owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// A required attribute is absent or empty.
    Missing(&'static str),
    /// `mode` names no surface.
    UnknownMode(String),
    /// `endpoint` is not a usable URL.
    Endpoint(String, EndpointError),
    /// `store` is not a store id (lowercase letters, digits, `-`, `_`; up to 64).
    Store(String),
    /// `locale` is not a language tag.
    Locale(String),
    /// `theme` is not auto, light or dark.
    Theme(String),
    /// An id or token attribute is too long or has control characters.
    Value(&'static str),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(attr) => write!(f, "the \"{attr}\" attribute is required"),
            ConfigError::UnknownMode(v) => {
                let modes: Vec<_> = Mode::ALL.iter().map(|m| m.as_str()).collect();
                write!(
                    f,
                    "mode \"{v}\" is unknown; use one of: {}",
                    modes.join(", ")
                )
            }
            ConfigError::Endpoint(v, why) => write!(f, "endpoint \"{v}\" is not valid: {why}"),
            ConfigError::Store(v) => write!(
                f,
                "store \"{v}\" is not a store id (lowercase letters, digits, - and _, up to 64)"
            ),
            ConfigError::Locale(v) => {
                write!(
                    f,
                    "locale \"{v}\" is not a language tag such as en or zh-CN"
                )
            }
            ConfigError::Theme(v) => write!(f, "theme \"{v}\" is unknown; use auto, light or dark"),
            ConfigError::Value(attr) => write!(
                f,
                "the \"{attr}\" attribute is too long or contains control characters"
            ),
        }
    }
}

/// Whether `s` is a store id: lowercase letters, digits, `-` and `_`, 1 to 64 long.
pub fn is_store_id(s: &str) -> bool {
    (1..=MAX_STORE_LEN).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl WidgetConfig {
    /// Reads and validates the attributes; `attribute(name)` returns an attribute's value.
    /// Every mistake is reported, not just the first, so the owner can fix them in one go.
    pub fn from_attributes(
        attribute: impl Fn(&str) -> Option<String>,
        page: &PageContext,
    ) -> Result<WidgetConfig, Vec<ConfigError>> {
        let present = |name: &str| {
            attribute(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut errors = Vec::new();

        let mode = match present("mode") {
            None => {
                errors.push(ConfigError::Missing("mode"));
                None
            }
            Some(v) => Mode::parse(&v).or_else(|| {
                errors.push(ConfigError::UnknownMode(v));
                None
            }),
        };
        let endpoint = match present("endpoint") {
            None => {
                errors.push(ConfigError::Missing("endpoint"));
                None
            }
            Some(v) => Endpoint::parse(&v, page.origin.as_deref())
                .map_err(|e| errors.push(ConfigError::Endpoint(v, e)))
                .ok(),
        };
        let store = match present("store") {
            None => {
                errors.push(ConfigError::Missing("store"));
                None
            }
            Some(v) if is_store_id(&v) => Some(v),
            Some(v) => {
                errors.push(ConfigError::Store(v));
                None
            }
        };
        let mut text = |name: &'static str, max: usize| {
            let value = present(name)?;
            if value.chars().count() > max || value.chars().any(char::is_control) {
                errors.push(ConfigError::Value(name));
                return None;
            }
            Some(value)
        };
        let product = text("product", MAX_ID_LEN);
        let order = text("order", MAX_ID_LEN);
        let order_token = text("order-token", MAX_TOKEN_LEN);
        let member = text("member", MAX_ID_LEN);
        let member_token = text("member-token", MAX_TOKEN_LEN);

        if let Some(tag) = present("locale").filter(|t| !locale::is_well_formed(t)) {
            errors.push(ConfigError::Locale(tag));
        }
        let locale = Self::locale_for(&attribute, page);
        let theme = match present("theme").as_deref() {
            None | Some("auto") => Theme::Auto,
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            Some(other) => {
                errors.push(ConfigError::Theme(other.to_owned()));
                Theme::Auto
            }
        };

        let jsonld = !present("data-jsonld").is_some_and(|v| {
            matches!(
                v.to_ascii_lowercase().as_str(),
                "off" | "false" | "no" | "0"
            )
        });

        let code = attribute("code");
        let reveal = RevealStyle::parse(attribute("reveal").as_deref());

        if let Some(mode) = mode {
            for &name in mode.required_attributes() {
                let given = match name {
                    "product" => product.is_some(),
                    "order" => order.is_some(),
                    "order-token" => order_token.is_some(),
                    _ => true,
                };
                if !given && !errors.contains(&ConfigError::Value(name)) {
                    errors.push(ConfigError::Missing(name));
                }
            }
        }

        match (mode, endpoint, store) {
            (Some(mode), Some(endpoint), Some(store)) if errors.is_empty() => Ok(WidgetConfig {
                mode,
                endpoint,
                store,
                product,
                order,
                order_token,
                member,
                member_token,
                locale,
                theme,
                jsonld,
                code,
                reveal,
            }),
            _ => Err(errors),
        }
    }

    /// The surprise code the store attached, when it is not blank (a blank `code` leaves the
    /// QR landing to the page URL's `?c=` or the shopper).
    pub fn attached_code(&self) -> Option<&str> {
        self.code.as_deref().filter(|c| !c.trim().is_empty())
    }

    /// The language the widget speaks for these attributes, valid or not (a configuration
    /// notice is shown in it too): a well-formed `locale`, then the page's, then the browser's.
    pub fn locale_for(attribute: impl Fn(&str) -> Option<String>, page: &PageContext) -> Locale {
        let attr = attribute("locale")
            .map(|t| t.trim().to_owned())
            .filter(|t| locale::is_well_formed(t));
        locale::resolve(attr.as_deref(), page.lang.as_deref(), &page.languages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn page() -> PageContext {
        PageContext {
            origin: Some("https://shop.example".into()),
            lang: Some("en".into()),
            languages: vec!["en-US".into()],
        }
    }

    fn read(attrs: &[(&str, &str)]) -> Result<WidgetConfig, Vec<ConfigError>> {
        let map: HashMap<String, String> = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        WidgetConfig::from_attributes(|name| map.get(name).cloned(), &page())
    }

    const PRODUCT: &[(&str, &str)] = &[
        ("mode", "product"),
        ("endpoint", "https://api.shop.example/encore"),
        ("store", "acme"),
        ("product", "sku-42"),
    ];

    fn with(overrides: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut attrs: Vec<_> = PRODUCT
            .iter()
            .filter(|(k, _)| !overrides.iter().any(|(o, _)| o == k))
            .copied()
            .collect();
        attrs.extend(overrides.iter().filter(|(_, v)| *v != "<absent>").copied());
        attrs
    }

    #[test]
    fn a_complete_product_config_is_accepted() {
        let config = read(PRODUCT).expect("valid");
        assert_eq!(config.mode, Mode::Product);
        assert_eq!(config.endpoint.as_str(), "https://api.shop.example/encore");
        assert_eq!(config.store, "acme");
        assert_eq!(config.product.as_deref(), Some("sku-42"));
        assert_eq!(config.locale, Locale::En);
        assert_eq!(config.theme, Theme::Auto);
    }

    #[test]
    fn each_mistake_gets_its_own_message() {
        type Attrs = Vec<(&'static str, &'static str)>;
        let cases: Vec<(Attrs, Vec<ConfigError>)> = vec![
            (
                with(&[("endpoint", "<absent>")]),
                vec![ConfigError::Missing("endpoint")],
            ),
            (
                with(&[("endpoint", "  ")]),
                vec![ConfigError::Missing("endpoint")],
            ),
            (
                with(&[("endpoint", "api.shop.example")]),
                vec![ConfigError::Endpoint(
                    "api.shop.example".into(),
                    EndpointError::NotHttp,
                )],
            ),
            (
                with(&[("mode", "<absent>")]),
                vec![ConfigError::Missing("mode")],
            ),
            (
                with(&[("mode", "carousel")]),
                vec![ConfigError::UnknownMode("carousel".into())],
            ),
            (
                with(&[("mode", "Product")]),
                vec![ConfigError::UnknownMode("Product".into())],
            ),
            (
                with(&[("store", "<absent>")]),
                vec![ConfigError::Missing("store")],
            ),
            (
                with(&[("store", "Acme Shop")]),
                vec![ConfigError::Store("Acme Shop".into())],
            ),
            (
                with(&[("product", "<absent>")]),
                vec![ConfigError::Missing("product")],
            ),
            (
                with(&[("product", "a\u{0}b")]),
                vec![ConfigError::Value("product")],
            ),
            (
                with(&[("locale", "zh_CN")]),
                vec![ConfigError::Locale("zh_CN".into())],
            ),
            (
                with(&[("theme", "neon")]),
                vec![ConfigError::Theme("neon".into())],
            ),
            (
                with(&[("mode", "review")]),
                vec![
                    ConfigError::Missing("order"),
                    ConfigError::Missing("order-token"),
                ],
            ),
            (
                vec![("mode", "scan")],
                vec![
                    ConfigError::Missing("endpoint"),
                    ConfigError::Missing("store"),
                ],
            ),
        ];
        for (attrs, want) in cases {
            assert_eq!(read(&attrs), Err(want), "{attrs:?}");
        }
    }

    #[test]
    fn long_values_are_refused() {
        let long = "x".repeat(MAX_ID_LEN + 1);
        let mut attrs = PRODUCT.to_vec();
        attrs.retain(|(k, _)| *k != "product");
        attrs.push(("product", &long));
        assert_eq!(read(&attrs), Err(vec![ConfigError::Value("product")]));
    }

    #[test]
    fn optional_attributes_are_read() {
        let config = read(&with(&[
            ("mode", "thank-you"),
            ("order", "1001"),
            ("order-token", "v1.abc"),
            ("member", "m-7"),
            ("member-token", "v1.def"),
            ("locale", "zh-CN"),
            ("theme", "dark"),
            ("endpoint", "/encore"),
        ]))
        .expect("valid");
        assert_eq!(config.mode, Mode::ThankYou);
        assert_eq!(config.endpoint.as_str(), "https://shop.example/encore");
        assert_eq!(config.order.as_deref(), Some("1001"));
        assert_eq!(config.order_token.as_deref(), Some("v1.abc"));
        assert_eq!(config.member.as_deref(), Some("m-7"));
        assert_eq!(config.member_token.as_deref(), Some("v1.def"));
        assert_eq!(config.locale, Locale::ZhCn);
        assert_eq!(config.theme, Theme::Dark);
        assert!(config.jsonld);
    }

    #[test]
    fn json_ld_can_be_switched_off() {
        for (value, on) in [("off", false), ("FALSE", false), ("0", false), ("on", true)] {
            let config = read(&with(&[("data-jsonld", value)])).expect("valid");
            assert_eq!(config.jsonld, on, "{value}");
        }
    }

    #[test]
    fn the_surprise_code_is_kept_as_written_and_a_blank_one_is_not_attached() {
        let none = read(&with(&[("mode", "thank-you")])).expect("valid");
        assert_eq!((none.code.as_deref(), none.attached_code()), (None, None));
        let blank = read(&with(&[("mode", "thank-you"), ("code", "  ")])).expect("valid");
        assert_eq!(
            blank.code.as_deref(),
            Some("  "),
            "present, so the surprise comes first"
        );
        assert_eq!(blank.attached_code(), None);
        let given = read(&with(&[("mode", "thank-you"), ("code", " ab12-cd34 ")])).expect("valid");
        assert_eq!(given.attached_code(), Some(" ab12-cd34 "));
        // Whatever it holds, a code is never a configuration error.
        let odd = read(&with(&[("mode", "scan"), ("code", "<b>\u{0}")])).expect("valid");
        assert_eq!(odd.attached_code(), Some("<b>\u{0}"));
    }

    #[test]
    fn the_reveal_is_a_box_only_when_asked_for() {
        assert_eq!(read(PRODUCT).expect("valid").reveal, RevealStyle::Scratch);
        for (value, want) in [
            ("box", RevealStyle::Box),
            (" BOX ", RevealStyle::Box),
            ("Box", RevealStyle::Box),
            ("scratch", RevealStyle::Scratch),
            ("boxes", RevealStyle::Scratch),
            ("", RevealStyle::Scratch),
        ] {
            let config = read(&with(&[("reveal", value)])).expect("valid");
            assert_eq!(config.reveal, want, "{value:?}");
        }
    }

    #[test]
    fn an_unsupported_but_well_formed_locale_falls_back_to_the_page() {
        let mut p = page();
        p.lang = Some("zh-Hans".into());
        let config = WidgetConfig::from_attributes(
            |name| {
                with(&[("locale", "fr")])
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            },
            &p,
        )
        .expect("valid");
        assert_eq!(config.locale, Locale::ZhCn);
    }

    #[test]
    fn every_mode_round_trips_and_messages_name_the_attribute() {
        for mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.as_str()), Some(mode));
        }
        let text = ConfigError::UnknownMode("x".into()).to_string();
        assert!(
            text.contains("thank-you") && text.contains("referral-welcome"),
            "{text}"
        );
        assert!(
            ConfigError::Missing("endpoint")
                .to_string()
                .contains("\"endpoint\"")
        );
    }
}
