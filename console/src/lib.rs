//! Encore's store console: a Yew app served at `/console/` that talks only to the admin API
//! (`/v1/admin/`, `docs/admin-api.md`). Its own bundle: the storefront widget never loads it.
//!
//! Pages live in one folder each (`sign_in`, `reviews`, `rules`, `audit`, `people`), each with
//! a pure reducer in `state.rs` tested on the host; `api` is the one way to the server,
//! `route` maps addresses to the core's filters, `ui` holds the pieces pages share.

pub mod api;
pub mod app;
pub mod audit;
pub mod i18n;
pub mod people;
pub mod reviews;
pub mod route;
pub mod rules;
pub mod sign_in;
pub mod ui;

/// The element the console mounts in (`index.html` has it).
pub const ROOT_ID: &str = "encore-console";

/// Starts the console when the module loads, in the page's `#encore-console` element; a page
/// without one (a test page) is left alone.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ROOT_ID))
    else {
        return;
    };
    yew::Renderer::<app::App>::with_root(root).render();
}
