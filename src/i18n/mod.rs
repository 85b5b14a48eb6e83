//! The shell's strings (surface headings, the configuration notice, storage errors) and the
//! words several features share (`dates`), in English and Simplified Chinese; each feature
//! keeps its own words in its `strings` module.
//!
//! A table is a struct, so a string missing from one language is a compile error.

pub mod dates;
mod en;
mod shell;
mod template;
mod zh_cn;

pub use shell::Strings;
pub use template::fill;

use encore_core::locale::Locale;

/// The table for `locale`.
pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::En => &en::STRINGS,
        Locale::ZhCn => &zh_cn::STRINGS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::outbox::EnqueueError;
    use encore_core::config::ConfigError;

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
