//! The ways to pass the link on: a button per channel (each a plain link to the channel's own
//! share page, built by core with every part percent-encoded), the system share sheet where the
//! browser has one, and the link as a QR code with a download of it as an SVG file.

use super::strings::ReferralStrings;
use encore_core::qr::draw;
use encore_core::referral::link::{Channel, encode};
use encore_core::referral::results::SharedVia;
use yew::prelude::*;

/// Props of [`ShareChannels`].
#[derive(Properties, PartialEq)]
pub struct ShareChannelsProps {
    /// The referral link.
    pub link: AttrValue,
    /// The message sent with it.
    pub message: AttrValue,
    /// The subject of an e-mail.
    pub subject: AttrValue,
    /// The words, in the widget's language.
    pub strings: &'static ReferralStrings,
    /// Told which channel was chosen.
    pub on_share: Callback<SharedVia>,
}

/// One link per channel, in `Channel::ALL` order.
#[component]
pub fn ShareChannels(props: &ShareChannelsProps) -> Html {
    html! {
        <ul class="referral-channels" role="list" aria-label={props.strings.share_on}>
            for channel in Channel::ALL {
                { channel_link(props, channel) }
            }
        </ul>
    }
}

fn channel_link(props: &ShareChannelsProps, channel: Channel) -> Html {
    let href = channel.share_url(&props.link, &props.message, &props.subject);
    // Mail and text messages open an app, not a page: no new tab for them.
    let new_tab = !matches!(channel, Channel::Email | Channel::Sms);
    let onclick = {
        let on_share = props.on_share.clone();
        Callback::from(move |_: MouseEvent| on_share.emit(SharedVia::from(channel)))
    };
    html! {
        <li>
            <a class="referral-channel" data-channel={channel.as_str()} {href} {onclick}
                target={new_tab.then_some("_blank")}
                rel={new_tab.then_some("noopener noreferrer")}>
                { props.strings.channel(channel) }
                if new_tab {
                    <span class="visually-hidden">{ " " }{ props.strings.opens_elsewhere }</span>
                }
            </a>
        </li>
    }
}

/// The QR code as a standalone SVG file (what the download saves), or `None` when the link is
/// too long for a QR code. Built from core's path data, which holds only numbers and commands.
pub fn qr_svg_file(link: &str) -> Option<String> {
    let drawing = draw(link)?;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {n} {n}\" width=\"{px}\" \
         height=\"{px}\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" \
         fill=\"#ffffff\"/><path d=\"{path}\" fill=\"#000000\"/></svg>",
        n = drawing.size,
        px = drawing.size * 12,
        path = drawing.path,
    ))
}

/// A `data:` URL of [`qr_svg_file`], for a download link that needs no network or Blob.
pub fn qr_download_href(link: &str) -> Option<String> {
    qr_svg_file(link).map(|svg| format!("data:image/svg+xml;charset=utf-8,{}", encode(&svg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_downloaded_qr_code_is_a_plain_svg_file() {
        let svg = qr_svg_file("https://shop.example/?ref=AB12CD34").unwrap_or_default();
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{svg}"
        );
        assert!(svg.contains("<path d=\"M"));
        assert!(
            !svg.contains("ref="),
            "only the drawing, never the text as markup"
        );
        let href = qr_download_href("https://shop.example/?ref=AB12CD34").unwrap_or_default();
        assert!(href.starts_with("data:image/svg+xml;charset=utf-8,%3Csvg"));
        assert!(!href.contains('<') && !href.contains('"') && !href.contains('#'));
        assert_eq!(qr_svg_file(&"x".repeat(5000)), None);
    }
}
