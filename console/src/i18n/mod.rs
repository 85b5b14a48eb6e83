//! The console's words in English and Simplified Chinese. A table is a struct, so a string
//! missing from one language is a compile error; `{name}` marks a value filled in by [`fill`].

mod en;
mod table;
mod zh_cn;

pub use table::Strings;

use encore_core::locale::Locale;

/// The table for `locale`.
pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::En => &en::STRINGS,
        Locale::ZhCn => &zh_cn::STRINGS,
    }
}

/// `template` with each `{key}` replaced by its value. Values are inserted once, never
/// re-scanned, so a reviewer's name holding `{n}` stays as typed.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((key, close)) if values.iter().any(|(k, _)| *k == key) => {
                let value = values.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
                out.push_str(value.unwrap_or_default());
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_keys_once() {
        assert_eq!(
            fill("Approve {n} reviews?", &[("n", "20")]),
            "Approve 20 reviews?"
        );
        assert_eq!(
            fill("{a} and {b}", &[("a", "{b}"), ("b", "x")]),
            "{b} and x"
        );
        assert_eq!(fill("{unknown} {", &[]), "{unknown} {");
    }

    #[test]
    fn both_languages_have_every_placeholder() {
        let (en, zh) = (strings(Locale::En), strings(Locale::ZhCn));
        for (a, b) in [
            (en.confirm_bulk_approve, zh.confirm_bulk_approve),
            (en.confirm_bulk_reject, zh.confirm_bulk_reject),
            (en.announce_bulk_approved, zh.announce_bulk_approved),
            (en.locked, zh.locked),
            (en.tab_name, zh.tab_name),
            (en.signed_in_as, zh.signed_in_as),
        ] {
            let keys = |s: &str| s.matches('{').count();
            assert_eq!(keys(a), keys(b), "{a} / {b}");
            assert_ne!(a, b);
        }
        assert_eq!(
            fill(en.confirm_bulk_approve, &[("n", "20")]),
            "Approve 20 reviews?"
        );
    }
}
