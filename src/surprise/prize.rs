//! The prize as the shopper sees it after the reveal: what it is, how to use it, until when,
//! its code with a copy button and a QR code for the till, the points credited, or a warm
//! thanks with the next step. Every text from the endpoint is rendered as text.

use super::strings::{SurpriseStrings, fill};
use crate::browser::now_ms;
use crate::i18n::dates::date_strings;
use crate::ui::clipboard::CopyButton;
use crate::ui::dates;
use crate::ui::link::safe_href;
use crate::ui::qr::QrCodeSvg;
use encore_core::locale::Locale;
use encore_core::surprise::redeem::{Prize, PrizeKind};
use yew::prelude::*;

/// Props of [`PrizeView`].
#[derive(Properties, PartialEq)]
pub struct PrizeViewProps {
    /// The prize.
    pub prize: Prize,
    /// The language.
    pub locale: Locale,
    /// A line above the prize ("You already opened this code"), when there is one.
    #[prop_or_default]
    pub note: Option<AttrValue>,
}

/// A day on the shopper's clock in their language ("30 Nov", "11月30日").
pub fn day(locale: Locale, ms: u64) -> String {
    let now = dates::local(now_ms());
    date_strings(locale).date(dates::local(ms), now.year)
}

/// A moment on the shopper's clock ("Tuesday 2 Dec, 08:00").
pub fn moment(locale: Locale, ms: u64) -> String {
    let now = dates::local(now_ms());
    date_strings(locale).moment(dates::local(ms), true, now.year)
}

/// `url` when it is an absolute `http(s)` address that may be linked.
pub fn next_href(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        .then(|| safe_href(url))
        .flatten()
}

/// The heading of a prize ("You won: …", or the thanks).
pub fn heading(s: &SurpriseStrings, prize: &Prize) -> String {
    if prize.is_win() {
        fill(s.won, &[("title", &prize.title)])
    } else {
        s.thanks_heading.to_owned()
    }
}

/// The prize's card.
#[component]
pub fn PrizeView(props: &PrizeViewProps) -> Html {
    let s = super::strings::surprise_strings(props.locale);
    let prize = &props.prize;
    let code = prize
        .code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let thanks = prize.kind == PrizeKind::Thanks;
    let next = prize.next_url.as_deref().and_then(next_href);
    html! {
        <section class="surprise-prize" part="prize" data-kind={prize.kind.as_str()}>
            if let Some(note) = &props.note {
                <p class="prize-note">{ note.clone() }</p>
            }
            <h3 class="prize-heading surprise-focus" tabindex="-1">{ heading(s, prize) }</h3>
            if thanks {
                if !prize.title.trim().is_empty() {
                    <p class="prize-title">{ prize.title.clone() }</p>
                }
                <p class="prize-thanks">{ s.thanks_body }</p>
            } else {
                <p class="prize-kind">{ s.kind(prize.kind) }</p>
            }
            if let Some(points) = prize.points.filter(|_| prize.kind == PrizeKind::Points) {
                <p class="prize-points">{ fill(s.points, &[("points", &points.to_string())]) }</p>
            }
            if let Some(how) = prize.how_to_use.as_deref().filter(|h| !h.trim().is_empty()) {
                <p class="prize-how">{ how.to_owned() }</p>
            }
            if let Some(at) = prize.expires_at {
                <p class="prize-expires">
                    <time datetime={dates::iso(at)}>
                        { fill(s.expires, &[("date", &day(props.locale, at))]) }
                    </time>
                </p>
            }
            if let Some(code) = code {
                <div class="prize-code-box">
                    <span class="prize-code-label">{ s.your_code }</span>
                    <code class="prize-code">{ code.to_owned() }</code>
                    <CopyButton text={AttrValue::from(code.to_owned())} label={s.copy}
                        copied={s.copied} failed={s.copy_failed} />
                    <QrCodeSvg text={AttrValue::from(code.to_owned())}
                        label={AttrValue::from(fill(s.qr_label, &[("code", code)]))} />
                    <p class="qr-hint">{ s.qr_hint }</p>
                </div>
            }
            if let Some(href) = next {
                <a class="prize-next" href={href.to_owned()} rel="noopener">{ s.next_step }</a>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_addresses_are_next_steps() {
        assert_eq!(
            next_href("https://shop.example/join"),
            Some("https://shop.example/join")
        );
        assert_eq!(
            next_href("HTTP://shop.example/"),
            Some("HTTP://shop.example/")
        );
        for bad in [
            "/join",
            "javascript:alert(1)",
            "//evil.example",
            "https://",
            "data:x",
        ] {
            assert_eq!(next_href(bad), None, "{bad}");
        }
    }
}
