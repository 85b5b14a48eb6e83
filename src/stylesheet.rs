//! The widget's stylesheet in a shadow root: one constructed `CSSStyleSheet` shared by every
//! widget on the page (no `<style>` element, so a host page's `style-src` CSP does not block
//! it), with a `<style>` element for browsers without constructable stylesheets.

use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Document, Element, ShadowRoot};

/// The widget's CSS, scoped to its shadow root: every feature's stylesheet, minified by
/// `build.rs`.
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.min.css"));

thread_local! {
    static SHARED: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
}

/// The styles one widget added to its shadow root, so that unmounting can take them away.
pub enum AttachedStyle {
    /// The page's shared constructed sheet, in `adoptedStyleSheets`.
    Adopted(CssStyleSheet),
    /// A `<style>` element (fallback).
    Element(Element),
}

fn shared_sheet() -> Option<CssStyleSheet> {
    SHARED.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            let sheet = CssStyleSheet::new().ok()?;
            sheet.replace_sync(STYLE).ok()?;
            *cell = Some(sheet);
        }
        cell.clone()
    })
}

/// Adds the widget's styles to `shadow`.
pub fn attach(shadow: &ShadowRoot, document: &Document) -> Result<AttachedStyle, JsValue> {
    let adoptable = js_sys::Reflect::has(shadow, &"adoptedStyleSheets".into()).unwrap_or(false);
    if let Some(sheet) = shared_sheet().filter(|_| adoptable) {
        let sheets = shadow.adopted_style_sheets();
        sheets.push(&sheet);
        shadow.set_adopted_style_sheets(&sheets);
        return Ok(AttachedStyle::Adopted(sheet));
    }
    let style = document.create_element("style")?;
    style.set_text_content(Some(STYLE));
    shadow.append_child(&style)?;
    Ok(AttachedStyle::Element(style))
}

/// Removes what [`attach`] added, leaving sheets of others (such as the loader's) in place.
pub fn detach(shadow: &ShadowRoot, style: &AttachedStyle) {
    match style {
        AttachedStyle::Adopted(sheet) => {
            let sheet: &JsValue = sheet;
            let kept = shadow
                .adopted_style_sheets()
                .filter(&mut |s, _, _| s != *sheet);
            shadow.set_adopted_style_sheets(&kept);
        }
        AttachedStyle::Element(element) => element.remove(),
    }
}

#[cfg(test)]
mod tests {
    use super::STYLE;

    /// The sources `build.rs` minifies, for comparing.
    const SOURCES: [&str; 6] = [
        include_str!("style.css"),
        include_str!("reviews/product/style.css"),
        include_str!("reviews/form/style.css"),
        include_str!("offers/style.css"),
        include_str!("surprise/style.css"),
        include_str!("referral/style.css"),
    ];

    fn without_comments(css: &str) -> String {
        let mut out = String::new();
        let mut rest = css;
        while let Some((before, after)) = rest.split_once("/*") {
            out.push_str(before);
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn the_minified_sheet_keeps_every_rule_and_token() {
        let source: String = SOURCES.iter().map(|s| without_comments(s)).collect();
        assert!(
            STYLE.len() < source.len(),
            "{} of {} bytes",
            STYLE.len(),
            source.len()
        );
        assert!(!STYLE.contains("/*") && !STYLE.contains('\n'));
        for brace in ['{', '}'] {
            assert_eq!(STYLE.matches(brace).count(), source.matches(brace).count());
        }
        // Every word of the sources survives, in order (only whitespace and comments go).
        let words = |css: &str| -> String {
            css.chars()
                .filter(|c| !c.is_whitespace() && *c != ';')
                .collect()
        };
        assert_eq!(words(STYLE), words(&source));
        for kept in [
            "\"Segoe UI\"",
            ".encore *,.encore *::before",
            "calc(var(--_radius) / 1.5)",
            "@media (prefers-reduced-motion:reduce){",
            ".offers + .referral{",
        ] {
            assert!(STYLE.contains(kept), "{kept}");
        }
    }
}
