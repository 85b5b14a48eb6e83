//! What every component of one widget instance shares, provided by the root component.

use crate::i18n::Strings;
use encore_core::config::WidgetConfig;
use std::rc::Rc;
use web_sys::HtmlElement;

/// What every component of one widget instance shares.
#[derive(Clone)]
pub struct WidgetContext {
    /// The validated configuration.
    pub config: Rc<WidgetConfig>,
    /// The `<encore-widget>` element, where `encore:result` events are dispatched.
    pub host: HtmlElement,
    /// The strings in the widget's language.
    pub strings: &'static Strings,
}

impl PartialEq for WidgetContext {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.config, &other.config) && self.host == other.host
    }
}
