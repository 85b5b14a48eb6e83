//! The shell's strings (surface headings, the configuration notice, storage errors) and the
//! words several features share (`dates`), in English and Simplified Chinese; each feature
//! keeps its own words in its `strings` module.
//!
//! A table is a struct, so a string missing from one language is a compile error.

pub mod dates;
mod en;
mod zh_cn;

use crate::transport::outbox::EnqueueError;
use encore_core::config::{ConfigError, Mode};
use encore_core::locale::Locale;

/// One language's strings. `{name}`-style placeholders are filled by the methods below.
#[derive(Debug, PartialEq, Eq)]
pub struct Strings {
    /// Accessible name of the widget's region.
    pub widget_label: &'static str,
    /// Heading of each surface, in `Mode::ALL` order.
    pub surface_titles: [&'static str; 7],
    /// One line under each heading, in `Mode::ALL` order.
    pub surface_leads: [&'static str; 7],
    /// Heading of the notice shown when the attributes are wrong.
    pub config_notice_title: &'static str,
    /// Line before the list of attribute mistakes.
    pub config_notice_intro: &'static str,
    /// `{attr}` is required.
    pub err_missing: &'static str,
    /// `{value}` is not a mode; `{modes}` lists the valid ones.
    pub err_mode: &'static str,
    /// `{value}` is not a usable endpoint.
    pub err_endpoint: &'static str,
    /// `{value}` is not a store id.
    pub err_store: &'static str,
    /// `{value}` is not a language tag.
    pub err_locale: &'static str,
    /// `{value}` is not a theme.
    pub err_theme: &'static str,
    /// `{attr}` is too long or has control characters.
    pub err_value: &'static str,
    /// Shown when a shopper's action cannot be saved because the outbox is full.
    pub outbox_full: &'static str,
    /// Shown when a shopper's action cannot be saved because storage failed.
    pub storage_failed: &'static str,
    /// Shown when a shopper's action is too large to be sent.
    pub result_too_large: &'static str,
}

/// The table for `locale`.
pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::En => &en::STRINGS,
        Locale::ZhCn => &zh_cn::STRINGS,
    }
}

fn index(mode: Mode) -> usize {
    Mode::ALL.iter().position(|m| *m == mode).unwrap_or(0)
}

impl Strings {
    /// The heading of a surface.
    pub fn surface_title(&self, mode: Mode) -> &'static str {
        self.surface_titles[index(mode)]
    }

    /// The line under a surface's heading.
    pub fn surface_lead(&self, mode: Mode) -> &'static str {
        self.surface_leads[index(mode)]
    }

    /// What to tell a shopper whose action could not be saved on their device.
    pub fn enqueue_error(&self, error: &EnqueueError) -> &'static str {
        match error {
            EnqueueError::Full => self.outbox_full,
            EnqueueError::TooLarge => self.result_too_large,
            EnqueueError::Storage(_) => self.storage_failed,
        }
    }

    /// A configuration mistake, in this language, for the store owner.
    pub fn config_error(&self, error: &ConfigError) -> String {
        let modes = || {
            Mode::ALL
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match error {
            ConfigError::Missing(attr) => self.err_missing.replace("{attr}", attr),
            ConfigError::UnknownMode(v) => self
                .err_mode
                .replace("{value}", v)
                .replace("{modes}", &modes()),
            ConfigError::Endpoint(v, _) => self.err_endpoint.replace("{value}", v),
            ConfigError::Store(v) => self.err_store.replace("{value}", v),
            ConfigError::Locale(v) => self.err_locale.replace("{value}", v),
            ConfigError::Theme(v) => self.err_theme.replace("{value}", v),
            ConfigError::Value(attr) => self.err_value.replace("{attr}", attr),
        }
    }
}

/// `template` with each `{key}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (key, value)| {
            text.replace(&format!("{{{key}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> [&'static Strings; 2] {
        [strings(Locale::En), strings(Locale::ZhCn)]
    }

    fn fields(s: &Strings) -> Vec<&'static str> {
        let mut v = vec![
            s.widget_label,
            s.config_notice_title,
            s.config_notice_intro,
            s.err_missing,
            s.err_mode,
            s.err_endpoint,
            s.err_store,
            s.err_locale,
            s.err_theme,
            s.err_value,
            s.outbox_full,
            s.storage_failed,
            s.result_too_large,
        ];
        v.extend(s.surface_titles);
        v.extend(s.surface_leads);
        v
    }

    #[test]
    fn no_string_is_empty_and_languages_differ() {
        let [en, zh] = all();
        for (a, b) in fields(en).into_iter().zip(fields(zh)) {
            assert!(!a.trim().is_empty() && !b.trim().is_empty());
            assert_ne!(a, b, "untranslated: {a}");
        }
    }

    #[test]
    fn placeholders_match_across_languages() {
        let [en, zh] = all();
        for (a, b) in fields(en).into_iter().zip(fields(zh)) {
            for p in ["{attr}", "{value}", "{modes}"] {
                assert_eq!(a.contains(p), b.contains(p), "{p} in {a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn every_enqueue_error_has_its_own_message() {
        use crate::transport::idb::IdbError;
        for s in all() {
            let errors = [
                EnqueueError::Full,
                EnqueueError::TooLarge,
                EnqueueError::Storage(IdbError::Unavailable("blocked".into())),
            ];
            let messages: std::collections::HashSet<_> =
                errors.iter().map(|e| s.enqueue_error(e)).collect();
            assert_eq!(messages.len(), errors.len());
        }
    }

    #[test]
    fn config_errors_name_the_value() {
        for s in all() {
            let text = s.config_error(&ConfigError::UnknownMode("carousel".into()));
            assert!(
                text.contains("carousel") && text.contains("thank-you"),
                "{text}"
            );
            assert!(
                s.config_error(&ConfigError::Missing("endpoint"))
                    .contains("endpoint")
            );
            assert!(
                !s.config_error(&ConfigError::Value("product"))
                    .contains("{attr}")
            );
        }
    }
}
