//! Localised text as a store's config writes it: English required, Chinese optional, an unknown
//! language key an error, and neither language blank.

use encore_core::reviews::Localized;
use serde::Deserialize;

/// Localised text as written: English required, an unknown language key is an error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::config) struct RawText {
    pub(in crate::config) en: String,
    #[serde(rename = "zh-CN")]
    pub(in crate::config) zh_cn: Option<String>,
}

/// English must say something; a Chinese text, when given, too.
pub(in crate::config) fn text(raw: RawText) -> Option<Localized> {
    let filled = |s: &str| !s.trim().is_empty();
    (filled(&raw.en) && raw.zh_cn.as_deref().is_none_or(filled)).then_some(Localized {
        en: raw.en,
        zh_cn: raw.zh_cn,
    })
}
