//! Publishes a product's reviews as schema.org JSON-LD in the host page's `<head>` (the light
//! DOM, where search engines read it): one block per product, however many widgets show it.

use encore_core::reviews::ReviewsPage;
use encore_core::reviews::jsonld::product_jsonld;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

/// The attribute naming the product a JSON-LD block is about.
pub const MARKER: &str = "data-encore-jsonld";

/// Writes the JSON-LD of `page` for `product` into `document`'s head, replacing an earlier
/// block for the same product; removes that block when the product has no reviews.
/// Does nothing when `enabled` is false (the store renders its own).
pub fn publish(
    document: &Document,
    enabled: bool,
    product: &str,
    page: &ReviewsPage,
) -> Result<(), JsValue> {
    if !enabled {
        return Ok(());
    }
    remove(document, product);
    let Some(text) = product_jsonld(&page.product, &page.summary, &page.reviews) else {
        return Ok(());
    };
    let Some(head) = document.query_selector("head")? else {
        return Ok(());
    };
    let script = document.create_element("script")?;
    script.set_attribute("type", "application/ld+json")?;
    script.set_attribute(MARKER, product)?;
    // Text, never markup: `product_jsonld` also escapes every `<`.
    script.set_text_content(Some(&text));
    head.append_child(&script)?;
    Ok(())
}

/// Removes every JSON-LD block this widget wrote for `product`.
pub fn remove(document: &Document, product: &str) {
    let Ok(Some(head)) = document.query_selector("head") else {
        return;
    };
    let mut child: Option<Element> = head.first_element_child();
    while let Some(element) = child {
        child = element.next_element_sibling();
        if element.get_attribute(MARKER).as_deref() == Some(product) {
            element.remove();
        }
    }
}
