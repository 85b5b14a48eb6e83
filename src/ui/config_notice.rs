//! The inline notice a store owner sees when the widget's attributes are wrong.

use crate::i18n::strings;
use encore_core::config::ConfigError;
use encore_core::locale::Locale;
use yew::prelude::*;

/// Props of [`ConfigNotice`].
#[derive(Properties, PartialEq)]
pub struct ConfigNoticeProps {
    /// Every mistake found in the attributes.
    pub errors: Vec<ConfigError>,
    /// The language to explain them in.
    pub locale: Locale,
}

/// Lists the attribute mistakes in plain words; the rest of the page is untouched.
#[component]
pub fn ConfigNotice(props: &ConfigNoticeProps) -> Html {
    let s = strings(props.locale);
    html! {
        <div class="notice" part="notice" role="status">
            <p class="notice-title"><strong>{ s.config_notice_title }</strong></p>
            <p>{ s.config_notice_intro }</p>
            <ul>
                for error in &props.errors {
                    <li>{ s.config_error(error) }</li>
                }
            </ul>
        </div>
    }
}
