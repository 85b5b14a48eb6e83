//! The root component: shows the configuration notice, or provides the widget's context and
//! picks the surface by `mode`; reports the impression once it has rendered.

use crate::console::warn;
use crate::context::WidgetContext;
use crate::device::device_id;
use crate::embed::Setup;
use crate::i18n::strings;
use crate::referral_landing;
use crate::surface::Surface;
use crate::transport::results::{emit, emit_with_id};
use crate::ui::config_notice::ConfigNotice;
use encore_core::config::Mode;
use encore_core::events::{EventBody, Impression, ReferralLanded};
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Props of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The `<encore-widget>` element.
    pub host: HtmlElement,
    /// The configuration read from it.
    pub setup: Rc<Setup>,
}

/// The widget's root.
#[component]
pub fn App(props: &AppProps) -> Html {
    let context = use_memo(props.setup.clone(), |setup| match &**setup {
        Setup::Ready(config) => Some(WidgetContext {
            config: Rc::new(config.clone()),
            host: props.host.clone(),
            strings: strings(config.locale),
        }),
        Setup::Invalid { .. } => None,
    });

    use_effect_with(context.clone(), |context| {
        mark("encore:first-render");
        if let Some(ctx) = (**context).clone() {
            wasm_bindgen_futures::spawn_local(report_start(ctx));
        }
    });

    match (&*props.setup, (*context).clone()) {
        (_, Some(ctx)) => {
            let config = ctx.config.clone();
            html! {
                <ContextProvider<WidgetContext> context={ctx.clone()}>
                    <div class="encore" lang={config.locale.tag()} data-theme={config.theme.as_str()}
                        role="region" aria-label={ctx.strings.widget_label}>
                        <Surface />
                    </div>
                </ContextProvider<WidgetContext>>
            }
        }
        (Setup::Invalid { errors, locale }, None) => html! {
            <div class="encore" lang={locale.tag()} data-theme="auto">
                <ConfigNotice errors={errors.clone()} locale={*locale} />
            </div>
        },
        (Setup::Ready(_), None) => Html::default(),
    }
}

/// Results every widget reports as it starts: its impression, a referral landing the loader
/// remembered on an earlier page, and on an order confirmation the order that landing led to.
async fn report_start(ctx: WidgetContext) {
    let config = &ctx.config;
    let impression = EventBody::Impression(Impression {
        mode: config.mode.as_str().to_owned(),
        product: config.product.clone(),
        page: page_url(),
    });
    if let Err(err) = emit(&ctx.host, config, impression).await {
        warn(&format!("could not queue the impression: {err}"));
    }
    if let Some((landed, id)) = referral_landing::take() {
        // The device id the referred order will carry too: the endpoint credits an order only
        // against a landing it recorded from the same device.
        let body = EventBody::ReferralLanded(ReferralLanded {
            device: Some(device_id(&config.store)),
            ..landed.clone()
        });
        match emit_with_id(&ctx.host, config, id, body).await {
            Ok(_) => referral_landing::mark_reported(&landed),
            Err(err) => warn(&format!("could not queue the referral landing: {err}")),
        }
    }
    #[cfg(feature = "referral")]
    if config.mode == Mode::ThankYou {
        crate::referral::api::attribute_order(&ctx.host, config).await;
    }
}

/// The page's URL without query string or fragment (which may carry personal data).
fn page_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let page = format!("{}{}", location.origin().ok()?, location.pathname().ok()?);
    // A path longer than the endpoint takes would get the impression refused `too_long`.
    Some(encore_core::length_caps::clip(&page, encore_core::length_caps::MAX_PAGE_LEN).to_owned())
}

fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
