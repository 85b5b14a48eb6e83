//! The widget's stylesheet in a shadow root: one constructed `CSSStyleSheet` shared by every
//! widget on the page (no `<style>` element, so a host page's `style-src` CSP does not block
//! it), with a `<style>` element for browsers without constructable stylesheets.

use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Document, Element, ShadowRoot};

/// The widget's CSS, scoped to its shadow root.
pub const STYLE: &str = concat!(
    include_str!("style.css"),
    include_str!("reviews/product/style.css"),
    include_str!("reviews/form/style.css"),
    include_str!("offers/style.css"),
    include_str!("surprise/style.css"),
    include_str!("referral/style.css"),
);

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
