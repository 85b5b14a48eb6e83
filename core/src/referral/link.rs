//! The advocate's referral code and link, and the share links of each channel, with every part
//! percent-encoded so a store's landing URL or message can hold any character.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;

/// Crockford base32, as on surprise codes: codes are read aloud and typed from screenshots.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols of a referral code: 40 bits, so two advocates of a store practically never share one.
pub const CODE_LEN: usize = 8;
/// Longest referral code a link may carry ([`is_referral_code`]): codes this crate makes are
/// [`CODE_LEN`] long, but a store may hand out its own.
pub const MAX_CODE_LEN: usize = 64;
/// Binds codes to their use, so a key shared with another feature cannot be probed through it.
const DOMAIN: &[u8] = b"encore-referral-code-v1";

/// The stable referral code of `advocate` (a member or order id) under the store's `key`.
/// The same advocate always gets the same code; it reveals nothing about the id.
pub fn code_for(advocate: &str, key: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(DOMAIN);
    mac.update(advocate.as_bytes());
    let digest = mac.finalize().into_bytes();
    let bits = digest
        .iter()
        .take(5)
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    (0..CODE_LEN)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// Why a landing URL cannot carry referral links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Not an absolute `http://` or `https://` URL.
    NotHttp,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::NotHttp => {
                f.write_str("the landing URL must start with https:// or http://")
            }
        }
    }
}

/// `landing` with `ref=CODE` in its query: an existing `ref` is replaced, other parameters and
/// the fragment are kept.
pub fn referral_link(landing: &str, code: &str) -> Result<String, LinkError> {
    let lower = landing.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or(LinkError::NotHttp)?;
    if rest.is_empty() || rest.starts_with('/') || landing.chars().any(char::is_whitespace) {
        return Err(LinkError::NotHttp);
    }
    let (before_fragment, fragment) = match landing.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (landing, None),
    };
    let (base, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b, q),
        None => (before_fragment, ""),
    };
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some("ref"))
        .map(str::to_owned)
        .collect();
    params.push(format!("ref={}", encode(code)));
    let mut out = format!("{base}?{}", params.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    Ok(out)
}

/// Where a shopper can share a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// WhatsApp.
    WhatsApp,
    /// X (Twitter).
    X,
    /// Facebook.
    Facebook,
    /// An e-mail from the shopper's own mail app.
    Email,
    /// A text message.
    Sms,
    /// LINE.
    Line,
    /// Weibo.
    Weibo,
}

impl Channel {
    /// Every channel with a share link, in the order the widget shows them.
    pub const ALL: [Channel; 7] = [
        Channel::WhatsApp,
        Channel::X,
        Channel::Facebook,
        Channel::Email,
        Channel::Sms,
        Channel::Line,
        Channel::Weibo,
    ];

    /// The name sent in `referral.shared` results.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::WhatsApp => "whatsapp",
            Channel::X => "x",
            Channel::Facebook => "facebook",
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Line => "line",
            Channel::Weibo => "weibo",
        }
    }

    /// The URL that opens this channel with `message` and `link` ready to send; `subject` is
    /// the e-mail's subject line.
    pub fn share_url(self, link: &str, message: &str, subject: &str) -> String {
        let l = encode(link);
        let text = encode(&format!("{message} {link}"));
        match self {
            Channel::WhatsApp => format!("https://wa.me/?text={text}"),
            Channel::X => format!("https://x.com/intent/post?text={}&url={l}", encode(message)),
            Channel::Facebook => format!("https://www.facebook.com/sharer/sharer.php?u={l}"),
            Channel::Email => format!("mailto:?subject={}&body={text}", encode(subject)),
            // `?&body=` is read by both iOS and Android messaging apps.
            Channel::Sms => format!("sms:?&body={text}"),
            Channel::Line => format!("https://line.me/R/share?text={text}"),
            Channel::Weibo => format!(
                "https://service.weibo.com/share/share.php?url={l}&title={}",
                encode(message)
            ),
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (`encodeURIComponent`,
/// stricter: also `!'()*`), so the result is safe in any query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(
                char::from_digit(u32::from(b >> 4), 16).map_or('0', |c| c.to_ascii_uppercase()),
            );
            out.push(
                char::from_digit(u32::from(b & 15), 16).map_or('0', |c| c.to_ascii_uppercase()),
            );
        }
    }
    out
}

/// Whether `code` looks like a referral code (letters, digits, `-` and `_`, 1 to 64 long).
/// The loader applies the same rule before remembering a landing.
pub fn is_referral_code(code: &str) -> bool {
    (1..=MAX_CODE_LEN).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referral_codes_are_short_and_plain() {
        assert!(is_referral_code("ALEX-15_x"));
        assert!(!is_referral_code(""));
        assert!(!is_referral_code("a b"));
        assert!(!is_referral_code("<script>"));
        assert!(!is_referral_code(&"a".repeat(65)));
    }

    #[test]
    fn codes_are_stable_short_and_per_store() {
        let a = code_for("member-mei", b"store-one-secret");
        assert_eq!(a, code_for("member-mei", b"store-one-secret"));
        assert_eq!(a.len(), CODE_LEN);
        assert!(a.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(a, code_for("member-lin", b"store-one-secret"));
        assert_ne!(a, code_for("member-mei", b"store-two-secret"));
        assert!(is_referral_code(&a));
    }

    #[test]
    fn links_carry_the_code_and_keep_the_rest() {
        let link = |landing| referral_link(landing, "AB12CD34");
        assert_eq!(
            link("https://shop.example/"),
            Ok("https://shop.example/?ref=AB12CD34".into())
        );
        assert_eq!(
            link("https://shop.example/welcome?utm_source=encore&ref=OLD#top"),
            Ok("https://shop.example/welcome?utm_source=encore&ref=AB12CD34#top".into())
        );
        assert_eq!(
            referral_link("https://shop.example/", "a b&c"),
            Ok("https://shop.example/?ref=a%20b%26c".into())
        );
        for bad in [
            "javascript:alert(1)",
            "shop.example",
            "https://",
            "https:///x",
            "ftp://x.y",
            "https://a b.c",
        ] {
            assert_eq!(referral_link(bad, "X"), Err(LinkError::NotHttp), "{bad}");
        }
    }

    #[test]
    fn share_urls_encode_message_and_link() {
        let link = "https://shop.example/?ref=AB12&x=1";
        let message = "15% off tea & teaware #gift 好茶";
        for channel in Channel::ALL {
            let url = channel.share_url(link, message, "A gift for you");
            assert!(!url.contains(' '), "{url}");
            assert!(!url.contains("&x=1"), "the link's own & is encoded: {url}");
            assert!(!url.contains('#'), "{url}");
            assert!(
                url.contains("https%3A%2F%2Fshop.example%2F%3Fref%3DAB12%26x%3D1"),
                "{url}"
            );
        }
        assert_eq!(
            Channel::Email.share_url("https://s.example/", "Hi", "For you"),
            "mailto:?subject=For%20you&body=Hi%20https%3A%2F%2Fs.example%2F"
        );
        assert_eq!(encode("好"), "%E5%A5%BD");
        assert_eq!(encode("a-b_c.d~e!*'()"), "a-b_c.d~e%21%2A%27%28%29");
    }
}
