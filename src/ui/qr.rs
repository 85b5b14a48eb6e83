//! A QR code as inline SVG: core's drawing of the module matrix as one `<path>`, built with
//! Yew's `html!` (never as markup text), with a text alternative. Shared by the surprise
//! prize and, later, the referral link.

use encore_core::qr::draw;
use yew::prelude::*;

/// Props of [`QrCodeSvg`].
#[derive(Properties, PartialEq)]
pub struct QrCodeSvgProps {
    /// The text encoded (a prize code, a link).
    pub text: AttrValue,
    /// The text alternative read by screen readers ("QR code of your code ABC-123").
    pub label: AttrValue,
    /// The side in CSS pixels.
    #[prop_or(176)]
    pub size: u32,
}

/// The QR code of `text` as an `<svg role="img">`; nothing when it cannot be encoded.
#[component]
pub fn QrCodeSvg(props: &QrCodeSvgProps) -> Html {
    let drawing = use_memo(props.text.clone(), |text| draw(text));
    let Some(drawing) = (*drawing).clone() else {
        return Html::default();
    };
    let view_box = format!("0 0 {0} {0}", drawing.size);
    let side = props.size.to_string();
    html! {
        <svg class="qr-code" part="qr-code" role="img" aria-label={props.label.clone()}
            viewBox={view_box} width={side.clone()} height={side}
            shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
            <rect width="100%" height="100%" fill="#ffffff" />
            <path d={drawing.path} fill="#000000" />
        </svg>
    }
}
