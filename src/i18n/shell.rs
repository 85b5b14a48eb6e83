//! The shell's strings: what every surface says around its interaction (its heading and
//! introduction, the widget's label), the configuration notice for the store owner, and why a
//! shopper's action could not be saved. One table per language, in `en` and `zh_cn`.

use crate::transport::outbox::EnqueueError;
use encore_core::config::{ConfigError, Mode};

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
