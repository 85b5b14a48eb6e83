//! Which language the widget speaks: the `locale` attribute, then the page's `lang`, then the
//! browser's languages, falling back to English.

/// A language the widget has a string table for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    ZhCn,
}

impl Locale {
    /// The BCP 47 tag, as used in `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// The supported locale for a language tag, matching by primary language
    /// (`en-GB` → English; `zh`, `zh-Hans`, `zh-SG` → Simplified Chinese, the only Chinese table).
    pub fn for_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else if primary.eq_ignore_ascii_case("zh") {
            Some(Locale::ZhCn)
        } else {
            None
        }
    }
}

/// Whether `tag` is a well-formed language tag (`en`, `zh-CN`, `zh-Hans-CN`, `es-419`):
/// a 2–3 letter language, then subtags of 1–8 letters or digits.
pub fn is_well_formed(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
    lang_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Picks the locale: the attribute's (already validated) tag first, then the page's `lang`,
/// then the browser's preferred languages in order; English when none is supported.
pub fn resolve(attribute: Option<&str>, page_lang: Option<&str>, browser: &[String]) -> Locale {
    attribute
        .into_iter()
        .chain(page_lang)
        .chain(browser.iter().map(String::as_str))
        .find_map(Locale::for_tag)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_checked_for_shape() {
        for good in ["en", "zh-CN", "zh-Hans-CN", "es-419", "fil", "en-GB"] {
            assert!(is_well_formed(good), "{good}");
        }
        for bad in [
            "",
            "e",
            "english",
            "zh_CN",
            "en-",
            "zh--CN",
            "en-toolongsubtag",
            "1n",
            "中文",
        ] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn the_attribute_wins_then_the_page_then_the_browser() {
        let browser = vec!["fr-FR".to_owned(), "zh-TW".to_owned()];
        assert_eq!(resolve(Some("en"), Some("zh-CN"), &browser), Locale::En);
        assert_eq!(resolve(None, Some("zh-CN"), &[]), Locale::ZhCn);
        assert_eq!(resolve(Some("fr"), Some("en-GB"), &browser), Locale::En);
        assert_eq!(resolve(None, Some("de"), &browser), Locale::ZhCn);
        assert_eq!(resolve(None, None, &["fr".to_owned()]), Locale::En);
        assert_eq!(resolve(None, Some("ZH-hans"), &[]), Locale::ZhCn);
    }
}
